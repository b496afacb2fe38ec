package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionGateTest {

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final KmsLog log = new KmsLog() {
        @Override public void info(String message) { lines.add(message); }
        @Override public void warn(String message) { lines.add(message); }
        @Override public void debug(String message) { }
    };

    private RegressionGate.Settings settings(int capacity, Strategy strategy) {
        return new RegressionGate.Settings(capacity, strategy, List.of(), 2, 10, 1L, 5, dir, null);
    }

    @Test
    void boundaryCasesAreDistinctRevocationCountsPlusDirty() {
        List<GateCase> cases = GateCase.boundaryCases(37, 10, 1L);
        assertEquals(List.of("0", "1", "C-1", "C", "C+1", "2C+1", "10C", "dirty"),
                cases.stream().map(GateCase::name).toList());
        assertEquals(List.of(0L, 1L, 36L, 37L, 38L, 75L, 370L),
                cases.subList(0, 7).stream().map(GateCase::revocations).toList());
        // at capacity 1, C-1 is 0 and C is 1: each count runs once, under its first label
        assertEquals(List.of("0", "1", "C+1", "2C+1", "10C", "dirty"),
                GateCase.boundaryCases(1, 10, 1L).stream().map(GateCase::name).toList());
    }

    @Test
    void aLargeMultipleBelowThreeIsRefusedBecauseTheLargeCaseMustLieBeyond2CPlus1() {
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> new RegressionGate.Settings(37, Strategy.CHUNKED, List.of(), 2, 2, 1L, 5, dir, null));
        assertEquals("<largeMultiple> is 2, but must be at least 3 so that the large case lies beyond 2C+1.", refused.getMessage());
    }

    @Test
    void aLargeCaseBeyondWhatAGeneratedDatabaseHoldsIsRefusedNamingBothParameters() {
        // 10 x 1,000,000,000 revocations would overflow the case's user count, not merely take forever
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> new RegressionGate.Settings(1_000_000_000, Strategy.CHUNKED, List.of(), 2, 10, 1L, 5, dir, null));
        assertEquals("<largeMultiple> 10 times <transactionCapacity> 1000000000 is 10,000,000,000 revocations for the large boundary "
                + "case, but a generated case holds at most 1,073,741,824 (as many users as revocations, two certificates each). "
                + "Lower <largeMultiple> or <transactionCapacity>.", refused.getMessage());
        // the largest that fits is accepted (and never generated here)
        assertEquals(1_073_741_824 / 4, new RegressionGate.Settings(1_073_741_824 / 4, Strategy.CHUNKED, List.of(), 2, 4, 1L, 5, dir, null)
                .transactionCapacity());
    }

    @Test
    void chunkedStrategyPassesEveryBoundaryCaseAtAnOddCapacity() {
        GateReport report = new RegressionGate(log).run(settings(37, Strategy.CHUNKED));

        assertTrue(report.passed(), () -> report.failureMessage());
        assertEquals(8, report.cases().size());
        for (CaseResult result : report.cases()) {
            assertTrue(result.largestTransaction() <= 37, result.gateCase().name() + " " + result.largestTransaction());
            assertTrue(result.verification().passed(), result.gateCase().name());
        }
        CaseResult large = report.cases().get(6);
        assertEquals("10C", large.gateCase().name());
        assertEquals(37, large.largestTransaction());
        assertTrue(report.proof().sighted(), () -> report.proof().blindness().toString());
        assertEquals(38, report.proof().refusedAt());
        assertEquals(List.of(7), report.proof().failedInvariants());
        assertTrue(report.proof().failedDataInvariants().containsAll(List.of(4, 5)));
        String table = String.join("\n", lines);
        assertTrue(table.contains("GATE PASSED: 8 of 8 cases pass at transactionCapacity 37 with strategy 'chunked'"), table);
        for (String name : List.of("0 ", "1 ", "C-1 ", "C ", "C+1 ", "2C+1 ", "10C ", "dirty ")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(name) && l.endsWith("PASS")), name + " in\n" + table);
        }
    }

    @Test
    void singleTransactionStrategyFailsTheCasesBeyondTheCapacity() {
        RegressionGate gate = new RegressionGate(log);
        KmsDefectException failure = assertThrows(KmsDefectException.class, () -> gate.run(settings(7, Strategy.SINGLE_TRANSACTION)).requirePassed());

        String message = failure.getMessage();
        assertTrue(message.startsWith("The KMS gate failed at transactionCapacity 7 with strategy 'single-transaction': 4 of 8 cases fall short."), message);
        List<String> failing = message.lines().filter(l -> l.startsWith("  - case ")).map(l -> l.substring(9, l.indexOf(':'))).toList();
        assertEquals(List.of("C+1", "2C+1", "10C", "dirty"), failing);
        assertTrue(message.contains("case C+1: conversion aborted: Conversion aborted under the transaction capacity: one transaction reached 8 row changes, but the target accepts at most 7"), message);
        assertFalse(message.contains("blind"), message);
    }

    @Test
    void aVerifierThatCannotFailMakesTheGateSayItIsBlind() {
        Verifier real = new Verifier(KmsLog.silent());
        RegressionGate gate = new RegressionGate(log, s -> new Converter(KmsLog.silent()).convert(s),
                s -> passingCopyOf(real.verify(s)));
        GateReport report = gate.run(settings(5, Strategy.CHUNKED));

        assertFalse(report.passed());
        assertTrue(report.failures().isEmpty());
        assertEquals(List.of("verification of what it left passed", "the revocation invariants (4, 5) did not see the missing revocations"),
                report.proof().blindness());
        assertTrue(report.failureMessage().startsWith("The gate is blind: the reference defect (single-transaction) on case C+1 was not caught"));
    }

    @Test
    void aConverterThatExceedsTheCapacityFailsEvenWhenItReportsSuccess() {
        // converts under twice the capacity into the gate's own ledger: the guard measures it, the gate judges it
        RegressionGate gate = new RegressionGate(log, s -> new Converter(KmsLog.silent()).convert(
                new ConversionSettings(s.source(), s.target(), s.transactionCapacity() * 2, s.strategy(), false,
                        s.ledger(), null)), s -> new Verifier(KmsLog.silent()).verify(s));
        GateReport report = gate.run(settings(6, Strategy.CHUNKED));

        List<String> failing = report.failures().stream().map(r -> r.gateCase().name()).collect(Collectors.toList());
        assertTrue(failing.containsAll(List.of("C", "C+1", "2C+1", "10C", "dirty")), failing.toString());
        CaseResult large = report.failures().stream().filter(r -> r.gateCase().name().equals("10C")).findFirst().orElseThrow();
        assertEquals(List.of("the largest transaction held 12 row changes, beyond the capacity of 6"), large.problems());
        assertTrue(large.verification().passed());
    }

    private static VerificationReport passingCopyOf(VerificationReport report) {
        return new VerificationReport(report.name(), report.source(), report.target(), report.results().stream()
                .map(r -> new dev.kmsgate.kms.verify.InvariantResult(r.invariant(), dev.kmsgate.kms.verify.InvariantResult.Status.PASSED,
                        r.expected(), r.expected(), "forced to pass", List.of(), 0))
                .toList(), report.rowsCompared(), report.elapsed());
    }

}
