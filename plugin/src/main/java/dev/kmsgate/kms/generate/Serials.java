package dev.kmsgate.kms.generate;

import java.math.BigInteger;
import java.util.HexFormat;

/**
 * Deterministic, unique certificate serials: {@code prefix || space || index}, where the low 40
 * bits (an 8-bit space and a 32-bit index) make every serial unique and a seeded prefix of 0 to 14
 * bytes gives the serials the varied lengths of real ones (at most 20 octets, as X.509 allows).
 * Rendered as lower-case hex without leading zeros, as the KMS50 format stores them.
 */
final class Serials {

    static final int USER_CERTIFICATE = 1;
    static final int ORPHAN_CERTIFICATE = 2;
    static final int ORPHAN_REVOCATION = 3;
    static final int ORPHAN_KEY = 4;

    private final long seed;

    Serials(long seed) {
        this.seed = seed;
    }

    /**
     * The serial of the second certificate of a deleted user: the greatest of all (38 hex digits
     * {@code f}, 20 octets in DER), so that in key order the certificates and the keys both end with
     * a quarantined row, where a resume that forgets the quarantine tables writes them again.
     */
    static final BigInteger LAST = BigInteger.ONE.shiftLeft(152).subtract(BigInteger.ONE);

    BigInteger serial(int space, long index) {
        if (space == ORPHAN_CERTIFICATE && index == 2) {
            return LAST;
        }
        Entropy entropy = new Entropy(seed, 1000 + space, index);
        int prefixLength = entropy.nextInt(15);
        byte[] bytes = new byte[prefixLength + 5];
        for (int i = 0; i < prefixLength; i++) {
            bytes[i] = (byte) entropy.nextInt(256);
        }
        bytes[prefixLength] = (byte) space;
        for (int i = 0; i < 4; i++) {
            bytes[prefixLength + 1 + i] = (byte) (index >>> (8 * (3 - i)));
        }
        return new BigInteger(1, bytes);
    }

    /** {@code serial.toString(16)}, from its bytes (BigInteger's radix conversion divides, and made a tenth of generation's garbage). */
    static String hex(BigInteger serial) {
        String hex = HexFormat.of().formatHex(serial.toByteArray());
        int first = 0;
        while (first < hex.length() - 1 && hex.charAt(first) == '0') {
            first++;
        }
        return hex.substring(first);
    }
}
