package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One database the gate converts and verifies: generated from a profile, or an existing legacy
 * database of the user's (opened read-only, never written).
 *
 * <p>Public for maven, fork and cache, which build, carry and key the cases; not an API.
 *
 * @param name the case's name in the table and reports: {@code 0}, {@code C+1}, {@code dirty}, ...
 * @param profile what its generated legacy database holds, or null for an existing source
 * @param source the existing legacy database, or null for a generated one
 * @param kind the role the case plays in the gate: a boundary, the dirty database, or the user's own
 */
public record GateCase(String name, Profile profile, Database source, Kind kind) {

    /**
     * The role of a case: one of the boundaries around the capacity C (a revocation count that
     * two boundaries share is run once, as the first of them), the dirty database, or the user's own.
     */
    public enum Kind {
        /** No revocations. */
        ZERO,
        /** One revocation. */
        ONE,
        /** C-1 revocations: one transaction's worth, short of the capacity. */
        BELOW_CAPACITY,
        /** C revocations: exactly the capacity. */
        AT_CAPACITY,
        /** C+1 revocations: one beyond the capacity, where the self-proof runs the reference defect. */
        ABOVE_CAPACITY,
        /** 2C+1 revocations: beyond two transactions' worth. */
        TWICE_ABOVE_CAPACITY,
        /** {@code largeMultiple} times C revocations, two revoked certificates per user. */
        LARGE,
        /** The dirty database: duplicate, unknown and orphaned revocations, beyond the capacity. */
        DIRTY,
        /** A case of the user's: generated from their profile, or an existing legacy database. */
        OWN,
        /** One of the scaling proof's cases, sized by the converter's work whatever the capacity ({@link ScalingProof}). */
        SCALING;

        /** Whether the kind is one of the boundaries around the capacity. */
        public boolean boundary() {
            return compareTo(LARGE) <= 0;
        }
    }

    public GateCase {
        // a record written before cases had kinds holds only the user's own cases' fields as they were
        kind = kind == null ? Kind.OWN : kind;
        if ((profile == null) == (source == null)) {
            throw new IllegalArgumentException("a case has a profile or a source, not both or neither: " + name);
        }
    }

    /** A generated case of the user's. */
    public GateCase(String name, Profile profile) {
        this(name, profile, null, Kind.OWN);
    }

    /** A case of the user's, of an existing legacy database. */
    public static GateCase ofSource(String name, Database source) {
        return new GateCase(name, null, source, Kind.OWN);
    }

    /** Users of a boundary case: enough certificates for its revocations, and at least a few. */
    static int usersFor(long revocations) {
        return (int) Math.max(20, revocations);
    }

    /**
     * Users of the large boundary case: two revoked certificates each (the most a user has), so its
     * revocations cost half the rows they would with one each. It is the gate's critical path above a
     * small capacity, and what it exists to catch is the revocations' count, not the users'.
     */
    static int usersForLarge(long revocations) {
        return (int) Math.max(20, (revocations + 1) / 2);
    }

    /**
     * The boundary cases for a capacity C: 0, 1, C-1, C, C+1, 2C+1 and {@code largeMultiple}
     * times C revocations (a count that two labels share is run once, under the first; the large
     * one with two revoked certificates per user), then the
     * dirty database: duplicate CRL rows, unknown serials, certificates of deleted users and keys
     * without certificates, with more distinct revoked serials than the capacity.
     */
    public static List<GateCase> boundaryCases(int transactionCapacity, int largeMultiple, long seed) {
        long c = transactionCapacity;
        List<GateCase> cases = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        String[] labels = {"0", "1", "C-1", "C", "C+1", "2C+1", largeMultiple + "C"};
        Kind[] kinds = {Kind.ZERO, Kind.ONE, Kind.BELOW_CAPACITY, Kind.AT_CAPACITY, Kind.ABOVE_CAPACITY, Kind.TWICE_ABOVE_CAPACITY, Kind.LARGE};
        long[] counts = {0, 1, c - 1, c, c + 1, 2 * c + 1, largeMultiple * c};
        for (int i = 0; i < labels.length; i++) {
            if (counts[i] >= 0 && seen.add(counts[i])) {
                int revoked = Math.toIntExact(counts[i]);
                int users = kinds[i] == Kind.LARGE ? usersForLarge(revoked) : usersFor(revoked);
                cases.add(new GateCase(labels[i], new Profile(users, revoked, 0, 0, 0, 0, seed), null, kinds[i]));
            }
        }
        cases.add(dirty(transactionCapacity, seed));
        return cases;
    }

    /**
     * Every kind of dirt, beyond the capacity: C+1 distinct revoked serials among converted
     * certificates, C+1 unknown serials (so the unmatched revocations alone take more than one
     * transaction), and revoked certificates of deleted users.
     */
    static GateCase dirty(int transactionCapacity, long seed) {
        int revoked = transactionCapacity + 1;
        int users = Math.max(50, revoked);
        int orphans = Math.max(6, transactionCapacity / 4);
        return new GateCase("dirty", new Profile(users, revoked, Math.max(5, transactionCapacity / 2), Math.max(6, revoked), orphans,
                Math.max(3, transactionCapacity / 8), seed), null, Kind.DIRTY);
    }

    /** Distinct CRL serials of a generated case: what the reference defect must apply in one transaction. */
    public long revocations() {
        return profile.distinctRevokedSerials();
    }
}
