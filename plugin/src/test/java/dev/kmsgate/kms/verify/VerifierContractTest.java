package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Rows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The verifier's smaller contracts, each of which a report or a message relies on: every NOT NULL
 * column of the format is named when it alone is NULL; the report's rate and its refusal to pass a
 * failure; the invariants' numbers, titles and statements as docs/formats.md gives them; and the
 * refusal of databases in the wrong format before anything is read.
 */
class VerifierContractTest {

    private static final Timestamp T = Timestamp.valueOf("2020-01-02 03:04:05");

    @TempDir
    Path dir;

    // --- NOT NULL: each column named when it is the only NULL -------------------------------------

    private static Rows.Cert cert(String nullColumn) {
        return new Rows.Cert("0a1b",
                nullColumn.equals("USER_ID") ? null : 7,
                nullColumn.equals("USAGE") ? null : "S",
                nullColumn.equals("ISSUER_DN") ? null : "CN=CA",
                nullColumn.equals("SUBJECT_DN") ? null : "CN=u",
                nullColumn.equals("NOT_BEFORE") ? null : T,
                nullColumn.equals("NOT_AFTER") ? null : T,
                nullColumn.equals("CERT_DER") ? null : new byte[] {1});
    }

    @ParameterizedTest
    @ValueSource(strings = {"USER_ID", "USAGE", "ISSUER_DN", "SUBJECT_DN", "NOT_BEFORE", "NOT_AFTER", "CERT_DER"})
    void eachNotNullColumnOfACertificateIsNamedWhenItAloneIsNull(String column) {
        assertEquals(column, NotNull.cert(cert(column)));
        assertEquals(column, NotNull.activeCert(new Rows.ActiveCert(cert(column), "V", null, null)));
        assertEquals(column, NotNull.quarantinedCert(new Rows.QuarantinedCert(cert(column), "USER_DELETED")));
    }

    @Test
    void aCompleteRowHasNoNullColumnAndTheRowsOwnColumnsAreNamedLast() {
        Rows.Cert complete = cert("none");
        assertNull(NotNull.cert(complete));
        assertNull(NotNull.activeCert(new Rows.ActiveCert(complete, "V", null, null)));
        assertEquals("STATUS", NotNull.activeCert(new Rows.ActiveCert(complete, null, null, null)));
        assertNull(NotNull.quarantinedCert(new Rows.QuarantinedCert(complete, "USER_DELETED")));
        assertEquals("CAUSE", NotNull.quarantinedCert(new Rows.QuarantinedCert(complete, null)));
        // the certificate's own column comes first, in column order
        assertEquals("USAGE", NotNull.activeCert(new Rows.ActiveCert(cert("USAGE"), null, null, null)));
        assertEquals("USAGE", NotNull.quarantinedCert(new Rows.QuarantinedCert(cert("USAGE"), null)));
    }

    @Test
    void usersKeysAndRevocationsNameTheirNullColumn() {
        assertNull(NotNull.user(new Rows.User(1, "cn=a", null, T)), "DISPLAY_NAME is nullable");
        assertEquals("MAILBOX_DN", NotNull.user(new Rows.User(1, null, "A", T)));
        assertEquals("ENROLLED_AT", NotNull.user(new Rows.User(1, "cn=a", "A", null)));
        assertEquals("MAILBOX_DN", NotNull.user(new Rows.User(1, null, "A", null)));

        Rows.Key key = new Rows.Key("0a1b", new byte[] {9});
        assertNull(NotNull.key(key));
        assertEquals("WRAPPED_KEY", NotNull.key(new Rows.Key("0a1b", null)));
        assertNull(NotNull.quarantinedKey(new Rows.QuarantinedKey(key, "CERT_QUARANTINED")));
        assertEquals("CAUSE", NotNull.quarantinedKey(new Rows.QuarantinedKey(key, null)));
        assertEquals("WRAPPED_KEY", NotNull.quarantinedKey(new Rows.QuarantinedKey(new Rows.Key("0a1b", null), null)));

        assertNull(NotNull.revocation(new Rows.Revocation("0a1b", T, (short) 1)));
        assertEquals("REVOKED_AT", NotNull.revocation(new Rows.Revocation("0a1b", null, (short) 1)));
        assertEquals("REASON", NotNull.revocation(new Rows.Revocation("0a1b", T, null)));
        assertEquals("REVOKED_AT", NotNull.revocation(new Rows.Revocation("0a1b", null, null)));

        assertEquals("serial 0a1b: CAUSE is NULL in QUARANTINED_CERT, which the format declares NOT NULL",
                NotNull.describe("serial 0a1b", "CAUSE", "QUARANTINED_CERT"));
    }

    // --- the report -------------------------------------------------------------------------------

    private static InvariantResult result(Invariant invariant, InvariantResult.Status status) {
        return new InvariantResult(invariant, status, 3, status == InvariantResult.Status.FAILED ? 2 : 3,
                status == InvariantResult.Status.FAILED ? "expected 3, found 2" : "3", List.of(), 0);
    }

    @Test
    void theRateIsRowsOverSecondsAndZeroWhenNoTimePassed() {
        List<InvariantResult> results = List.of(result(Invariant.USER_COUNT, InvariantResult.Status.PASSED));
        assertEquals(2_500.0, new VerificationReport("t", "s", "t", results, 5_000, Duration.ofSeconds(2)).rowsPerSecond());
        assertEquals(400.0, new VerificationReport("t", "s", "t", results, 200, Duration.ofMillis(500)).rowsPerSecond());
        assertEquals(0.0, new VerificationReport("t", "s", "t", results, 200, Duration.ZERO).rowsPerSecond());
        assertEquals(List.of(), new VerificationReport("t", "s", "t", results, 200, Duration.ZERO).undeclaredConstraints());
    }

    @Test
    void requirePassedReturnsAPassingReportAndThrowsForAFailingOneNamingEachFailure() {
        VerificationReport passing = new VerificationReport("t", "src", "tgt",
                List.of(result(Invariant.USER_COUNT, InvariantResult.Status.PASSED),
                        result(Invariant.CONVERSION_RECORD, InvariantResult.Status.SKIPPED)), 6, Duration.ofSeconds(1));
        assertSame(passing, passing.requirePassed());
        assertEquals(List.of(), passing.failures());

        VerificationReport failing = new VerificationReport("t", "src", "tgt",
                List.of(result(Invariant.USER_COUNT, InvariantResult.Status.PASSED),
                        result(Invariant.KEY_COUNT, InvariantResult.Status.FAILED)), 6, Duration.ofSeconds(1));
        VerificationFailedException e = assertThrows(VerificationFailedException.class, failing::requirePassed);
        assertEquals(Messages.format(Messages.VERIFICATION_FAILED, "tgt", "src", 1, 2) + System.lineSeparator()
                + "  - invariant 3 (keys): expected 3, found 2", e.getMessage());
        assertSame(failing, e.report());
    }

    // --- the invariants as the documentation states them ------------------------------------------

    @Test
    void theInvariantsCarryTheNumbersTitlesAndStatementsOfTheFormats() {
        assertEquals(List.of(
                "1 users: |S.KM_USER| = |T.USERS|",
                "2 certificates: |S.KM_CERT| = |T.CERTIFICATES| + |T.QUARANTINED_CERT|",
                "3 keys: |S.KM_KEY| = |T.KEY_ARCHIVE| + |T.QUARANTINED_KEY|",
                "4 revocation counts: |distinct S.KM_CRL.SERIAL| = |T.CERTIFICATES where STATUS='R'| + |T.UNMATCHED_REVOCATION|, "
                        + "and the revoked count equals the CRL serials that name a converted certificate",
                "5 revoked serials: the revoked serial sets are equal, each with its effective revocation time and reason",
                "6 row equality: every converted row equals its source row in all columns, BLOBs included",
                "7 conversion record: the target records a finished conversion of this very source"),
                java.util.Arrays.stream(Invariant.values()).map(i -> i.number() + " " + i.title() + ": " + i.statement()).toList());
        assertEquals("invariant 5 (revoked serials)", Invariant.REVOCATION_SET.label());
    }

    // --- databases in the wrong format ------------------------------------------------------------

    private static final Profile PROFILE = new Profile(4, 1, 1, 1, 1, 1, 5L);

    @Test
    void aConvertedDatabaseGivenAsTheSourceIsRefusedAskingWhetherTheyWereSwapped() {
        DatabaseAddress source = Fixtures.generate(dir, PROFILE);
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 10, Strategy.CHUNKED);
        KmsUsageException e = assertThrows(KmsUsageException.class, () -> Fixtures.verify(target, source));
        assertEquals(Messages.format(Messages.SOURCE_IS_KMS55, target.display()), e.getMessage());
    }

    @Test
    void aTargetThatWasNeverConvertedIsRefusedNamingIt() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, PROFILE);
        KmsUsageException legacy = assertThrows(KmsUsageException.class, () -> Fixtures.verifyData(source, source));
        assertEquals(Messages.format(Messages.TARGET_IS_KMS50, source.display()), legacy.getMessage());

        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 10, Strategy.CHUNKED);
        try (var c = Fixtures.open(target)) {
            dev.kmsgate.kms.store.Sql.execute(c, "DROP TABLE KMS55.UNMATCHED_REVOCATION");
            c.commit();
        }
        KmsUsageException partial = assertThrows(KmsUsageException.class, () -> Fixtures.verifyData(source, target));
        assertEquals(Messages.format(Messages.TARGET_NOT_KMS55, target.display()), partial.getMessage());
        assertEquals(true, Files.isDirectory(dir.resolve("kms50")), "the source is left in place");
    }
}
