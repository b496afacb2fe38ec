package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.generate.Profile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One database the gate converts and verifies.
 *
 * @param name the case's name in the table and reports: {@code 0}, {@code C+1}, {@code dirty}, ...
 * @param profile what its legacy database holds
 */
public record GateCase(String name, Profile profile) {

    /** Users of a boundary case: enough certificates for its revocations, and at least a few. */
    static int usersFor(long revocations) {
        return (int) Math.max(20, revocations);
    }

    /**
     * The boundary cases for capacity {@code c}: 0, 1, C-1, C, C+1, 2C+1 and {@code largeMultiple}
     * times C revocations (a count that two labels share is run once, under the first), then the
     * dirty database: duplicate CRL rows, unknown serials, certificates of deleted users and keys
     * without certificates, with more distinct revoked serials than the capacity.
     */
    public static List<GateCase> boundaryCases(int c, int largeMultiple, long seed) {
        List<GateCase> cases = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        String[] labels = {"0", "1", "C-1", "C", "C+1", "2C+1", largeMultiple + "C"};
        long[] counts = {0, 1, c - 1L, c, c + 1L, 2L * c + 1, (long) largeMultiple * c};
        for (int i = 0; i < labels.length; i++) {
            if (counts[i] >= 0 && seen.add(counts[i])) {
                int revoked = Math.toIntExact(counts[i]);
                cases.add(new GateCase(labels[i], new Profile(usersFor(revoked), revoked, 0, 0, 0, 0, seed)));
            }
        }
        cases.add(dirty(c, seed));
        return cases;
    }

    /**
     * Every kind of dirt, beyond the capacity: C+1 distinct revoked serials among converted
     * certificates plus unknown serials and revoked certificates of deleted users.
     */
    static GateCase dirty(int c, long seed) {
        int revoked = c + 1;
        int users = Math.max(50, revoked);
        int orphans = Math.max(6, c / 4);
        return new GateCase("dirty", new Profile(users, revoked, Math.max(5, c / 2), orphans, orphans, Math.max(3, c / 8), seed));
    }

    /** Distinct CRL serials: what the reference defect must apply in one transaction. */
    public long revocations() {
        return profile.distinctRevokedSerials();
    }
}
