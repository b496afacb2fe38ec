package dev.kmsgate.kms.generate;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one profile, each a function of the profile's seed and its position alone, so blocks
 * can be built on any thread in any order and the same profile always gives the same rows.
 * Certificate positions 1..2U belong to users (odd: signing, even: encryption with an escrowed
 * key; user u owns 2u-1 and 2u and is written with the first); the rest to deleted users (every
 * second one with a key).
 */
final class ProfileRows {

    /** RFC 5280 CRLReason codes (7 is unused). */
    private static final short[] REASONS = {0, 1, 2, 3, 4, 5, 6, 8, 9, 10};
    private static final Instant EPOCH = Instant.parse("2005-01-01T00:00:00Z");
    private static final long THREE_YEARS_MS = Duration.ofDays(3 * 365).toMillis();

    /** A user row. */
    record UserRow(int userId, String mailboxDn, String displayName, Instant enrolledAt) {
    }

    /** A certificate row, its DER signed. */
    record CertificateRow(String serial, int userId, char usage, String subjectDn, Instant notBefore, Instant notAfter, byte[] der) {
    }

    /** An escrowed key row, wrapped. */
    record KeyRow(String serial, byte[] wrappedKey) {
    }

    /** What one block of certificate positions writes, in table order. */
    record Block(List<UserRow> users, List<CertificateRow> certificates, List<KeyRow> keys) {
    }

    /** Receives the CRL rows, in the order they are written. */
    interface RevocationSink<E extends Exception> {
        void revocation(String serial, Instant at, short reason) throws E;
    }

    private final Profile profile;
    private final Serials serials;
    private final CertificateFactory certificates;

    ProfileRows(Profile profile, CertificateFactory certificates) {
        this.profile = profile;
        this.serials = new Serials(profile.seed());
        this.certificates = certificates;
    }

    /** The rows of certificate positions {@code from..to}. */
    Block block(long from, long to) {
        Block block = new Block(new ArrayList<>(), new ArrayList<>((int) (to - from + 1)), new ArrayList<>());
        long userCertificates = 2L * profile.users();
        for (long position = from; position <= to; position++) {
            if (position <= userCertificates) {
                int user = (int) ((position + 1) / 2);
                if (position % 2 == 1) {
                    block.users().add(user(user));
                }
                block.certificates().add(certificate(serials.serial(Serials.USER_CERTIFICATE, position), userId(user), site(user),
                        "User " + user, position % 2 == 1 ? 'S' : 'E', position));
                if (position % 2 == 0) {
                    block.keys().add(key(Serials.USER_CERTIFICATE, position));
                }
            } else {
                long i = position - userCertificates;
                int deletedUser = deletedUserId(i);
                block.certificates().add(certificate(serials.serial(Serials.ORPHAN_CERTIFICATE, i), deletedUser, site(deletedUser),
                        "Deleted User " + deletedUser, i % 2 == 1 ? 'S' : 'E', -i));
                if (i % 2 == 0) {
                    block.keys().add(key(Serials.ORPHAN_CERTIFICATE, i));
                }
            }
        }
        return block;
    }

    /** The key of orphan key {@code i}: its serial names no certificate. */
    KeyRow orphanKey(long i) {
        return key(Serials.ORPHAN_KEY, i);
    }

    private UserRow user(int user) {
        Entropy entropy = new Entropy(profile.seed(), 10, user);
        return new UserRow(userId(user), "/o=KMS Gate/ou=Site " + site(user) + "/cn=Recipients/cn=user" + user,
                displayName(user), EPOCH.plusMillis(entropy.nextLong(THREE_YEARS_MS)));
    }

    /**
     * The id of user {@code u} (1-based): the numbers that are not multiples of 10, in order (1..9,
     * 11..19, ...), so the ids have gaps as those of a database whose users were deleted do.
     */
    static int userId(int u) {
        return u + (u - 1) / 9;
    }

    /**
     * The user id of deleted user {@code i} (1-based), named by a certificate but by no user: every
     * fourth one a gap between the ids of existing users (10, 20, ...), the others above them all.
     */
    int deletedUserId(long i) {
        int gaps = Math.max(0, (profile.users() - 1) / 9);
        if (i % 4 == 0 && gaps > 0) {
            return (int) (10 * (1 + (i / 4 - 1) % gaps));
        }
        return userId(profile.users()) + 1000 + (int) i;
    }

    /**
     * The display name of user {@code u}, with the shapes real directories hold: NULL (every 17th),
     * empty (13th), spaces at both ends (11th), padded with spaces to the column's 256 characters
     * (23rd), non-ASCII Latin letters (7th, from the 5th), CJK and a character outside the Basic
     * Multilingual Plane (19th); plain ASCII otherwise.
     */
    static String displayName(int u) {
        if (u % 17 == 0) {
            return null;
        }
        if (u % 13 == 0) {
            return "";
        }
        if (u % 11 == 0) {
            return "  User " + u + " ";
        }
        if (u % 23 == 0) {
            return String.format(java.util.Locale.ROOT, "%-256s", "User " + u);
        }
        if (u % 7 == 5) {
            return "Zoë Ångström-Łukasiewicz " + u;
        }
        if (u % 19 == 0) {
            return "用户 " + u + " \uD834\uDD1E";
        }
        return "User " + u;
    }

    private CertificateRow certificate(BigInteger serial, int userId, int site, String commonName, char usage, long index) {
        Instant notBefore = notBefore(index);
        Instant notAfter = notBefore.plus(Duration.ofDays(730));
        return new CertificateRow(Serials.hex(serial), userId, usage, CertificateFactory.subjectDn(commonName, site), notBefore, notAfter,
                certificates.certificate(serial, CertificateFactory.subject(commonName, site), usage, notBefore, notAfter, index));
    }

    private KeyRow key(int space, long index) {
        return new KeyRow(Serials.hex(serials.serial(space, index)), certificates.wrappedKey(space, index));
    }

    /**
     * Every CRL row: the revoked certificates of users spread over the serial space, the duplicates
     * (earlier, later, or at the same time with another reason; every second one for a serial that
     * names no converted certificate), the serials of no certificate, and every third certificate of
     * a deleted user.
     */
    <E extends Exception> void revocations(RevocationSink<E> sink) throws E {
        long certificateCount = 2L * profile.users();
        long step = coprimeStep(certificateCount);
        for (long j = 0; j < profile.revoked(); j++) {
            long k = 1 + Math.floorMod(j * step, certificateCount);
            Entropy entropy = new Entropy(profile.seed(), 20, k);
            sink.revocation(hex(Serials.USER_CERTIFICATE, k), revokedAt(k, entropy), reason(entropy));
        }
        long unknownSerials = profile.orphanRevocations();
        long revokedOrphans = profile.revokedOrphanCertificates();
        for (long j = 0; j < profile.duplicateRevocations(); j++) {
            String serial;
            Instant original;
            long m = j / 2;
            if (j % 2 == 1 && unknownSerials + revokedOrphans > 0) {
                // every second duplicate names a serial without a converted certificate, alternately an
                // unknown one and one of a deleted user's certificates
                if (revokedOrphans == 0 || (unknownSerials > 0 && m % 2 == 0)) {
                    long i = 1 + (m / 2) % unknownSerials;
                    serial = hex(Serials.ORPHAN_REVOCATION, i);
                    original = revokedAt(i, new Entropy(profile.seed(), 22, i));
                } else {
                    long i = 1 + 3 * ((m / 2) % revokedOrphans);
                    serial = hex(Serials.ORPHAN_CERTIFICATE, i);
                    original = revokedAt(-i, new Entropy(profile.seed(), 23, i));
                }
            } else {
                long k = 1 + Math.floorMod((j % profile.revoked()) * step, certificateCount);
                serial = hex(Serials.USER_CERTIFICATE, k);
                original = revokedAt(k, new Entropy(profile.seed(), 20, k));
            }
            Entropy entropy = new Entropy(profile.seed(), 21, j);
            Instant at = switch ((int) (j % 3)) {
                case 0 -> original.plusMillis(1 + entropy.nextLong(Duration.ofDays(30).toMillis()));
                case 1 -> original.minusMillis(1 + entropy.nextLong(Duration.ofDays(30).toMillis()));
                default -> original;
            };
            sink.revocation(serial, at, reason(entropy));
        }
        for (long i = 1; i <= profile.orphanRevocations(); i++) {
            Entropy entropy = new Entropy(profile.seed(), 22, i);
            sink.revocation(hex(Serials.ORPHAN_REVOCATION, i), revokedAt(i, entropy), reason(entropy));
        }
        for (long i = 1; i <= profile.orphanCertificates(); i += 3) {
            Entropy entropy = new Entropy(profile.seed(), 23, i);
            sink.revocation(hex(Serials.ORPHAN_CERTIFICATE, i), revokedAt(-i, entropy), reason(entropy));
        }
    }

    private String hex(int space, long index) {
        return Serials.hex(serials.serial(space, index));
    }

    private Instant notBefore(long index) {
        return EPOCH.plusSeconds(new Entropy(profile.seed(), 11, index).nextLong(THREE_YEARS_MS / 1000));
    }

    private Instant revokedAt(long index, Entropy entropy) {
        return notBefore(index).plusMillis(Duration.ofDays(1).toMillis() + entropy.nextLong(Duration.ofDays(600).toMillis()));
    }

    private static short reason(Entropy entropy) {
        return REASONS[entropy.nextInt(REASONS.length)];
    }

    private static int site(int user) {
        return user % 7 + 1;
    }

    /** A step near the golden ratio of n that is coprime with n, so j * step mod n visits every index once. */
    static long coprimeStep(long n) {
        if (n <= 1) {
            return 1;
        }
        long step = Math.max(1, (long) (n * 0.6180339887));
        while (gcd(step, n) != 1) {
            step++;
        }
        return step;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
