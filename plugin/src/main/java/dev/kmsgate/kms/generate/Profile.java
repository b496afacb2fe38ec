package dev.kmsgate.kms.generate;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;

import java.util.Locale;

/**
 * What a generated legacy database holds. The same profile always gives the same content.
 *
 * <ul>
 *   <li>{@code users} users, each with a signing ({@code S}) and an encryption ({@code E})
 *       certificate; each encryption certificate has an escrowed key. Their ids have gaps (every
 *       multiple of 10 is missing); their display names include NULL, empty, space-padded and
 *       non-ASCII ones; some certificates are over 1 KiB and one over 32 KiB.</li>
 *   <li>{@code revoked} distinct certificates of existing users on the CRL, spread over the serial
 *       space.</li>
 *   <li>{@code duplicateRevocations} extra CRL rows for serials already on it, some earlier, some
 *       later, some at the same time with another reason, so the effective revocation matters; every
 *       second one for a serial without a converted certificate (an unknown serial or a deleted
 *       user's certificate), when there are any.</li>
 *   <li>{@code orphanRevocations} CRL rows for serials that name no certificate.</li>
 *   <li>{@code orphanCertificates} certificates of deleted users (their {@code USER_ID} names no
 *       user; every fourth one an id in a gap between existing users' ids), alternating signing and
 *       encryption; the encryption ones have keys, and every third one is on the CRL.</li>
 *   <li>{@code orphanKeys} escrowed keys whose serial names no certificate.</li>
 * </ul>
 *
 * <p>Public for gate and maven, which say what to generate; not an API.
 *
 * @param seed chooses serials, times, reasons and key bytes
 */
public record Profile(int users, int revoked, int duplicateRevocations, int orphanRevocations,
                      int orphanCertificates, int orphanKeys, long seed) {

    /** Serials carry a 32-bit index, so at most this many entities of each kind. */
    public static final long MAX_CERTIFICATES = 1L << 31;

    /** Validates, naming the POM element and the fix. */
    public Profile {
        requireNonNegative("users", users);
        requireNonNegative("revoked", revoked);
        requireNonNegative("duplicateRevocations", duplicateRevocations);
        requireNonNegative("orphanRevocations", orphanRevocations);
        requireNonNegative("orphanCertificates", orphanCertificates);
        requireNonNegative("orphanKeys", orphanKeys);
        long certificates = 2L * users + orphanCertificates;
        if (certificates > MAX_CERTIFICATES) {
            throw new KmsUsageException(Messages.format(Messages.PROFILE_TOO_LARGE, certificates, MAX_CERTIFICATES));
        }
        if (revoked > 2L * users) {
            throw new KmsUsageException(Messages.format(Messages.PROFILE_TOO_MANY_REVOKED, revoked, users, 2L * users));
        }
        if (duplicateRevocations > 0 && revoked == 0) {
            throw new KmsUsageException(Messages.format(Messages.PROFILE_DUPLICATES_WITHOUT_REVOKED, duplicateRevocations));
        }
    }

    private static void requireNonNegative(String name, int value) {
        if (value < 0) {
            throw new KmsUsageException(Messages.format(Messages.PROFILE_NEGATIVE, name, value));
        }
    }

    /** Certificates in {@code KM_CERT}. */
    public long certificates() {
        return 2L * users + orphanCertificates;
    }

    /** Keys in {@code KM_KEY}: one per encryption certificate, plus the orphans. */
    public long keys() {
        return users + orphanCertificates / 2 + orphanKeys;
    }

    /** Orphan certificates that are on the CRL (every third one). */
    public long revokedOrphanCertificates() {
        return (orphanCertificates + 2) / 3;
    }

    /** Rows in {@code KM_CRL}. */
    public long crlRows() {
        return (long) revoked + duplicateRevocations + orphanRevocations + revokedOrphanCertificates();
    }

    /** Distinct serials in {@code KM_CRL}. */
    public long distinctRevokedSerials() {
        return (long) revoked + orphanRevocations + revokedOrphanCertificates();
    }

    /**
     * A stable text key of the profile, recorded in the database and used to reuse it. Its version
     * changes whenever the same profile gives other bytes (v2: names encoded most significant RDN
     * first, certificates issued by a CA kept beside the database; v3: gaps in user ids, awkward
     * display names, large certificates, duplicate CRL rows of unmatched serials), so an older
     * database is never reused as if it were current.
     */
    public String key() {
        return String.format(Locale.ROOT,
                "v3;users=%d;revoked=%d;duplicateRevocations=%d;orphanRevocations=%d;orphanCertificates=%d;orphanKeys=%d;seed=%d",
                users, revoked, duplicateRevocations, orphanRevocations, orphanCertificates, orphanKeys, seed);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%,d users, %,d revoked (+%,d duplicate CRL rows), %,d orphan revocations, %,d orphan certificates, %,d orphan keys, seed %d",
                users, revoked, duplicateRevocations, orphanRevocations, orphanCertificates, orphanKeys, seed);
    }
}
