package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Sql;

import java.sql.Connection;

/**
 * What a conversion has written, by kind, over every run: the counters the summary line,
 * {@link ConversionResult} and {@code KMS_CONVERSION_PHASE.ROW_CHANGES} report. A resumed run starts
 * from what the earlier runs committed.
 */
final class Tally {
    long users;
    long serialRows;
    long certificates;
    long keys;
    long revoked;
    long unmatched;
    long quarantinedCerts;
    long quarantinedKeys;

    /** What the earlier runs of a conversion committed into its target (a few counts, run only on a resume). */
    static Tally committed(Connection target) {
        Tally tally = new Tally();
        tally.users = Sql.count(target, "SELECT COUNT(*) FROM KMS55.USERS");
        long active = Sql.count(target, "SELECT COUNT(*) FROM KMS55.CERTIFICATES");
        tally.quarantinedCerts = Sql.count(target, "SELECT COUNT(*) FROM KMS55.QUARANTINED_CERT");
        long archived = Sql.count(target, "SELECT COUNT(*) FROM KMS55.KEY_ARCHIVE");
        tally.quarantinedKeys = Sql.count(target, "SELECT COUNT(*) FROM KMS55.QUARANTINED_KEY");
        tally.unmatched = Sql.count(target, "SELECT COUNT(*) FROM KMS55.UNMATCHED_REVOCATION");
        tally.revoked = Sql.count(target, Kms55Schema.COUNT_REVOKED);
        tally.certificates = active + tally.quarantinedCerts;
        tally.keys = archived + tally.quarantinedKeys;
        tally.serialRows = tally.certificates + tally.keys + tally.unmatched;
        return tally;
    }

}
