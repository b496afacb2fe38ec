package dev.kmsgate.kms.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.report.VerificationReports;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.DatabaseDigest;
import dev.kmsgate.kms.store.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static dev.kmsgate.kms.verify.InvariantResult.Status.FAILED;
import static dev.kmsgate.kms.verify.InvariantResult.Status.PASSED;
import static dev.kmsgate.kms.verify.InvariantResult.Status.SKIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verification of a converted dirty database, and of the same target with exactly one row altered:
 * every kind of alteration fails the invariants it breaks, and only those, naming the altered key.
 *
 * <p>{@link Fixtures#DIRTY} (40 users, 25 revoked + 12 duplicate CRL rows, 6 unknown serials,
 * 9 orphan certificates, 4 orphan keys) is generated and converted once, with capacity 7; each test
 * gets a fresh copy of both databases in its own temporary directory.
 */
class VerifierTest {

    /** |KM_USER|, |KM_CERT|, |KM_KEY|, distinct CRL serials, and the rows invariant 6 compares. */
    private static final long USERS = 40, CERTS = 89, KEYS = 48, CRL_SERIALS = 34, SOURCE_ROWS = USERS + CERTS + KEYS;

    @TempDir
    static Path template;

    @TempDir
    Path dir;
    private DatabaseAddress source;
    private DatabaseAddress target;

    @BeforeAll
    static void convertOnce() {
        DatabaseAddress source = Fixtures.generate(template, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(template);
        Fixtures.convert(source, target, 7, Strategy.CHUNKED);
        Fixtures.shutdown(source, target);
    }

    @BeforeEach
    void freshCopy() throws IOException {
        copy(template.resolve("kms50"), dir.resolve("kms50"));
        copy(template.resolve("kms55"), dir.resolve("kms55"));
        source = Fixtures.source(dir);
        target = Fixtures.target(dir);
    }

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(source, target);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Alteration {
        void apply(Connection target) throws SQLException;
    }

    /** Changes the target through a plain connection and commits. */
    private void alter(Alteration alteration) throws SQLException {
        try (Connection c = Fixtures.open(target)) {
            alteration.apply(c);
            c.commit();
        }
    }

    private String targetString(String sql, Object... parameters) throws SQLException {
        try (Connection c = Fixtures.open(target)) {
            String value = Sql.queryString(c, sql, parameters);
            c.rollback();
            return value;
        }
    }

    private VerificationReport verify() {
        return Fixtures.verify(source, target);
    }

    private static void assertStatus(VerificationReport report, InvariantResult.Status... statuses) {
        List<InvariantResult.Status> actual = report.results().stream().map(InvariantResult::status).toList();
        assertEquals(List.of(statuses), actual, () -> report.results().stream().map(InvariantResult::describe).toList().toString());
    }

    private static void assertResult(InvariantResult result, long expected, long actual, List<String> differences) {
        assertEquals(expected, result.expected(), result::describe);
        assertEquals(actual, result.actual(), result::describe);
        assertEquals(differences, result.differences(), result::describe);
        assertEquals(differences.size(), result.totalDifferences(), result::describe);
    }

    /** A revocation as the report shows it: the stored (UTC) wall-clock time, as Derby renders it itself. */
    private String revocation(String table, String timeColumn, String reasonColumn, String serial) throws SQLException {
        return "at " + targetString("SELECT CAST(" + timeColumn + " AS VARCHAR(32)) FROM KMS55." + table + " WHERE SERIAL = ?", serial)
                + " UTC, reason " + targetString("SELECT CAST(" + reasonColumn + " AS CHAR(6)) FROM KMS55." + table + " WHERE SERIAL = ?", serial).trim();
    }

    // --- the unaltered conversion ------------------------------------------------------------------

    @Test
    void convertedDirtyDatabasePassesEveryInvariantWithExactCounts() {
        VerificationReport report = verify();

        assertTrue(report.passed());
        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, PASSED, PASSED);
        assertResult(report.result(Invariant.USER_COUNT), USERS, USERS, List.of());
        assertResult(report.result(Invariant.CERTIFICATE_COUNT), CERTS, CERTS, List.of());
        assertResult(report.result(Invariant.KEY_COUNT), KEYS, KEYS, List.of());
        assertResult(report.result(Invariant.REVOCATION_COUNT), CRL_SERIALS, CRL_SERIALS, List.of());
        assertResult(report.result(Invariant.REVOCATION_SET), CRL_SERIALS, CRL_SERIALS, List.of());
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS, List.of());
        assertResult(report.result(Invariant.CONVERSION_RECORD), 1, 1, List.of());
        assertEquals("34 distinct CRL serials; target has 25 revoked + 9 unmatched = 34; 25 CRL serials name a converted certificate, 25 are revoked",
                report.result(Invariant.REVOCATION_COUNT).detail());
    }

    // --- one row altered ---------------------------------------------------------------------------

    @Test
    void revokedCertificateSetBackToValidFailsRevocationCountAndSet() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'");
        String effective = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", serial);
        // the CHECK constraint CERTIFICATES_STATUS requires both revocation columns to go with STATUS
        alter(c -> Sql.update(c, "UPDATE KMS55.CERTIFICATES SET STATUS = 'V', REVOKED_AT = NULL, REVOCATION_REASON = NULL WHERE SERIAL = ?", serial));

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, FAILED, FAILED, PASSED, PASSED);
        String difference = "serial " + serial + ": on the CRL (" + effective + ") but STATUS is V";
        assertResult(report.result(Invariant.REVOCATION_COUNT), CRL_SERIALS, CRL_SERIALS - 1, List.of(difference));
        assertEquals("34 distinct CRL serials; target has 24 revoked + 9 unmatched = 33; 25 CRL serials name a converted certificate, 24 are revoked",
                report.result(Invariant.REVOCATION_COUNT).detail());
        assertResult(report.result(Invariant.REVOCATION_SET), CRL_SERIALS, CRL_SERIALS - 1, List.of(difference));
    }

    @Test
    void changedRevocationTimeFailsOnlyTheRevocationSet() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'");
        String effective = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", serial);
        alter(c -> Sql.update(c, "UPDATE KMS55.CERTIFICATES SET REVOKED_AT = {fn TIMESTAMPADD(SQL_TSI_SECOND, 1, REVOKED_AT)} WHERE SERIAL = ?", serial));
        String altered = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", serial);

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED, PASSED);
        assertResult(report.result(Invariant.REVOCATION_SET), CRL_SERIALS, CRL_SERIALS - 1,
                List.of("serial " + serial + ": revoked " + altered + ", but the effective revocation is " + effective));
        assertEquals("33 of 34 revoked serials carry their effective revocation; 1 difference", report.result(Invariant.REVOCATION_SET).detail());
    }

    @Test
    void changedRevocationReasonFailsOnlyTheRevocationSet() throws SQLException {
        String serial = targetString("SELECT MAX(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'");
        String effective = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", serial);
        alter(c -> Sql.update(c, "UPDATE KMS55.CERTIFICATES SET REVOCATION_REASON = CASE WHEN REVOCATION_REASON = 1 THEN 2 ELSE 1 END "
                + "WHERE SERIAL = ?", serial));
        String altered = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", serial);

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED, PASSED);
        assertResult(report.result(Invariant.REVOCATION_SET), CRL_SERIALS, CRL_SERIALS - 1,
                List.of("serial " + serial + ": revoked " + altered + ", but the effective revocation is " + effective));
    }

    @Test
    void oneChangedByteOfACertificateFailsOnlyRowEquality() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES");
        alter(c -> {
            byte[] der;
            try (PreparedStatement select = c.prepareStatement("SELECT CERT_DER FROM KMS55.CERTIFICATES WHERE SERIAL = ?")) {
                select.setString(1, serial);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    der = rs.getBytes(1);
                }
            }
            der[der.length / 2] ^= 0x01;
            Sql.update(c, "UPDATE KMS55.CERTIFICATES SET CERT_DER = ? WHERE SERIAL = ?", der, serial);
        });

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1,
                List.of("serial " + serial + ": CERT_DER differs in CERTIFICATES"));
        assertEquals("176 of 177 source rows have an equal target row; 1 difference", report.result(Invariant.ROW_EQUALITY).detail());
    }

    @Test
    void deletedArchivedKeyFailsKeyCountAndRowEquality() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.KEY_ARCHIVE");
        alter(c -> Sql.update(c, "DELETE FROM KMS55.KEY_ARCHIVE WHERE SERIAL = ?", serial));

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, FAILED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.KEY_COUNT), KEYS, KEYS - 1,
                List.of("serial " + serial + ": in KM_KEY, missing from KEY_ARCHIVE and QUARANTINED_KEY"));
        assertEquals("source has 48 keys, target has 47", report.result(Invariant.KEY_COUNT).detail());
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1,
                List.of("serial " + serial + ": key missing from the target"));

        VerificationFailedException failure = assertThrows(VerificationFailedException.class,
                () -> new Verifier(KmsLog.silent()).verify(Verifier.Settings.of(source, target)).requirePassed());
        assertEquals("Verification of " + target.display() + " against " + source.display() + " failed: 2 of 7 invariants do not hold."
                + System.lineSeparator() + "  - invariant 3 (keys): source has 48 keys, target has 47; first differences: serial " + serial
                + ": in KM_KEY, missing from KEY_ARCHIVE and QUARANTINED_KEY"
                + System.lineSeparator() + "  - invariant 6 (row equality): 176 of 177 source rows have an equal target row; 1 difference; "
                + "first differences: serial " + serial + ": key missing from the target", failure.getMessage());
    }

    @Test
    void deletedUnmatchedRevocationFailsRevocationCountAndSet() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.UNMATCHED_REVOCATION");
        String effective = revocation("UNMATCHED_REVOCATION", "REVOKED_AT", "REASON", serial);
        alter(c -> Sql.update(c, "DELETE FROM KMS55.UNMATCHED_REVOCATION WHERE SERIAL = ?", serial));

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, FAILED, FAILED, PASSED, PASSED);
        String difference = "serial " + serial + ": on the CRL (" + effective + ") but neither revoked nor in UNMATCHED_REVOCATION";
        assertResult(report.result(Invariant.REVOCATION_COUNT), CRL_SERIALS, CRL_SERIALS - 1, List.of(difference));
        assertResult(report.result(Invariant.REVOCATION_SET), CRL_SERIALS, CRL_SERIALS - 1, List.of(difference));
    }

    @Test
    void changedDisplayNameFailsOnlyRowEquality() throws SQLException {
        alter(c -> Sql.update(c, "UPDATE KMS55.USERS SET DISPLAY_NAME = 'Mallory' WHERE USER_ID = 23"));

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1, List.of("user 23: DISPLAY_NAME differs"));
    }

    @Test
    void extraUserFailsUserCountAndRowEquality() throws SQLException {
        alter(c -> Sql.update(c, "INSERT INTO KMS55.USERS (USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT) VALUES (?, ?, ?, ?)",
                999_999, "/o=KMS Gate/cn=Recipients/cn=intruder", "Intruder", Timestamp.valueOf("2020-01-01 00:00:00")));

        VerificationReport report = verify();

        assertStatus(report, FAILED, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.USER_COUNT), USERS, USERS + 1, List.of("user 999999: in USERS, not in KM_USER"));
        assertEquals("source has 40 users, target has 41", report.result(Invariant.USER_COUNT).detail());
        // every source row still has its equal target row; the extra one is the difference
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS, List.of("user 999999: in USERS but not in KM_USER"));
    }

    @Test
    void deletedQuarantinedCertificateFailsCertificateCountAndRowEquality() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_CERT");
        alter(c -> Sql.update(c, "DELETE FROM KMS55.QUARANTINED_CERT WHERE SERIAL = ?", serial));

        VerificationReport report = verify();

        assertStatus(report, PASSED, FAILED, PASSED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.CERTIFICATE_COUNT), CERTS, CERTS - 1,
                List.of("serial " + serial + ": in KM_CERT, missing from CERTIFICATES and QUARANTINED_CERT"));
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1,
                List.of("serial " + serial + ": certificate missing from the target"));
    }

    @Test
    void changedQuarantineCauseOfACertificateFailsOnlyRowEquality() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_CERT");
        int user = Integer.parseInt(targetString("SELECT CAST(USER_ID AS CHAR(11)) FROM KMS55.QUARANTINED_CERT WHERE SERIAL = ?", serial).trim());
        alter(c -> Sql.update(c, "UPDATE KMS55.QUARANTINED_CERT SET CAUSE = 'EXPIRED' WHERE SERIAL = ?", serial));

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1,
                List.of("serial " + serial + ": QUARANTINED_CERT.CAUSE is 'EXPIRED', but user " + user + " is unknown: expected UNKNOWN_USER"));
    }

    @Test
    void changedQuarantineCauseOfAKeyFailsOnlyRowEquality() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_KEY WHERE CAUSE = 'NO_CERTIFICATE'");
        alter(c -> Sql.update(c, "UPDATE KMS55.QUARANTINED_KEY SET CAUSE = 'CERTIFICATE_QUARANTINED' WHERE SERIAL = ?", serial));

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1,
                List.of("serial " + serial + ": QUARANTINED_KEY.CAUSE is 'CERTIFICATE_QUARANTINED', expected NO_CERTIFICATE"));
    }

    @Test
    void anotherConvertersOwnCauseWordsPassWithoutTheRecordCheck() throws SQLException {
        alter(c -> {
            Sql.update(c, "UPDATE KMS55.QUARANTINED_CERT SET CAUSE = 'user deleted'");
            Sql.update(c, "UPDATE KMS55.QUARANTINED_KEY SET CAUSE = 'orphan key'");
        });

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, PASSED, SKIPPED);
    }

    @Test
    void changedQuarantinedKeyFailsOnlyRowEqualityAndNoKeyByteIsEverShown() throws SQLException, IOException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_KEY");
        alter(c -> {
            byte[] key;
            try (PreparedStatement select = c.prepareStatement("SELECT WRAPPED_KEY FROM KMS55.QUARANTINED_KEY WHERE SERIAL = ?")) {
                select.setString(1, serial);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    key = rs.getBytes(1);
                }
            }
            key[0] ^= (byte) 0x80;
            Sql.update(c, "UPDATE KMS55.QUARANTINED_KEY SET WRAPPED_KEY = ? WHERE SERIAL = ?", key, serial);
        });

        VerificationReport report = verify();

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED);
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1,
                List.of("serial " + serial + ": WRAPPED_KEY differs in QUARANTINED_KEY"));

        List<String> texts = new ArrayList<>();
        for (InvariantResult result : report.results()) {
            texts.add(result.detail());
            texts.add(result.describe());
            texts.addAll(result.differences());
        }
        texts.add(assertThrows(VerificationFailedException.class,
                () -> new Verifier(KmsLog.silent()).verify(Verifier.Settings.of(source, target)).requirePassed()).getMessage());
        Path json = VerificationReports.write(dir.resolve("reports"), report);
        texts.add(Files.readString(json));
        texts.add(Files.readString(dir.resolve("reports").resolve("TEST-kms.verify.kms55.xml")));

        List<byte[]> keys = wrappedKeys();
        assertEquals(KEYS * 2, keys.size(), "every key of the source and of the target");
        for (byte[] key : keys) {
            for (String encoding : encodings(key)) {
                for (String text : texts) {
                    assertFalse(text.contains(encoding), "a wrapped key appears in: " + text);
                }
            }
        }
    }

    /** Every wrapped key of the source and the target. */
    private List<byte[]> wrappedKeys() throws SQLException {
        List<byte[]> keys = new ArrayList<>();
        for (Map.Entry<DatabaseAddress, String> query : Map.of(
                source, "SELECT WRAPPED_KEY FROM KMS50.KM_KEY",
                target, "SELECT WRAPPED_KEY FROM KMS55.KEY_ARCHIVE UNION ALL SELECT WRAPPED_KEY FROM KMS55.QUARANTINED_KEY").entrySet()) {
            try (Connection c = Fixtures.open(query.getKey());
                 PreparedStatement select = c.prepareStatement(query.getValue());
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getBytes(1));
                }
                c.rollback();
            }
        }
        return keys;
    }

    /** The key in hex (both cases, whole and any 8-byte run) and in Base64 (standard and URL-safe). */
    private static List<String> encodings(byte[] key) {
        List<String> encodings = new ArrayList<>();
        String hex = HexFormat.of().formatHex(key);
        for (int i = 0; i + 16 <= hex.length(); i += 2) {
            encodings.add(hex.substring(i, i + 16));
            encodings.add(hex.substring(i, i + 16).toUpperCase(Locale.ROOT));
        }
        encodings.add(Base64.getEncoder().withoutPadding().encodeToString(key));
        encodings.add(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
        encodings.add(Base64.getMimeEncoder().encodeToString(key).lines().findFirst().orElseThrow());
        return encodings;
    }

    @Test
    void conversionRecordOfAnotherSourceFailsOnlyTheRecordAndSkipsTheData() throws SQLException {
        String thisSource = targetString("SELECT SOURCE_FINGERPRINT FROM KMS55.KMS_CONVERSION").substring(0, 12);
        alter(c -> Sql.update(c, "UPDATE KMS55.KMS_CONVERSION SET SOURCE_FINGERPRINT = ?", "0".repeat(64)));

        VerificationReport report = verify();

        assertStatus(report, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED, FAILED);
        String detail = "the target holds a conversion of another source (fingerprint 000000000000, this source is " + thisSource
                + "); convert this source into it with restart, or verify against the right source";
        InvariantResult record = report.result(Invariant.CONVERSION_RECORD);
        assertEquals(detail, record.detail());
        assertEquals(1, record.expected());
        assertEquals(0, record.actual());
        for (InvariantResult result : report.results().subList(0, 6)) {
            assertEquals("not checked: " + detail, result.detail());
            assertEquals(List.of(), result.differences());
        }
        assertEquals(0, report.rowsCompared());
        assertEquals(List.of(record), report.failures());
    }

    @Test
    void aFinishedRecordWithoutItsPhasesFailsTheRecord() throws SQLException {
        alter(c -> Sql.update(c, "DELETE FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'SERIALS'"));

        VerificationReport report = verify();

        assertStatus(report, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED, FAILED);
        assertEquals("the conversion record says FINISHED, but its phase SERIALS is not recorded in KMS55.KMS_CONVERSION_PHASE; "
                + "convert again with restart", report.result(Invariant.CONVERSION_RECORD).detail());
    }

    @Test
    void aFinishedTargetWithoutItsKeysFailsTheRecord() throws SQLException {
        alter(c -> {
            Sql.execute(c, "ALTER TABLE KMS55.KEY_ARCHIVE DROP CONSTRAINT KEY_ARCHIVE_CERT_FK");
            Sql.execute(c, "ALTER TABLE KMS55.CERTIFICATES DROP CONSTRAINT CERTIFICATES_USER_FK");
            Sql.execute(c, "ALTER TABLE KMS55.USERS DROP CONSTRAINT USERS_PK");
        });

        VerificationReport report = verify();

        assertEquals(FAILED, report.result(Invariant.CONVERSION_RECORD).status());
        assertEquals("the conversion record says FINISHED, but the target lacks the keys USERS_PK, CERTIFICATES_USER_FK, KEY_ARCHIVE_CERT_FK that its KEYS "
                + "phase adds; convert again with restart", report.result(Invariant.CONVERSION_RECORD).detail());
    }

    @Test
    void unfinishedConversionFailsTheRecordAsUnfinished() throws SQLException {
        alter(c -> Sql.update(c, "UPDATE KMS55.KMS_CONVERSION SET STATE = 'CONVERTING', FINISHED_AT = NULL"));

        VerificationReport report = verify();

        assertStatus(report, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED, SKIPPED, FAILED);
        assertEquals("the target holds an unfinished conversion of this source (state CONVERTING); run kms:convert again to resume and finish it",
                report.result(Invariant.CONVERSION_RECORD).detail());
    }

    @Test
    void withoutTheRecordCheckTheDataOfAnUnfinishedTargetIsStillVerified() throws SQLException {
        alter(c -> Sql.update(c, "UPDATE KMS55.KMS_CONVERSION SET STATE = 'CONVERTING', FINISHED_AT = NULL"));

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, PASSED, SKIPPED);
        assertTrue(report.passed());
    }

    // --- many differences --------------------------------------------------------------------------

    @Test
    void mismatchLimitCapsTheListedDifferencesButAllAreCounted() throws SQLException {
        alter(c -> Sql.update(c, "UPDATE KMS55.USERS SET DISPLAY_NAME = 'Changed' WHERE USER_ID IN (2, 3, 5, 8, 13)"));

        VerificationReport capped = new Verifier(KmsLog.silent()).verify(
                new Verifier.Settings(Database.of(source), Database.of(target), 3, true));

        InvariantResult rows = capped.result(Invariant.ROW_EQUALITY);
        assertEquals(FAILED, rows.status());
        assertEquals(List.of("user 2: DISPLAY_NAME differs", "user 3: DISPLAY_NAME differs", "user 5: DISPLAY_NAME differs"), rows.differences());
        assertEquals(5, rows.totalDifferences());
        assertEquals(SOURCE_ROWS - 5, rows.actual());
        assertEquals("invariant 6 (row equality): 172 of 177 source rows have an equal target row; 5 differences; first differences: "
                + "user 2: DISPLAY_NAME differs; user 3: DISPLAY_NAME differs; user 5: DISPLAY_NAME differs; ... 2 more", rows.describe());

        InvariantResult all = verify().result(Invariant.ROW_EQUALITY);
        assertEquals(5, all.differences().size(), "the default limit of 10 lists them all");
        assertEquals("user 13: DISPLAY_NAME differs", all.differences().get(4));
    }

    @Test
    void mismatchLimitBelowOneIsRefused() {
        assertEquals("<mismatchLimit> is 0, but must be at least 1.", assertThrows(KmsUsageException.class,
                () -> new Verifier.Settings(Database.of(source), Database.of(target), 0, true)).getMessage());
    }

    // --- verification is read-only -----------------------------------------------------------------

    @Test
    void verificationNeverWritesTheSourceOrTheTarget() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'");
        alter(c -> Sql.update(c, "UPDATE KMS55.CERTIFICATES SET REVOCATION_REASON = 9 - REVOCATION_REASON WHERE SERIAL = ?", serial));
        Map<String, String> sourceBefore = digest(source);
        Map<String, String> targetBefore = digest(target);
        assertEquals(List.of("KMS50.KMS_GATE_PROFILE", "KMS50.KM_CERT", "KMS50.KM_CRL", "KMS50.KM_KEY", "KMS50.KM_USER"),
                List.copyOf(sourceBefore.keySet()));
        assertEquals(List.of("KMS55.CERTIFICATES", "KMS55.KEY_ARCHIVE", "KMS55.KMS_CONVERSION", "KMS55.KMS_CONVERSION_LOCK",
                "KMS55.KMS_CONVERSION_PHASE", "KMS55.KMS_CONVERSION_RUN", "KMS55.QUARANTINED_CERT", "KMS55.QUARANTINED_KEY",
                "KMS55.UNMATCHED_REVOCATION", "KMS55.USERS"), List.copyOf(targetBefore.keySet()));

        assertFalse(verify().passed());
        assertTrue(Fixtures.verifyData(source, target)
                .result(Invariant.REVOCATION_SET).failed());

        assertEquals(sourceBefore, digest(source));
        assertEquals(targetBefore, digest(target));

        alter(c -> Sql.update(c, "UPDATE KMS55.KMS_CONVERSION SET STATE = 'CONVERTING'"));
        Map<String, String> targetUnfinished = digest(target);
        assertEquals(FAILED, verify().result(Invariant.CONVERSION_RECORD).status());

        assertEquals(sourceBefore, digest(source));
        assertEquals(targetUnfinished, digest(target));
    }

    private static Map<String, String> digest(DatabaseAddress address) throws SQLException {
        try (Connection c = Fixtures.open(address)) {
            Map<String, String> digest = DatabaseDigest.of(c);
            c.rollback();
            return digest;
        }
    }

    // --- report text -------------------------------------------------------------------------------

    @Test
    void revocationDifferencesShowUtcTimesWhateverTheJvmZone() throws SQLException {
        String serial = targetString("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'");
        String effective = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", serial);
        alter(c -> Sql.update(c, "UPDATE KMS55.CERTIFICATES SET REVOKED_AT = {fn TIMESTAMPADD(SQL_TSI_HOUR, 1, REVOKED_AT)} WHERE SERIAL = ?", serial));
        String altered = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", serial);

        TimeZone zone = TimeZone.getDefault();
        VerificationReport report;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata")); // UTC+05:30, no daylight saving
            report = verify();
        } finally {
            TimeZone.setDefault(zone);
        }

        assertEquals(List.of("serial " + serial + ": revoked " + altered + ", but the effective revocation is " + effective),
                report.result(Invariant.REVOCATION_SET).differences());
    }

    // --- a target that declares none of the format's constraints: every fact checked on the data ---

    private String min(String sql) throws SQLException {
        return targetString(sql);
    }

    @Test
    void aRepeatedSerialInCertificatesFailsTheCertificateCountNamingItAndTheUndeclaredKeysAreReported() throws SQLException, IOException {
        String serial = min("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES");
        alter(c -> {
            Sql.execute(c, "ALTER TABLE KMS55.KEY_ARCHIVE DROP CONSTRAINT KEY_ARCHIVE_CERT_FK");
            Sql.execute(c, "ALTER TABLE KMS55.CERTIFICATES DROP PRIMARY KEY");
            Sql.update(c, "INSERT INTO KMS55.CERTIFICATES SELECT * FROM KMS55.CERTIFICATES WHERE SERIAL = ?", serial);
        });
        List<String> warnings = new ArrayList<>();
        KmsLog log = new KmsLog() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { warnings.add(message); }
            @Override public void debug(String message) { }
        };

        VerificationReport report = new Verifier(log).verify(new Verifier.Settings(Database.of(source), Database.of(target), 10, false));

        assertStatus(report, PASSED, FAILED, PASSED, PASSED, PASSED, FAILED, SKIPPED);
        assertResult(report.result(Invariant.CERTIFICATE_COUNT), CERTS, CERTS + 1,
                List.of("serial " + serial + ": 2 rows in CERTIFICATES, whose key is SERIAL"));
        assertEquals("source has 89 certificates, target has 90", report.result(Invariant.CERTIFICATE_COUNT).detail());
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1,
                List.of("serial " + serial + ": certificate in CERTIFICATES 2 times"));
        List<String> undeclared = List.of("CERTIFICATES_PK (PRIMARY KEY (SERIAL))",
                "KEY_ARCHIVE_CERT_FK (FOREIGN KEY (SERIAL) REFERENCES KMS55.CERTIFICATES (SERIAL))");
        assertEquals(undeclared, report.undeclaredConstraints());
        assertEquals("The target's schema does not declare 2 of the format's keys and constraints (verification checks each on the data): "
                + String.join(", ", undeclared), warnings.get(0));
        JsonNode json = new ObjectMapper().readTree(VerificationReports.write(dir.resolve("reports"), report).toFile());
        assertEquals(undeclared, StreamSupport.stream(json.get("undeclaredConstraints").spliterator(), false).map(JsonNode::asText).toList());
    }

    @Test
    void theRecordCheckStillReportsUndeclaredConstraints() throws SQLException {
        alter(c -> Sql.execute(c, "ALTER TABLE KMS55.CERTIFICATES DROP CONSTRAINT CERTIFICATES_STATUS"));

        VerificationReport report = verify();

        assertTrue(report.passed());
        assertEquals(List.of("CHECK on CERTIFICATES (STATUS is V or R, REVOKED_AT and REVOCATION_REASON set exactly when R)"),
                report.undeclaredConstraints());
    }

    @Test
    void aRepeatedUserFailsTheUserCountNamingIt() throws SQLException {
        alter(c -> {
            Sql.execute(c, "ALTER TABLE KMS55.CERTIFICATES DROP CONSTRAINT CERTIFICATES_USER_FK");
            Sql.execute(c, "ALTER TABLE KMS55.USERS DROP PRIMARY KEY");
            Sql.update(c, "INSERT INTO KMS55.USERS SELECT * FROM KMS55.USERS WHERE USER_ID = 7");
        });

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, FAILED, PASSED, PASSED, PASSED, PASSED, FAILED, SKIPPED);
        assertResult(report.result(Invariant.USER_COUNT), USERS, USERS + 1, List.of("user 7: 2 rows in USERS, whose key is USER_ID"));
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1, List.of("user 7: in USERS 2 times"));
    }

    @Test
    void repeatedKeysAndUnmatchedRevocationsFailTheirCountsNamingThem() throws SQLException {
        String key = min("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_KEY");
        String archived = min("SELECT MIN(SERIAL) FROM KMS55.KEY_ARCHIVE");
        String unmatched = min("SELECT MIN(SERIAL) FROM KMS55.UNMATCHED_REVOCATION");
        alter(c -> {
            Sql.execute(c, "ALTER TABLE KMS55.QUARANTINED_KEY DROP PRIMARY KEY");
            Sql.execute(c, "ALTER TABLE KMS55.KEY_ARCHIVE DROP PRIMARY KEY");
            Sql.execute(c, "ALTER TABLE KMS55.UNMATCHED_REVOCATION DROP PRIMARY KEY");
            Sql.update(c, "INSERT INTO KMS55.QUARANTINED_KEY SELECT * FROM KMS55.QUARANTINED_KEY WHERE SERIAL = ?", key);
            Sql.update(c, "INSERT INTO KMS55.KEY_ARCHIVE SELECT * FROM KMS55.KEY_ARCHIVE WHERE SERIAL = ?", archived);
            Sql.update(c, "INSERT INTO KMS55.UNMATCHED_REVOCATION SELECT * FROM KMS55.UNMATCHED_REVOCATION WHERE SERIAL = ?", unmatched);
        });

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, PASSED, PASSED, FAILED, FAILED, FAILED, FAILED, SKIPPED);
        InvariantResult keys = report.result(Invariant.KEY_COUNT);
        assertEquals(KEYS + 2, keys.actual());
        assertEquals(2, keys.totalDifferences());
        assertTrue(keys.differences().containsAll(List.of("serial " + key + ": 2 rows in QUARANTINED_KEY, whose key is SERIAL",
                "serial " + archived + ": 2 rows in KEY_ARCHIVE, whose key is SERIAL")), keys::describe);
        String repeated = "serial " + unmatched + ": 2 rows in UNMATCHED_REVOCATION, whose key is SERIAL";
        assertResult(report.result(Invariant.REVOCATION_COUNT), CRL_SERIALS, CRL_SERIALS + 1, List.of(repeated));
        assertEquals("34 distinct CRL serials; target has 25 revoked + 10 unmatched = 35; 25 CRL serials name a converted certificate, 25 are revoked",
                report.result(Invariant.REVOCATION_COUNT).detail());
        assertResult(report.result(Invariant.REVOCATION_SET), CRL_SERIALS, CRL_SERIALS, List.of(repeated));
        assertEquals(SOURCE_ROWS - 2, report.result(Invariant.ROW_EQUALITY).actual());
    }

    @Test
    void rowsWithANullKeyAreCountedIntoTheirInvariantByTable() throws SQLException {
        alter(c -> {
            Sql.execute(c, "ALTER TABLE KMS55.CERTIFICATES DROP CONSTRAINT CERTIFICATES_USER_FK");
            Sql.execute(c, "ALTER TABLE KMS55.KEY_ARCHIVE DROP CONSTRAINT KEY_ARCHIVE_CERT_FK");
            for (String table : List.of("USERS", "CERTIFICATES", "QUARANTINED_CERT", "KEY_ARCHIVE", "QUARANTINED_KEY", "UNMATCHED_REVOCATION")) {
                Sql.execute(c, "ALTER TABLE KMS55." + table + " DROP PRIMARY KEY");
                Sql.execute(c, "ALTER TABLE KMS55." + table + " ALTER COLUMN " + (table.equals("USERS") ? "USER_ID" : "SERIAL") + " NULL");
            }
            Sql.update(c, "INSERT INTO KMS55.USERS SELECT CAST(NULL AS INTEGER), MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS55.USERS WHERE USER_ID = 3");
            Sql.update(c, "INSERT INTO KMS55.QUARANTINED_CERT SELECT CAST(NULL AS VARCHAR(40)), USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, "
                    + "NOT_AFTER, CERT_DER, CAUSE FROM KMS55.QUARANTINED_CERT");
            Sql.update(c, "INSERT INTO KMS55.KEY_ARCHIVE VALUES (NULL, CAST(X'00' AS BLOB))");
            Sql.update(c, "INSERT INTO KMS55.UNMATCHED_REVOCATION SELECT CAST(NULL AS VARCHAR(40)), REVOKED_AT, REASON FROM KMS55.UNMATCHED_REVOCATION");
        });

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, FAILED, FAILED, FAILED, FAILED, FAILED, PASSED, SKIPPED);
        assertResult(report.result(Invariant.USER_COUNT), USERS, USERS + 1, List.of("1 row of USERS with a NULL USER_ID"));
        assertResult(report.result(Invariant.CERTIFICATE_COUNT), CERTS, CERTS + 9, List.of("9 rows of QUARANTINED_CERT with a NULL SERIAL"));
        assertResult(report.result(Invariant.KEY_COUNT), KEYS, KEYS + 1, List.of("1 row of KEY_ARCHIVE with a NULL SERIAL"));
        assertResult(report.result(Invariant.REVOCATION_COUNT), CRL_SERIALS, CRL_SERIALS + 9, List.of("9 rows of UNMATCHED_REVOCATION with a NULL SERIAL"));
        assertResult(report.result(Invariant.REVOCATION_SET), CRL_SERIALS, CRL_SERIALS, List.of("9 rows of UNMATCHED_REVOCATION with a NULL SERIAL"));
    }

    @Test
    void nullsWhereTheFormatSaysNotNullFailRowEqualityNamingTableAndColumn() throws SQLException {
        String cert = min("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES");
        String key = min("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_KEY");
        String archived = min("SELECT MIN(SERIAL) FROM KMS55.KEY_ARCHIVE");
        String quarantined = min("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_CERT");
        alter(c -> {
            for (String column : List.of("USERS.MAILBOX_DN", "CERTIFICATES.USER_ID", "QUARANTINED_KEY.CAUSE", "KEY_ARCHIVE.WRAPPED_KEY",
                    "QUARANTINED_CERT.CAUSE")) {
                Sql.execute(c, "ALTER TABLE KMS55." + column.replace(".", " ALTER COLUMN ") + " NULL");
            }
            Sql.update(c, "UPDATE KMS55.USERS SET MAILBOX_DN = NULL WHERE USER_ID = 3");
            Sql.update(c, "UPDATE KMS55.CERTIFICATES SET USER_ID = NULL WHERE SERIAL = ?", cert);
            Sql.update(c, "UPDATE KMS55.QUARANTINED_KEY SET CAUSE = NULL WHERE SERIAL = ?", key);
            Sql.update(c, "UPDATE KMS55.KEY_ARCHIVE SET WRAPPED_KEY = NULL WHERE SERIAL = ?", archived);
            Sql.update(c, "UPDATE KMS55.QUARANTINED_CERT SET CAUSE = NULL WHERE SERIAL = ?", quarantined);
        });

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, FAILED, SKIPPED);
        InvariantResult rows = report.result(Invariant.ROW_EQUALITY);
        assertEquals(5, rows.totalDifferences(), rows::describe);
        assertEquals(SOURCE_ROWS - 5, rows.actual());
        String notNull = ", which the format declares NOT NULL";
        assertEquals("user 3: MAILBOX_DN is NULL in USERS" + notNull, rows.differences().get(0));
        assertTrue(rows.differences().containsAll(List.of("serial " + cert + ": USER_ID is NULL in CERTIFICATES" + notNull,
                "serial " + key + ": CAUSE is NULL in QUARANTINED_KEY" + notNull,
                "serial " + archived + ": WRAPPED_KEY is NULL in KEY_ARCHIVE" + notNull,
                "serial " + quarantined + ": CAUSE is NULL in QUARANTINED_CERT" + notNull)), rows::describe);
        assertEquals(List.of("NOT NULL USERS.MAILBOX_DN", "NOT NULL CERTIFICATES.USER_ID", "NOT NULL KEY_ARCHIVE.WRAPPED_KEY",
                "NOT NULL QUARANTINED_CERT.CAUSE", "NOT NULL QUARANTINED_KEY.CAUSE"), report.undeclaredConstraints());
    }

    @Test
    void revocationColumnsSetOtherThanExactlyWhenRevokedFailTheRevocationSet() throws SQLException {
        String valid = min("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'V'");
        String revoked = min("SELECT MIN(SERIAL) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'");
        String effective = revocation("CERTIFICATES", "REVOKED_AT", "REVOCATION_REASON", revoked);
        String unmatched = min("SELECT MIN(SERIAL) FROM KMS55.UNMATCHED_REVOCATION");
        String unmatchedEffective = revocation("UNMATCHED_REVOCATION", "REVOKED_AT", "REASON", unmatched);
        alter(c -> {
            Sql.execute(c, "ALTER TABLE KMS55.CERTIFICATES DROP CONSTRAINT CERTIFICATES_STATUS");
            Sql.execute(c, "ALTER TABLE KMS55.UNMATCHED_REVOCATION ALTER COLUMN REASON NULL");
            // a reason of 0 where none belongs, and NULL where one does: read as a primitive, each looks like the other
            Sql.update(c, "UPDATE KMS55.CERTIFICATES SET REVOCATION_REASON = 0 WHERE SERIAL = ?", valid);
            Sql.update(c, "UPDATE KMS55.CERTIFICATES SET REVOCATION_REASON = NULL WHERE SERIAL = ?", revoked);
            Sql.update(c, "UPDATE KMS55.UNMATCHED_REVOCATION SET REASON = NULL WHERE SERIAL = ?", unmatched);
        });

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, FAILED, PASSED, SKIPPED);
        InvariantResult set = report.result(Invariant.REVOCATION_SET);
        String revokedAt = effective.substring(0, effective.indexOf(" UTC"));
        String unmatchedAt = unmatchedEffective.substring(0, unmatchedEffective.indexOf(" UTC"));
        assertTrue(set.differences().containsAll(List.of(
                "serial " + valid + ": STATUS is V but REVOKED_AT or REVOCATION_REASON is set",
                "serial " + revoked + ": revoked " + revokedAt + " UTC, reason null, but the effective revocation is " + effective,
                "serial " + revoked + ": STATUS is R but REVOKED_AT or REVOCATION_REASON is NULL",
                "serial " + unmatched + ": REASON is NULL in UNMATCHED_REVOCATION, which the format declares NOT NULL",
                "serial " + unmatched + ": UNMATCHED_REVOCATION has " + unmatchedAt + " UTC, reason null, but the effective revocation is "
                        + unmatchedEffective)), set::describe);
        assertEquals(5, set.totalDifferences());
        assertEquals(CRL_SERIALS - 2, set.actual());
    }

    @Test
    void aKmsGateCauseWordUsedWronglyFailsEvenWithoutTheRecordCheck() throws SQLException {
        String serial = min("SELECT MIN(SERIAL) FROM KMS55.QUARANTINED_CERT");
        String user = targetString("SELECT TRIM(CAST(USER_ID AS CHAR(12))) FROM KMS55.QUARANTINED_CERT WHERE SERIAL = ?", serial);
        alter(c -> Sql.update(c, "UPDATE KMS55.QUARANTINED_CERT SET CAUSE = 'NO_CERTIFICATE' WHERE SERIAL = ?", serial));

        VerificationReport report = Fixtures.verifyData(source, target);

        assertStatus(report, PASSED, PASSED, PASSED, PASSED, PASSED, FAILED, SKIPPED);
        assertResult(report.result(Invariant.ROW_EQUALITY), SOURCE_ROWS, SOURCE_ROWS - 1, List.of("serial " + serial
                + ": QUARANTINED_CERT.CAUSE is 'NO_CERTIFICATE', but user " + user + " is unknown: expected UNKNOWN_USER"));
    }
}
