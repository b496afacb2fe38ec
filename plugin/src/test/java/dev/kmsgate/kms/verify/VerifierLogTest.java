package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What verification tells the build log, line by line and at which level, and the times and rate
 * its report carries: a user reads the log, so a lost or wrong line is a defect.
 */
class VerifierLogTest {

    /** 6 users, 14 certificates, 8 keys, 5 CRL rows. */
    private static final Profile PROFILE = new Profile(6, 2, 1, 1, 2, 1, 3L);

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final KmsLog log = Fixtures.levelledLogTo(lines);

    private DatabaseAddress converted() {
        DatabaseAddress source = Fixtures.generate(dir, PROFILE);
        DatabaseAddress target = Fixtures.target(dir);
        Fixtures.convert(source, target, 5, Strategy.CHUNKED);
        return source;
    }

    private String summary(VerificationReport report, long holding) {
        return String.format(Locale.ROOT, "[INFO] Verified %s against %s: %d of %d invariants hold (%,d rows compared in %.1f s).",
                report.target(), report.source(), holding, report.results().size(), report.rowsCompared(), report.elapsed().toMillis() / 1000.0);
    }

    @Test
    void aPassingVerificationLogsWhatItReadsEveryInvariantAndTheSummaryWithTimesThatAddUp() {
        DatabaseAddress source = converted();
        DatabaseAddress target = Fixtures.target(dir);
        long started = System.nanoTime();

        VerificationReport report = new Verifier(log).verify(Verifier.Settings.of(source, target));

        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(report.passed());
        List<String> expected = new ArrayList<>();
        expected.add("[INFO] Verifying " + target.display() + " against " + source.display() + ": 6 users, 14 certificates, 8 keys, 5 CRL rows.");
        for (InvariantResult result : report.results()) {
            expected.add("[INFO]   PASSED  " + result.describe());
        }
        expected.add(summary(report, 7));
        assertEquals(expected, lines);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), report.results().stream().map(r -> r.invariant().number()).toList());

        // the report's times are parts of the run: none negative, none beyond the wall time, their sum within it
        assertTrue(!report.elapsed().isNegative() && report.elapsed().compareTo(wall) <= 0, report.elapsed() + " of " + wall);
        Duration sum = Duration.ZERO;
        for (InvariantResult result : report.results()) {
            assertTrue(!result.elapsed().isNegative() && result.elapsed().compareTo(report.elapsed()) <= 0,
                    result.invariant().label() + ": " + result.elapsed());
            sum = sum.plus(result.elapsed());
        }
        assertTrue(sum.compareTo(report.elapsed()) <= 0, sum + " of " + report.elapsed());
        assertEquals(report.rowsCompared() / (report.elapsed().toNanos() / 1e9), report.rowsPerSecond(), 1e-6);
        assertTrue(report.rowsCompared() >= 6 + 14 + 8, "rows compared: " + report.rowsCompared());
    }

    @Test
    void aFailingInvariantIsAWarningAndAnUndeclaredConstraintIsWarnedFirst() throws Exception {
        DatabaseAddress source = converted();
        DatabaseAddress target = Fixtures.target(dir);
        try (Connection c = Fixtures.open(target)) {
            Sql.update(c, "UPDATE KMS55.USERS SET MAILBOX_DN = 'cn=someone else' WHERE USER_ID = 1");
            Sql.execute(c, "ALTER TABLE KMS55.KEY_ARCHIVE DROP CONSTRAINT KEY_ARCHIVE_CERT_FK");
            c.commit();
        }

        // as for a converter of the user's own: the data alone, no conversion record (a record would also see the missing key)
        VerificationReport report = new Verifier(log).verify(new Verifier.Settings(Database.of(source), Database.of(target),
                Parameters.DEFAULT_MISMATCH_LIMIT, false));

        List<String> expected = new ArrayList<>();
        expected.add("[INFO] Verifying " + target.display() + " against " + source.display() + ": 6 users, 14 certificates, 8 keys, 5 CRL rows.");
        expected.add("[WARNING] " + Messages.format(Messages.UNDECLARED_CONSTRAINTS, 1,
                "KEY_ARCHIVE_CERT_FK (FOREIGN KEY (SERIAL) REFERENCES KMS55.CERTIFICATES (SERIAL))"));
        for (InvariantResult result : report.results()) {
            expected.add((result.failed() ? "[WARNING]   " : "[INFO]   ") + result.status() + "  " + result.describe());
        }
        expected.add(summary(report, 5));
        assertEquals(expected, lines);
        assertEquals(List.of(Invariant.ROW_EQUALITY), report.failures().stream().map(InvariantResult::invariant).toList());
        assertEquals(InvariantResult.Status.SKIPPED, report.result(Invariant.CONVERSION_RECORD).status());
        assertTrue(lines.contains("[WARNING]   FAILED  " + report.result(Invariant.ROW_EQUALITY).describe()));
    }
}
