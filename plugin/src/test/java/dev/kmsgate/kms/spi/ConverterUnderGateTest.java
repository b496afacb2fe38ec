package dev.kmsgate.kms.spi;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.gate.CaseResult;
import dev.kmsgate.kms.gate.ConverterUnderTest;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.RegressionGate;
import dev.kmsgate.kms.gate.ResumeTrial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A team's own converter under the gate: the correct one passes, each defective one fails saying why. */
class ConverterUnderGateTest {

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final KmsLog log = Fixtures.logTo(lines);

    /** The gate on a converter; the large case is {@code largeMultiple} times the capacity. */
    private GateReport gate(Class<?> converter, int capacity, int largeMultiple, int trials) {
        ForeignConverter loaded = ForeignConverter.load(converter.getName(), getClass().getClassLoader());
        return new RegressionGate(log).run(new RegressionGate.Settings(capacity, Strategy.CHUNKED, List.of(), 2, largeMultiple, 1L, 5,
                dir, null, ConverterUnderTest.of(loaded, log), trials));
    }

    private static List<String> names(List<CaseResult> results) {
        return results.stream().map(r -> r.gateCase().name()).toList();
    }

    @Test
    void aCorrectConverterPassesEveryCaseAndEveryResumeTrialAtAnOddCapacity() {
        GateReport report = gate(TeamConverter.class, 37, 10, 3);

        assertTrue(report.passed(), report::failureMessage);
        assertEquals(List.of("0", "1", "C-1", "C", "C+1", "2C+1", "10C", "dirty"), names(report.cases()));
        for (CaseResult result : report.cases()) {
            assertTrue(result.largestTransaction() <= 37, result.gateCase().name() + ": " + result.largestTransaction());
        }
        // the converter's own lines reach the build log, each after the target it converts
        assertTrue(lines.contains("[0-chunked] TeamConverter: a fresh target"), String.join("\n", lines));
        assertTrue(lines.contains("[10C-chunked] TeamConverter: a fresh target"));
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\[10C-trial-\\d+\\] TeamConverter: resuming what the target holds")),
                String.join("\n", lines));
        // three seeded trials on 10C (early, middle, late), then one at each commit of the dirty case
        long commits = report.cases().get(6).transactions();
        long dirtyCommits = report.cases().get(7).transactions();
        assertTrue(dirtyCommits >= 4 && dirtyCommits <= 12, "the dirty case's commits: " + dirtyCommits);
        assertEquals(3 + dirtyCommits, report.trials().size());
        List<Long> points = report.trials().stream().map(ResumeTrial::crashAtCommit).toList();
        for (int i = 0; i < 3; i++) {
            assertEquals("10C", report.trials().get(i).caseName());
            assertTrue(points.get(i) > commits * i / 3 && points.get(i) <= commits * (i + 1) / 3, points + " of " + commits);
        }
        for (int i = 3; i < report.trials().size(); i++) {
            assertEquals("dirty", report.trials().get(i).caseName());
            assertEquals(i + 1, report.trials().get(i).number());
            assertEquals(i - 2, points.get(i), points.toString());
        }
        assertTrue(lines.contains("KMS Gate regression: converter " + TeamConverter.class.getName() + ", transactionCapacity 37, 8 cases "
                + "and resume trials (3 on case 10C, one at each commit of case dirty up to 12) on 2 threads."), lines::toString);
        assertEquals(TeamConverter.class.getName(), report.converter());
        int trials = report.trials().size();
        assertTrue(lines.contains("GATE PASSED: 8 of 8 cases and " + trials + " of " + trials + " resume trials pass at transactionCapacity 37 "
                + "with converter " + TeamConverter.class.getName() + " ("
                + String.format(java.util.Locale.ROOT, "%.1f", report.elapsed().toMillis() / 1000.0) + " s)."), lines::toString);
    }

    @Test
    void aConverterThatMarksEveryRevocationInOneTransactionFailsTheCasesBeyondTheCapacity() {
        GateReport report = gate(TeamConverter.OneTransaction.class, 7, 3, 0);

        assertEquals(List.of("C+1", "2C+1", "3C", "dirty"), names(report.failures()));
        CaseResult c1 = report.failures().get(0);
        assertEquals("conversion aborted: " + Messages.format(Messages.CONVERTER_ABORTED, TeamConverter.OneTransaction.class.getName(), 8, 7, 7),
                c1.problems().get(0));
        assertTrue(report.failureMessage().startsWith("The KMS gate failed at transactionCapacity 7 with converter "
                + TeamConverter.OneTransaction.class.getName() + ": 4 of 8 cases fall short."), report.failureMessage());
        assertTrue(report.proof().sighted(), "the self-proof runs KMS Gate's own reference defect");
    }

    @Test
    void aConverterThatWritesAroundTheGuardFailsSayingSo() {
        GateReport report = gate(TeamConverter.WritesAroundGuard.class, 7, 3, 0);

        assertEquals(8, report.failures().size());
        for (CaseResult failure : report.failures()) {
            // the gate's targets accept only KMS Gate's own connections: its connection of its own is refused
            assertEquals("conversion aborted: " + Messages.format(Messages.CONVERTER_AROUND_GUARD, TeamConverter.WritesAroundGuard.class.getName(),
                    AUTHENTICATION_REFUSED), failure.problems().get(0), failure.gateCase().name());
        }
    }

    /**
     * KB Q193567 itself, hidden: every certificate written valid through the guard in chunks, then
     * every revocation in ONE transaction on a connection of its own. No row is added around the
     * guard and the data ends right, so only refusing the connection can catch it.
     */
    @Test
    void aConverterThatRevokesInOneTransactionAroundTheGuardFailsEveryCase() {
        GateReport report = gate(TeamConverter.RevokesAroundGuard.class, 7, 3, 0);

        List<String> failing = report.failures().stream().map(r -> r.gateCase().name()).toList();
        assertEquals(List.of("0", "1", "C-1", "C", "C+1", "2C+1", "3C", "dirty"), failing, report::failureMessage);
        for (CaseResult failure : report.failures()) {
            assertEquals("conversion aborted: " + Messages.format(Messages.CONVERTER_AROUND_GUARD,
                    TeamConverter.RevokesAroundGuard.class.getName(), AUTHENTICATION_REFUSED), failure.problems().get(0));
        }
    }

    /** Derby's SQLState for a connection without the target's credentials. */
    private static final String AUTHENTICATION_REFUSED = "08004";

    @Test
    void aConverterThatKeepsItsCheckpointOutsideTheDataFailsAResumeTrialNamingTheCommit() {
        GateReport report = gate(TeamConverter.CheckpointOutsideData.class, 7, 3, 3);

        assertTrue(report.failures().isEmpty(), report::failureMessage);
        assertFalse(report.failedTrials().isEmpty(), "no trial caught the lost chunk");
        ResumeTrial failed = report.failedTrials().get(0);
        assertTrue(report.failureMessage().contains("  - resume trial " + failed.number() + " (case 3C, interrupted at commit "
                + failed.crashAtCommit() + " of " + failed.commits() + "): invariant "), report.failureMessage());
    }

    @Test
    void aConverterThatThrowsFailsEveryCaseWithItsMessage() {
        GateReport report = gate(TeamConverter.Throws.class, 7, 3, 0);

        assertEquals(8, report.failures().size());
        assertEquals("conversion aborted: " + Messages.format(Messages.CONVERTER_FAILED, TeamConverter.Throws.class.getName(),
                "java.lang.IllegalStateException: the team's converter cannot read KM_CERT.USAGE 'X'"),
                report.failures().get(3).problems().get(0));
        KmsDefectException failure = assertThrows(KmsDefectException.class, report::requirePassed);
        assertTrue(failure.getMessage().contains("  - case C: conversion aborted: The converter "), failure.getMessage());
    }

    @Test
    void kmsGatesOwnConverterPassesTheSameResumeTrials() {
        GateReport report = new RegressionGate(log).run(new RegressionGate.Settings(7, Strategy.CHUNKED, List.of(), 2, 3, 1L, 5,
                dir, null, null, 3));

        assertTrue(report.passed(), report::failureMessage);
        // 3 on case 3C; the dirty case commits more than 12 times at capacity 7, so 12 seeded points there
        assertEquals(15, report.trials().size());
        assertEquals(12, report.trials().stream().filter(t -> t.caseName().equals("dirty")).count());
        assertTrue(report.trials().stream().allMatch(ResumeTrial::passed));
    }

    @Test
    void aConverterClassThatIsMissingIsNotAConverterOrHasNoConstructorIsAClearError() {
        ClassLoader loader = getClass().getClassLoader();
        assertEquals(Messages.format(Messages.CONVERTER_NOT_FOUND, "com.example.TeamConvertor"),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load("com.example.TeamConvertor", loader)).getMessage());
        assertEquals(Messages.format(Messages.CONVERTER_NOT_A_CONVERTER, "java.lang.String"),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load("java.lang.String", loader)).getMessage());
        assertEquals(Messages.format(Messages.CONVERTER_NO_CONSTRUCTOR, NoConstructor.class.getName()),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load(NoConstructor.class.getName(), loader)).getMessage());
    }

    /** A converter KMS Gate cannot create. */
    public static final class NoConstructor extends TeamConverter {
        public NoConstructor(int unused) {
            super(Defect.NONE);
        }
    }
}
