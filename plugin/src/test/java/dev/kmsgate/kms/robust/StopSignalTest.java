package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a conversion: the JVM exits promptly, the conversion stops
 * between two transactions, the run is recorded as INTERRUPTED, and a new run resumes it exactly.
 */
class StopSignalTest extends SharedDirtySource {

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void aSignalStopsTheConversionBetweenTransactionsMarksTheRunAndTheResumeIsExact(String signal) throws Exception {
        DatabaseAddress target = Fixtures.target(dir);

        int status;
        List<String> output;
        try (ChildJvm child = ChildJvm.start(ConvertMain.class, dir.resolve("derby-child.log"),
                source.display(), target.display(), "1")) {
            assertTrue(child.awaitLines(line -> line.startsWith(ConvertMain.PROGRESS), 10, 60_000) >= 10, () -> child.lines().toString());
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            status = child.waitFor(30_000);
            output = child.lines();
        }
        assertEquals(128 + (signal.equals("INT") ? 2 : 15), status, () -> "exit status; output " + output);
        String interrupted = Messages.format(Messages.CONVERSION_INTERRUPTED, target.display());
        assertTrue(output.contains(interrupted), () -> "output: " + output);
        assertTrue(output.stream().noneMatch(l -> l.startsWith(ConvertMain.DONE)), () -> "finished before the signal: " + output);

        try (Connection c = Fixtures.open(target)) {
            assertEquals("INTERRUPTED", Sql.queryString(c, "SELECT OUTCOME FROM KMS55.KMS_CONVERSION_RUN WHERE RUN_NO = 1"));
            assertEquals("stopped by a shutdown signal between two transactions",
                    Sql.queryString(c, "SELECT MESSAGE FROM KMS55.KMS_CONVERSION_RUN WHERE RUN_NO = 1"));
            c.rollback();
        }
        long committedAtStop = dataRows(target);
        assertTrue(committedAtStop >= 10, () -> committedAtStop + " rows committed");

        ConversionResult resumed = Fixtures.convert(source, target, 20, Strategy.CHUNKED);
        assertEquals(ConversionResult.Outcome.RESUMED, resumed.outcome());
        long total = dataRows(target);
        assertTrue(committedAtStop < total, () -> "the signal came after the last chunk: " + committedAtStop + " of " + total);
        VerificationReport report = Fixtures.verify(source, target);
        assertTrue(report.passed(), () -> report.failures().toString());
        assertEquals(List.of(), Tables.checkTables(target));
        Fixtures.shutdown(source, target);
        assertEquals(sourceDigest, Tables.sourceDigest(source));
        Fixtures.shutdown(source);
    }

    private static long dataRows(DatabaseAddress target) throws Exception {
        try (Connection c = Fixtures.open(target)) {
            long rows = 0;
            for (String table : Kms55Schema.DATA_TABLES) {
                rows += Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55." + table);
            }
            c.rollback();
            return rows;
        }
    }
}
