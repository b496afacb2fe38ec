package dev.kmsgate.kms.generate;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.DatabaseDigest;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.Sql;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generation of legacy databases into real embedded Derby directories. */
class GeneratorTest {

    /** Small, with every kind of dirt: 24 user certificates + 5 orphans, 7 revoked + 5 duplicates, 3 unknown serials, 2 orphan keys. */
    private static final Profile PROFILE = new Profile(12, 7, 5, 3, 5, 2, 11L);

    /** One database of {@link #PROFILE} for the tests that only read it. */
    @TempDir
    static Path shared;
    private static DatabaseAddress generated;

    @TempDir
    Path dir;
    private final List<DatabaseAddress> created = new ArrayList<>();

    @BeforeAll
    static void generateShared() {
        generated = DatabaseAddress.parse("database", "kms50", shared);
        new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(generated), PROFILE, false));
    }

    @AfterAll
    static void shutdownShared() {
        Databases.shutdown(generated, Credentials.NONE);
    }

    @AfterEach
    void dropCreated() {
        created.forEach(address -> Databases.drop(address, Credentials.NONE));
    }

    /** A directory database in this test's temporary directory. */
    private DatabaseAddress directory(String name) {
        DatabaseAddress address = DatabaseAddress.parse("database", name, dir);
        created.add(address);
        return address;
    }

    /** An in-memory database: the same engine, without the disk syncs that make creating one slow. */
    private DatabaseAddress memory() {
        DatabaseAddress address = DatabaseAddress.parse("database", "jdbc:derby:memory:generator-" + UUID.randomUUID(), dir);
        created.add(address);
        return address;
    }

    private static Generator.Result generate(DatabaseAddress address, Profile profile, boolean overwrite) {
        return new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(address), profile, overwrite));
    }

    private static Map<String, String> digest(DatabaseAddress address) throws SQLException {
        try (Connection connection = Databases.openReadOnly(address, Credentials.NONE)) {
            Map<String, String> digest = DatabaseDigest.of(connection);
            connection.rollback();
            return digest;
        }
    }

    /** The first column of every row of a query. */
    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (var query = connection.prepareStatement(sql); var rs = query.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static long count(Connection connection, String sql) {
        return Sql.queryLong(connection, sql);
    }

    /**
     * The shapes real legacy databases hold and that a converter's own fixtures rarely do: gaps in
     * user ids (and deleted users' ids inside them), NULL, empty, space-padded and non-ASCII display
     * names, certificates over 1 KiB and 32 KiB, unmatched serials with several CRL rows, and key
     * order ending with a quarantined row.
     */
    @Test
    void theDataHasTheShapesOfRealDatabases() throws SQLException {
        DatabaseAddress database = memory();
        generate(database, new Profile(40, 10, 12, 6, 9, 4, 3L), false);

        try (Connection c = Databases.openReadOnly(database, Credentials.NONE)) {
            assertEquals(0, count(c, "SELECT COUNT(*) FROM KMS50.KM_USER WHERE MOD(USER_ID, 10) = 0"));
            assertEquals(44, count(c, "SELECT MAX(USER_ID) FROM KMS50.KM_USER"));
            assertEquals(List.of("10", "20"), strings(c, "SELECT DISTINCT RTRIM(CHAR(USER_ID)) FROM KMS50.KM_CERT "
                    + "WHERE USER_ID < 44 AND USER_ID NOT IN (SELECT USER_ID FROM KMS50.KM_USER) ORDER BY 1"));

            List<String> names = strings(c, "SELECT DISTINCT DISPLAY_NAME FROM KMS50.KM_USER");
            assertTrue(names.contains(null));
            assertTrue(names.contains(""));
            assertTrue(names.contains("  User 11 "));
            assertTrue(names.contains("User 23" + " ".repeat(249)));
            assertTrue(names.contains("Zoë Ångström-Łukasiewicz 5"));
            assertTrue(names.contains("用户 38 \uD834\uDD1E"));
            assertTrue(names.contains("User 1"));

            assertEquals(3, count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT WHERE LENGTH(CERT_DER) > 1024"));
            assertEquals(1, count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT WHERE LENGTH(CERT_DER) > 32768"));

            String unmatchedWithSeveralRows = "SELECT COUNT(*) FROM (SELECT SERIAL FROM KMS50.KM_CRL WHERE SERIAL NOT IN "
                    + "(SELECT SERIAL FROM KMS50.KM_CERT%s) GROUP BY SERIAL HAVING COUNT(*) > 1) x";
            assertEquals(3, count(c, String.format(unmatchedWithSeveralRows, "")), "unknown serials with two CRL rows");
            assertEquals(6, count(c, String.format(unmatchedWithSeveralRows, " WHERE USER_ID IN (SELECT USER_ID FROM KMS50.KM_USER)")),
                    "and deleted users' certificates with two");

            String last = "f".repeat(38);
            assertEquals(last, strings(c, "SELECT MAX(SERIAL) FROM KMS50.KM_CERT").get(0));
            assertEquals(last, strings(c, "SELECT MAX(SERIAL) FROM KMS50.KM_KEY").get(0));
            assertEquals(0, count(c, "SELECT COUNT(*) FROM KMS50.KM_USER WHERE USER_ID = (SELECT USER_ID FROM KMS50.KM_CERT "
                    + "WHERE SERIAL = '" + last + "')"), "the greatest serial is a deleted user's certificate");
            c.rollback();
        }
    }

    @Test
    void sameProfileAndSeedGiveIdenticalContent() throws SQLException {
        DatabaseAddress first = memory();
        DatabaseAddress second = memory();
        generate(first, PROFILE, false);
        generate(second, PROFILE, false);

        Map<String, String> firstDigest = digest(first);
        assertEquals(Set.of("KMS50.KM_USER", "KMS50.KM_CERT", "KMS50.KM_KEY", "KMS50.KM_CRL", "KMS50.KMS_GATE_PROFILE"), firstDigest.keySet());
        assertEquals(firstDigest, digest(second));
        assertEquals(firstDigest, digest(generated), "the shared database was generated from the same profile");
    }

    @Test
    void anotherSeedGivesOtherContentInEveryTable() throws SQLException {
        DatabaseAddress other = memory();
        generate(other, new Profile(12, 7, 5, 3, 5, 2, 12L), false);

        Map<String, String> expected = digest(generated);
        Map<String, String> actual = digest(other);
        for (String table : List.of("KMS50.KM_USER", "KMS50.KM_CERT", "KMS50.KM_KEY", "KMS50.KM_CRL")) {
            assertNotEquals(expected.get(table), actual.get(table), table);
            // same shape, other values
            assertEquals(expected.get(table).split(",")[0], actual.get(table).split(",")[0], table + " row count");
        }
    }

    @Test
    void rowCountsFollowTheProfile() throws SQLException {
        assertEquals(29, PROFILE.certificates());
        assertEquals(16, PROFILE.keys());
        assertEquals(17, PROFILE.crlRows());
        assertEquals(12, PROFILE.distinctRevokedSerials());
        try (Connection c = Databases.openReadOnly(generated, Credentials.NONE)) {
            assertEquals(PROFILE.users(), count(c, "SELECT COUNT(*) FROM KMS50.KM_USER"));
            assertEquals(PROFILE.certificates(), count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT"));
            assertEquals(PROFILE.keys(), count(c, "SELECT COUNT(*) FROM KMS50.KM_KEY"));
            assertEquals(PROFILE.crlRows(), count(c, "SELECT COUNT(*) FROM KMS50.KM_CRL"));
            assertEquals(PROFILE.distinctRevokedSerials(), count(c, "SELECT COUNT(DISTINCT SERIAL) FROM KMS50.KM_CRL"));

            // the dirt the profile promises
            assertEquals(5, count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT C WHERE NOT EXISTS "
                    + "(SELECT 1 FROM KMS50.KM_USER U WHERE U.USER_ID = C.USER_ID)"), "certificates of deleted users");
            assertEquals(3, count(c, "SELECT COUNT(DISTINCT SERIAL) FROM KMS50.KM_CRL R WHERE NOT EXISTS "
                    + "(SELECT 1 FROM KMS50.KM_CERT C WHERE C.SERIAL = R.SERIAL)"), "CRL serials of no certificate");
            assertEquals(2, count(c, "SELECT COUNT(DISTINCT R.SERIAL) FROM KMS50.KM_CRL R JOIN KMS50.KM_CERT C ON C.SERIAL = R.SERIAL "
                    + "WHERE NOT EXISTS (SELECT 1 FROM KMS50.KM_USER U WHERE U.USER_ID = C.USER_ID)"), "revoked orphan certificates");
            assertEquals(7, count(c, "SELECT COUNT(DISTINCT R.SERIAL) FROM KMS50.KM_CRL R JOIN KMS50.KM_CERT C ON C.SERIAL = R.SERIAL "
                    + "JOIN KMS50.KM_USER U ON U.USER_ID = C.USER_ID"), "revoked certificates of users");
            assertEquals(2, count(c, "SELECT COUNT(*) FROM KMS50.KM_KEY K WHERE NOT EXISTS "
                    + "(SELECT 1 FROM KMS50.KM_CERT C WHERE C.SERIAL = K.SERIAL)"), "keys without a certificate");
            c.rollback();
        }
    }

    @Test
    void everyCertificateIsRealDerMatchingItsRowAndSignedByOneCa() throws Exception {
        java.security.cert.CertificateFactory x509 = java.security.cert.CertificateFactory.getInstance("X.509");
        PublicKey ca = caPublicKey(PROFILE.seed());
        Calendar utc = Sql.utc();
        int checked = 0;
        try (Connection c = Databases.openReadOnly(generated, Credentials.NONE);
             PreparedStatement select = c.prepareStatement(
                     "SELECT SERIAL, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER FROM KMS50.KM_CERT ORDER BY SERIAL");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String serial = rs.getString(1);
                X509Certificate cert = (X509Certificate) x509.generateCertificate(new ByteArrayInputStream(rs.getBytes(7)));

                assertTrue(serial.matches("[1-9a-f][0-9a-f]{0,39}"), serial);
                assertEquals(serial, cert.getSerialNumber().toString(16));
                assertEquals(rs.getString(4), new X500Principal(cert.getSubjectX500Principal().getEncoded()).getName(X500Principal.RFC2253), serial);
                assertEquals("CN=KMS Gate Test CA,OU=Key Management,O=KMS Gate", rs.getString(3), serial);
                assertEquals(rs.getString(3), cert.getIssuerX500Principal().getName(X500Principal.RFC2253), serial);
                assertEquals(rs.getTimestamp(5, utc).getTime(), cert.getNotBefore().getTime(), serial);
                assertEquals(rs.getTimestamp(6, utc).getTime(), cert.getNotAfter().getTime(), serial);
                boolean[] keyUsage = cert.getKeyUsage();
                if ("S".equals(rs.getString(2))) {
                    assertTrue(keyUsage[0], serial + " digitalSignature");
                } else {
                    assertEquals("E", rs.getString(2));
                    assertTrue(keyUsage[4], serial + " keyAgreement");
                }
                cert.verify(ca);
                checked++;
            }
            c.rollback();
        }
        assertEquals(29, checked);
    }

    /**
     * The test CA's public key, derived from the seed the way {@link CertificateFactory} derives its
     * private key, so a certificate signed by any other key fails {@link X509Certificate#verify}.
     */
    private static PublicKey caPublicKey(long seed) throws Exception {
        byte[] caSeed = new byte[32];
        new Entropy(seed, 1, 0).nextBytes(caSeed);
        byte[] publicKey = new Ed25519PrivateKeyParameters(caSeed).generatePublicKey().getEncoded();
        byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), publicKey).getEncoded();
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    @Test
    void everyEncryptionCertificateOfAUserHasAnEscrowedKeyAndNoSigningCertificateHasOne() {
        try (Connection c = Databases.openReadOnly(generated, Credentials.NONE)) {
            assertEquals(12, count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT C JOIN KMS50.KM_USER U ON U.USER_ID = C.USER_ID "
                    + "WHERE C.USAGE = 'E'"));
            assertEquals(0, count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT C JOIN KMS50.KM_USER U ON U.USER_ID = C.USER_ID "
                    + "WHERE C.USAGE = 'E' AND NOT EXISTS (SELECT 1 FROM KMS50.KM_KEY K WHERE K.SERIAL = C.SERIAL)"));
            assertEquals(0, count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT C JOIN KMS50.KM_KEY K ON K.SERIAL = C.SERIAL WHERE C.USAGE = 'S'"));
            assertEquals(0, count(c, "SELECT COUNT(*) FROM KMS50.KM_KEY WHERE LENGTH(WRAPPED_KEY) <> 40"), "AES key wrap of 32 bytes");
            c.rollback();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void generatedDatabaseHoldsExactlyTheFourLegacyTablesAndTheProfileRecord() throws SQLException {
        try (Connection c = Databases.openReadOnly(generated, Credentials.NONE)) {
            assertEquals(Set.of("KMS50.KM_USER", "KMS50.KM_CERT", "KMS50.KM_KEY", "KMS50.KM_CRL", "KMS50.KMS_GATE_PROFILE"),
                    Schemas.otherTables(c, Set.of()));
            c.rollback();
        }
        assertEquals("v3;users=12;revoked=7;duplicateRevocations=5;orphanRevocations=3;orphanCertificates=5;orphanKeys=2;seed=11",
                Generator.recordedProfile(generated, Credentials.NONE));
    }

    @Test
    void generatingTheSameProfileAgainReusesTheDatabase() throws SQLException {
        DatabaseAddress database = memory();
        Generator.Result first = generate(database, PROFILE, false);
        assertFalse(first.reused());
        assertEquals(List.of(12L, 29L, 16L, 17L), List.of(first.users(), first.certificates(), first.keys(), first.crlRows()));
        Map<String, String> before = digest(database);

        Generator.Result again = generate(database, PROFILE, false);

        assertTrue(again.reused());
        assertEquals(List.of(12L, 29L, 16L, 17L), List.of(again.users(), again.certificates(), again.keys(), again.crlRows()));
        assertEquals(before, digest(database));
    }

    @Test
    void anotherProfileIsRefusedWithoutOverwriteAndLeavesTheDatabaseAlone() throws SQLException {
        DatabaseAddress database = memory();
        generate(database, PROFILE, false);
        Map<String, String> before = digest(database);

        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> generate(database, new Profile(3, 1, 0, 0, 0, 0, 11L), false));

        // it names the profile the database holds, so the user sees what differs
        assertEquals("<database> " + database.display() + " was generated from another profile (" + PROFILE.key() + "), not this one ("
                + new Profile(3, 1, 0, 0, 0, 0, 11L).key() + "). Set <overwrite>true</overwrite> (-Dkms.overwrite) to replace it, "
                + "or choose another <database>.", refused.getMessage());
        assertEquals(before, digest(database));
    }

    /** After an upgrade of KMS Gate, a database of the same profile from an earlier generator is made anew, without overwrite. */
    @Test
    void theSameProfileFromAnEarlierGeneratorIsReplacedWithoutOverwrite() throws SQLException {
        DatabaseAddress database = memory();
        generate(database, PROFILE, false);
        Map<String, String> current = digest(database);
        String earlier = "v2" + PROFILE.key().substring(PROFILE.key().indexOf(';'));
        try (Connection c = Fixtures.open(database)) {
            Sql.update(c, "UPDATE KMS50.KMS_GATE_PROFILE SET PROFILE = ?", earlier);
            Sql.update(c, "DELETE FROM KMS50.KM_CRL");
            c.commit();
        }
        List<String> lines = new ArrayList<>();

        Generator.Result result = new Generator(Fixtures.logTo(lines)).generate(new Generator.Settings(Database.of(database), PROFILE, false));

        assertFalse(result.reused());
        assertEquals("Replacing " + database.display() + ": it holds the same profile, generated by an earlier KMS Gate with other data "
                + "(v2, now v3).", lines.get(0));
        assertEquals(current, digest(database));
        // other counts from an earlier generator are still another profile
        assertTrue(Generator.isOlderGeneration(earlier, PROFILE.key()));
        assertFalse(Generator.isOlderGeneration("v2;users=13" + earlier.substring(earlier.indexOf(";revoked")), PROFILE.key()));
        assertFalse(Generator.isOlderGeneration(PROFILE.key(), PROFILE.key()));
        assertFalse(Generator.isOlderGeneration("hand-made", PROFILE.key()));
        assertFalse(Generator.isOlderGeneration(null, PROFILE.key()));
    }

    @Test
    void anotherProfileReplacesTheDatabaseWithOverwrite() throws SQLException {
        DatabaseAddress database = directory("kms50");
        generate(database, PROFILE, false);
        Profile smaller = new Profile(3, 1, 0, 0, 0, 0, 11L);

        Generator.Result replaced = generate(database, smaller, true);

        assertFalse(replaced.reused());
        assertEquals(smaller.key(), Generator.recordedProfile(database, Credentials.NONE));
        try (Connection c = Databases.openReadOnly(database, Credentials.NONE)) {
            assertEquals(3, count(c, "SELECT COUNT(*) FROM KMS50.KM_USER"));
            assertEquals(6, count(c, "SELECT COUNT(*) FROM KMS50.KM_CERT"));
            assertEquals(3, count(c, "SELECT COUNT(*) FROM KMS50.KM_KEY"));
            assertEquals(1, count(c, "SELECT COUNT(*) FROM KMS50.KM_CRL"));
            c.rollback();
        }
    }

    @Test
    void aDatabaseNotGeneratedByKmsGateIsRefusedWithoutOverwrite() throws SQLException {
        DatabaseAddress database = memory();
        try (Connection c = Databases.openOrCreate(database, Credentials.NONE)) {
            Sql.execute(c, "CREATE TABLE APP.ACCOUNTS (ID INTEGER)");
            c.commit();
        }

        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> generate(database, PROFILE, false));

        assertEquals(Messages.format(Messages.GENERATE_TARGET_EXISTS, database.display()), refused.getMessage());
        try (Connection c = Databases.openReadOnly(database, Credentials.NONE)) {
            assertEquals(Set.of("APP.ACCOUNTS"), Schemas.otherTables(c, Set.of()));
            c.rollback();
        }
    }

    @Test
    void negativeCountsAreRefusedNamingTheElement() {
        assertEquals("<users> is -1, but must be 0 or more.",
                assertThrows(KmsUsageException.class, () -> new Profile(-1, 0, 0, 0, 0, 0, 1L)).getMessage());
        assertEquals(Messages.format(Messages.PROFILE_NEGATIVE, "revoked", -2),
                assertThrows(KmsUsageException.class, () -> new Profile(1, -2, 0, 0, 0, 0, 1L)).getMessage());
        assertEquals(Messages.format(Messages.PROFILE_NEGATIVE, "duplicateRevocations", -3),
                assertThrows(KmsUsageException.class, () -> new Profile(1, 1, -3, 0, 0, 0, 1L)).getMessage());
        assertEquals(Messages.format(Messages.PROFILE_NEGATIVE, "orphanRevocations", -4),
                assertThrows(KmsUsageException.class, () -> new Profile(1, 1, 0, -4, 0, 0, 1L)).getMessage());
        assertEquals(Messages.format(Messages.PROFILE_NEGATIVE, "orphanCertificates", -5),
                assertThrows(KmsUsageException.class, () -> new Profile(1, 1, 0, 0, -5, 0, 1L)).getMessage());
        assertEquals(Messages.format(Messages.PROFILE_NEGATIVE, "orphanKeys", -6),
                assertThrows(KmsUsageException.class, () -> new Profile(1, 1, 0, 0, 0, -6, 1L)).getMessage());
    }

    @Test
    void moreRevokedThanTwicePerUserIsRefused() {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> new Profile(3, 7, 0, 0, 0, 0, 1L));
        assertEquals("<revoked> is 7, but a profile with 3 users has only 6 certificates to revoke (2 per user). "
                + "Lower <revoked> or raise <users>.", refused.getMessage());
        assertEquals(Messages.format(Messages.PROFILE_TOO_MANY_REVOKED, 7, 3, 6L), refused.getMessage());
        assertEquals(6, new Profile(3, 6, 0, 0, 0, 0, 1L).revoked(), "every certificate may be revoked");
    }

    @Test
    void duplicatesWithoutRevokedAreRefused() {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> new Profile(3, 0, 2, 0, 0, 0, 1L));
        assertEquals("<duplicateRevocations> is 2, but <revoked> is 0: duplicates repeat revoked serials. Set <revoked> to at least 1.",
                refused.getMessage());
        assertEquals(Messages.format(Messages.PROFILE_DUPLICATES_WITHOUT_REVOKED, 2), refused.getMessage());
    }

    @Test
    void profileBeyondTheSerialSpaceIsRefused() {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> new Profile(Integer.MAX_VALUE, 0, 0, 0, 0, 0, 1L));
        assertEquals(Messages.format(Messages.PROFILE_TOO_LARGE, 2L * Integer.MAX_VALUE, Profile.MAX_CERTIFICATES), refused.getMessage());
    }
}
