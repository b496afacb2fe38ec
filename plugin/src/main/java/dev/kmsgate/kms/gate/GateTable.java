package dev.kmsgate.kms.gate;

import java.util.ArrayList;
import dev.kmsgate.kms.KmsLog;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints the gate's one table: a line per case, then the self-proof and the verdict. */
public final class GateTable {

    private static final String COLUMNS = " %8s %13s %12s %13s %12s %10s  %s";

    private GateTable() {
    }

    /** The table as lines, without a log prefix. */
    public static List<String> lines(GateReport report) {
        List<String> lines = new ArrayList<>();
        if (report.reuse() != null) {
            lines.add(report.reuseLine());
        }
        int width = Math.max(10, report.cases().stream().mapToInt(r -> r.gateCase().name().length()).max().orElse(0));
        String row = "%-" + width + "s" + COLUMNS;
        lines.add(String.format(Locale.ROOT, row, "case", "users", "certificates", "revocations", "transactions",
                "largest txn", "rows/s", "result"));
        for (CaseResult result : report.cases()) {
            CaseSize size = result.size();
            lines.add(String.format(Locale.ROOT, row, result.gateCase().name(), number(size.users()), number(size.certificates()),
                    number(size.revocations()), number(result.transactions()), number(result.largestTransaction()),
                    result.passed() ? number(Math.round(result.rowsPerSecond())) : "-", result.passed() ? "PASS" : "FAIL"));
        }
        for (ResumeTrial trial : report.trials()) {
            lines.add(String.format(Locale.ROOT, "resume trial %d: case %s interrupted at commit %,d of %,d, then run again: %s",
                    trial.number(), trial.caseName(), trial.crashAtCommit(), trial.commits(), trial.passed() ? "PASS" : "FAIL"));
        }
        GateReport.SelfProof proof = report.proof();
        if (proof == null) {
            lines.add("self-proof: run by another shard of this gate (" + report.shard().label() + " does not run it).");
        } else if (proof.sighted()) {
            lines.add(String.format(Locale.ROOT, "self-proof: the reference defect (single-transaction) on case %s (%,d revocations) "
                            + "was refused at %,d row changes (capacity %,d), and verification of what it left fails invariants %s "
                            + "(%s with the record check off): the gate can see the defect.",
                    proof.caseName(), proof.revocations(), proof.refusedAt(), report.transactionCapacity(), join(proof.failedInvariants()),
                    join(proof.failedDataInvariants())));
        } else {
            lines.add("self-proof: the gate is BLIND: " + String.join("; ", proof.blindness()));
        }
        String trials = report.trials().isEmpty() ? "" : String.format(Locale.ROOT, " and %d of %d resume trials",
                report.trials().size() - report.failedTrials().size(), report.trials().size());
        lines.add(String.format(Locale.ROOT, "%s: %d of %d cases%s pass at transactionCapacity %,d with %s%s (%.1f s).",
                report.passed() ? "GATE PASSED" : "GATE FAILED",
                report.cases().size() - report.failures().size(), report.cases().size(), trials, report.transactionCapacity(),
                report.subject(), report.shard().all() ? "" : ", " + report.shard().label(), report.elapsed().toMillis() / 1000.0));
        return lines;
    }

    /** Logs the table: failing rows and a failed verdict as warnings. */
    public static void print(GateReport report, KmsLog log) {
        for (String line : lines(report)) {
            if (line.contains(" FAIL") || line.contains("BLIND")) {
                log.warn(line);
            } else {
                log.info(line);
            }
        }
    }

    private static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String join(List<Integer> numbers) {
        return numbers.isEmpty() ? "none" : numbers.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
