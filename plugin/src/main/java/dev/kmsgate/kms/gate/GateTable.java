package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.LogLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints the gate's one table: a line per case, then the self-proof and the verdict.
 *
 * <p>Public for cache, which prints a reused verdict's table, and report, which shows its verdict
 * lines; not an API.
 */
public final class GateTable {

    private static final String COLUMNS = " %8s %13s %12s %13s %12s %10s  %s";

    private GateTable() {
    }

    /** The table as lines, without a log prefix. */
    public static List<String> lines(GateReport report) {
        return rows(report).stream().map(LogLine::text).toList();
    }

    /**
     * The table as lines with their severity: the reuse line when the verdict was reused, the
     * header, a line per case and per resume trial, then {@link #selfProofLine}, the scaling
     * proof's line when it ran, and {@link #verdictLine}. Failing cases and trials, a blind
     * self-proof, work that grows faster than the data and a failed verdict warn.
     */
    public static List<LogLine> rows(GateReport report) {
        List<LogLine> lines = new ArrayList<>();
        if (report.reuse() != null) {
            lines.add(LogLine.info(report.reuseLine()));
        }
        int width = Math.max(10, report.cases().stream().mapToInt(r -> r.gateCase().name().length()).max().orElse(0));
        String row = "%-" + width + "s" + COLUMNS;
        lines.add(LogLine.info(String.format(Locale.ROOT, row, "case", "users", "certificates", "revocations", "transactions",
                "largest txn", "rows/s", "result")));
        for (CaseResult result : report.cases()) {
            CaseSize size = result.size();
            lines.add(LogLine.of(String.format(Locale.ROOT, row, result.gateCase().name(), number(size.users()), number(size.certificates()),
                    number(size.revocations()), number(result.transactions()), number(result.largestTransaction()),
                    result.passed() ? number(Math.round(result.rowsPerSecond())) : "-", result.passed() ? "PASS" : "FAIL"), !result.passed()));
        }
        for (ResumeTrial trial : report.trials()) {
            lines.add(LogLine.of(String.format(Locale.ROOT, "resume trial %d: case %s interrupted at commit %,d of %,d, then run again: %s",
                    trial.number(), trial.caseName(), trial.crashAtCommit(), trial.commits(), trial.passed() ? "PASS" : "FAIL"), !trial.passed()));
        }
        lines.add(selfProofLine(report));
        if (report.growth() != null) {
            lines.add(LogLine.of(report.growth().line(), !report.growth().passed() || report.growth().phaseWarning()));
        }
        lines.add(verdictLine(report));
        return lines;
    }

    /** The self-proof's line: what the reference defect did, that the gate is blind, or that another shard runs it. */
    public static LogLine selfProofLine(GateReport report) {
        GateReport.SelfProof proof = report.proof();
        if (proof == null) {
            return LogLine.info("self-proof: run by another shard of this gate (" + report.shard().label() + " does not run it).");
        }
        if (proof.sighted()) {
            return LogLine.info(String.format(Locale.ROOT, "self-proof: the reference defect (single-transaction) on case %s (%,d revocations) "
                            + "was refused at %,d row changes (capacity %,d), and verification of what it left fails invariants %s "
                            + "(%s with the record check off): the gate can see the defect.",
                    proof.caseName(), proof.revocations(), proof.refusedAt(), report.transactionCapacity(), join(proof.failedInvariants()),
                    join(proof.failedDataInvariants())));
        }
        return LogLine.warning("self-proof: the gate is BLIND: " + String.join("; ", proof.blindness()));
    }

    /** The verdict's line, {@code GATE PASSED: ...} or {@code GATE FAILED: ...}, which warns when the gate failed. */
    public static LogLine verdictLine(GateReport report) {
        String trials = report.trials().isEmpty() ? "" : String.format(Locale.ROOT, " and %d of %d resume trials",
                report.trials().size() - report.failedTrials().size(), report.trials().size());
        return LogLine.of(String.format(Locale.ROOT, "%s: %d of %d cases%s pass at transactionCapacity %,d with %s%s (%.1f s).",
                report.passed() ? "GATE PASSED" : "GATE FAILED",
                report.cases().size() - report.failures().size(), report.cases().size(), trials, report.transactionCapacity(),
                report.subject(), report.shard().all() ? "" : ", " + report.shard().label(), report.elapsed().toMillis() / 1000.0),
                !report.passed());
    }

    /** Logs the table: failing rows, a blind self-proof and a failed verdict as warnings. */
    public static void print(GateReport report, KmsLog log) {
        rows(report).forEach(line -> line.logTo(log));
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String join(List<Integer> numbers) {
        return numbers.isEmpty() ? "none" : numbers.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
