package dev.kmsgate.kms.generate;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hand-made fast paths of certificate building give exactly what the plain library calls give:
 * the serial's hex, the UTCTime bytes, and a subject that is, to the JDK, the row's DN.
 */
class CertificatePartsTest {

    @Test
    void serialHexIsBigIntegersBase16() {
        for (long small : new long[] {0, 1, 15, 16, 255, 256, 0x7f, 0x80, 0xffff, 0x10000}) {
            BigInteger serial = BigInteger.valueOf(small);
            assertEquals(serial.toString(16), Serials.hex(serial));
        }
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(20)];
            random.nextBytes(bytes);
            BigInteger serial = new BigInteger(1, bytes);
            assertEquals(serial.toString(16), Serials.hex(serial));
        }
    }

    @Test
    void utcTimeIsWhatBouncyCastleEncodesFromADate() throws Exception {
        long from = Instant.parse("1950-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2049-12-31T23:59:59Z").getEpochSecond();
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < 10_000; i++) {
            assertSameTime(Instant.ofEpochSecond(random.nextLong(from, to + 1)));
        }
        for (String edge : new String[] {"1950-01-01T00:00:00Z", "2049-12-31T23:59:59Z", "1949-12-31T23:59:59Z", "2050-01-01T00:00:00Z"}) {
            assertSameTime(Instant.parse(edge));
        }
    }

    private static void assertSameTime(Instant instant) throws Exception {
        assertArrayEquals(new Time(Date.from(instant)).getEncoded(), CertificateFactory.time(instant).getEncoded(), instant::toString);
    }

    @Test
    void subjectBuiltFromItsRdnsIsTheRowsDnInRfc2253() throws Exception {
        for (String commonName : new String[] {"User 1", "User 500000", "Deleted User 501007"}) {
            for (int site = 1; site <= 7; site++) {
                String row = "CN=" + commonName + ",OU=Site " + site + ",O=KMS Gate";
                X500Name built = CertificateFactory.subject(commonName, site);
                assertEquals(row, CertificateFactory.subjectDn(commonName, site));
                assertEquals(row, new X500Principal(built.getEncoded()).getName(X500Principal.RFC2253));
                // the name the JDK parses from the row's text (PKIX compares names this way)
                assertEquals(new X500Principal(row), new X500Principal(built.getEncoded()));
            }
        }
    }
}
