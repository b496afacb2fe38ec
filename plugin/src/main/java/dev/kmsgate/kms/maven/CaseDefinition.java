package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.generate.Profile;

import java.nio.file.Path;

/**
 * A case the user declares for the gate, in the POM:
 * <pre>{@code
 * <cases>
 *   <case>
 *     <name>production-like</name>
 *     <users>5000</users>
 *     <revoked>4200</revoked>
 *     <duplicateRevocations>300</duplicateRevocations>
 *   </case>
 * </cases>
 * }</pre>
 * Unset counts are 0; an unset seed is the goal's {@code seed}. Instead of counts, a case may name
 * an existing legacy (KMS50) database of the team's own with {@code <source>}: a directory, a zip
 * archive holding one, or a {@code jdbc:derby:} URL. It is opened read-only and never written:
 * <pre>{@code
 * <case>
 *   <name>site-berlin-2019</name>
 *   <source>src/test/kms/berlin-2019.zip</source>
 * </case>
 * }</pre>
 */
public class CaseDefinition {

    private String name;
    private int users;
    private int revoked;
    private int duplicateRevocations;
    private int orphanRevocations;
    private int orphanCertificates;
    private int orphanKeys;
    private Long seed;
    private String source;

    GateCase toGateCase(long defaultSeed, int index, Path basedir) {
        String caseName = name == null || name.isBlank() ? "case-" + index : name.trim();
        if (source != null && !source.isBlank()) {
            if (users != 0 || revoked != 0 || duplicateRevocations != 0 || orphanRevocations != 0 || orphanCertificates != 0
                    || orphanKeys != 0 || seed != null) {
                throw new KmsUsageException(Messages.format(Messages.CASE_SOURCE_WITH_PROFILE, caseName));
            }
            return GateCase.ofSource(caseName, Database.of(DatabaseAddress.parse("source", source, basedir)));
        }
        return new GateCase(caseName, new Profile(users, revoked, duplicateRevocations, orphanRevocations,
                orphanCertificates, orphanKeys, seed == null ? defaultSeed : seed));
    }

    public void setName(String name) {
        this.name = name;
    }

    public void setUsers(int users) {
        this.users = users;
    }

    public void setRevoked(int revoked) {
        this.revoked = revoked;
    }

    public void setDuplicateRevocations(int duplicateRevocations) {
        this.duplicateRevocations = duplicateRevocations;
    }

    public void setOrphanRevocations(int orphanRevocations) {
        this.orphanRevocations = orphanRevocations;
    }

    public void setOrphanCertificates(int orphanCertificates) {
        this.orphanCertificates = orphanCertificates;
    }

    public void setOrphanKeys(int orphanKeys) {
        this.orphanKeys = orphanKeys;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public void setSource(String source) {
        this.source = source;
    }
}
