package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;

import java.sql.Connection;

/**
 * How large a case's source is, as its row in the table shows it.
 *
 * <p>Public for report, which shows it in every case's row; not an API.
 *
 * @param revocations distinct serials on the CRL
 */
public record CaseSize(long users, long certificates, long revocations) {

    /** The size a profile generates. */
    public static CaseSize of(Profile profile) {
        return new CaseSize(profile.users(), profile.certificates(), profile.distinctRevokedSerials());
    }

    /** The size of an existing source, read through a read-only connection. */
    static CaseSize read(Connection source) {
        SourceFacts facts = SourceFacts.read(source);
        return new CaseSize(facts.users(), facts.certificates(), Sql.count(source, Kms50Schema.COUNT_CRL_SERIALS));
    }
}
