package dev.kmsgate.kms.generate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PKI tool accepts the generated certificates: each is issued by the CA kept beside the database,
 * whose subject is the rows' ISSUER_DN, and each subject's RFC 2253 name is its row's SUBJECT_DN.
 * Checked with the JDK alone: X500Principal and a PKIX CertPathValidator.
 */
class CertificateAuthorityTest {

    /** Every kind of certificate: users' signing and encryption ones, and those of deleted users. */
    private static final Profile PROFILE = new Profile(15, 6, 2, 2, 6, 1, 21L);

    @TempDir
    static Path dir;
    private static DatabaseAddress database;
    private static final List<Row> rows = new ArrayList<>();

    private record Row(String serial, String issuerDn, String subjectDn, X509Certificate certificate) {
    }

    @BeforeAll
    static void generate() throws Exception {
        database = DatabaseAddress.parse("database", "kms50", dir);
        new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(database), PROFILE, false));
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        try (Connection c = Databases.openReadOnly(database, Credentials.NONE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SERIAL, ISSUER_DN, SUBJECT_DN, CERT_DER FROM KMS50.KM_CERT ORDER BY SERIAL")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3),
                        (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(rs.getBytes(4)))));
            }
            c.rollback();
        }
        assertEquals(PROFILE.certificates(), rows.size());
    }

    @AfterAll
    static void shutdown() {
        Databases.shutdown(database, Credentials.NONE);
    }

    private static X509Certificate ca(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void validate(X509Certificate certificate, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        // a day into the certificate's validity: generated certificates are from 2005 to 2010
        parameters.setDate(new Date(certificate.getNotBefore().getTime() + 86_400_000L));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate)), parameters);
    }

    @Test
    void theCaCertificateIsKeptBesideTheDatabaseAndNamedAsTheRowsIssuer() throws Exception {
        Path file = dir.resolve("kms50.ca.pem");
        assertTrue(Files.isRegularFile(file), "the CA is kept beside the database directory");
        assertTrue(Files.readString(file).startsWith("-----BEGIN CERTIFICATE-----\n"));
        X509Certificate ca = ca(file);
        assertEquals("CN=KMS Gate Test CA,OU=Key Management,O=KMS Gate", ca.getSubjectX500Principal().getName(X500Principal.RFC2253));
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal(), "self-signed");
        assertTrue(ca.getBasicConstraints() >= 0, "a CA certificate");
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        ca.verify(ca.getPublicKey());
        for (Row row : rows) {
            assertEquals(row.issuerDn(), ca.getSubjectX500Principal().getName(X500Principal.RFC2253), row.serial());
        }
    }

    @Test
    void everySubjectAndIssuerReadInRfc2253IsTheRowsDn() {
        for (Row row : rows) {
            assertEquals(row.subjectDn(), new X500Principal(row.certificate().getSubjectX500Principal().getEncoded())
                    .getName(X500Principal.RFC2253), row.serial());
            assertEquals(row.issuerDn(), row.certificate().getIssuerX500Principal().getName(X500Principal.RFC2253), row.serial());
            assertTrue(row.subjectDn().startsWith("CN="), row.subjectDn());
        }
    }

    @Test
    void pkixAcceptsEveryCertificateWithTheCaAsTrustAnchor() throws Exception {
        X509Certificate ca = ca(dir.resolve("kms50.ca.pem"));
        for (Row row : rows) {
            validate(row.certificate(), ca);
        }
    }

    @Test
    void pkixRefusesTheCertificatesUnderAnotherSeedsCa() throws Exception {
        // same name, other key: the signature check is what fails, so the test above can fail
        X509Certificate otherCa = ca(writeCa(dir.resolve("other-seed"), 22L));
        assertEquals(rows.get(0).issuerDn(), otherCa.getSubjectX500Principal().getName(X500Principal.RFC2253));
        CertPathValidatorException refused = assertThrows(CertPathValidatorException.class, () -> validate(rows.get(0).certificate(), otherCa));
        assertEquals(CertPathValidatorException.BasicReason.INVALID_SIGNATURE, refused.getReason());
    }

    @Test
    void theSameSeedGivesTheSameCaBytes() throws Exception {
        byte[] kept = Files.readAllBytes(dir.resolve("kms50.ca.pem"));
        assertArrayEquals(kept, Files.readAllBytes(writeCa(dir.resolve("same-seed"), PROFILE.seed())));
        assertFalse(java.util.Arrays.equals(kept, Files.readAllBytes(writeCa(dir.resolve("another-seed"), 23L))));
    }

    @Test
    void reusingTheDatabaseBringsBackAMissingCaFile() throws Exception {
        Path file = dir.resolve("kms50.ca.pem");
        byte[] kept = Files.readAllBytes(file);
        Files.delete(file);

        Generator.Result again = new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(database), PROFILE, false));

        assertTrue(again.reused());
        assertArrayEquals(kept, Files.readAllBytes(file));
    }

    @Test
    void holdsSaysWhetherTheDatabaseWouldBeReusedWithoutWritingItsCaFile() throws Exception {
        Path file = dir.resolve("kms50.ca.pem");
        byte[] kept = Files.readAllBytes(file);
        Files.delete(file);
        try {
            assertTrue(Generator.holds(Database.of(database), PROFILE));
            assertFalse(Files.exists(file), "no CA made, none written");
            assertFalse(Generator.holds(Database.of(database), new Profile(15, 6, 2, 2, 6, 1, 22L)), "another seed");
            assertFalse(Generator.holds(Database.of(DatabaseAddress.parse("database", dir.resolve("none").toString(), dir)), PROFILE));
        } finally {
            Files.write(file, kept);
        }
    }

    @Test
    void aDatabaseThatIsNoDirectoryGetsNoCaFile() {
        assertTrue(CaFile.of(DatabaseAddress.parse("database", "jdbc:derby:memory:ca-test", dir)).isEmpty());
        assertEquals(dir.resolve("kms50.ca.pem"), CaFile.of(database).orElseThrow());
    }

    /** Writes the CA file of a seed for a directory database that is never created. */
    private static Path writeCa(Path directory, long seed) {
        DatabaseAddress address = DatabaseAddress.parse("database", directory.toString(), dir);
        CaFile.write(address, new dev.kmsgate.kms.generate.CertificateFactory(seed));
        return CaFile.of(address).orElseThrow();
    }
}
