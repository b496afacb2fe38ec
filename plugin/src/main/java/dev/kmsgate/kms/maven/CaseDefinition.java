package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.generate.Profile;

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
 * Unset counts are 0; an unset seed is the goal's {@code seed}.
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

    GateCase toGateCase(long defaultSeed, int index) {
        String caseName = name == null || name.isBlank() ? "case-" + index : name.trim();
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
}
