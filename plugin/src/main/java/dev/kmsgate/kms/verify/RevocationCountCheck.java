package dev.kmsgate.kms.verify;

import java.util.List;
import java.util.Locale;

/**
 * Invariant 4: the distinct CRL serials equal the target's revoked certificates plus its unmatched
 * revocations, and the revoked count equals the CRL serials that name a converted certificate.
 * Its own differences are the revoked-set check's, which name the serials.
 */
final class RevocationCountCheck {

    private final RevocationSetCheck set;
    private long crlSerials;
    private long expectedRevoked;
    private long revoked;
    private long unmatched;

    RevocationCountCheck(RevocationSetCheck set) {
        this.set = set;
    }

    void accept(SerialGroup group) {
        if (group.revocation() != null) {
            crlSerials++;
            if (group.cert() != null) {
                expectedRevoked++;
            }
        }
        if (group.cert() != null && "R".equals(group.cert().status())) {
            revoked++;
        }
        unmatched += group.rows().unmatched();
    }

    /** Rows of {@code UNMATCHED_REVOCATION} whose {@code SERIAL} is NULL: they count, and name no CRL serial. */
    void nullKeys(long rows) {
        unmatched += rows;
    }

    InvariantResult result() {
        long actual = revoked + unmatched;
        boolean holds = crlSerials == actual && expectedRevoked == revoked;
        String detail = String.format(Locale.ROOT, "%,d distinct CRL serials; target has %,d revoked + %,d unmatched = %,d; "
                + "%,d CRL serials name a converted certificate, %,d are revoked", crlSerials, revoked, unmatched,
                actual, expectedRevoked, revoked);
        List<String> differences = holds ? List.of() : set.firstDifferences();
        return new InvariantResult(Invariant.REVOCATION_COUNT, holds ? InvariantResult.Status.PASSED : InvariantResult.Status.FAILED,
                crlSerials, actual, detail, differences, holds ? 0 : Math.max(1, differences.size()));
    }
}
