package dev.kmsgate.kms.gate;

import java.util.ArrayList;
import dev.kmsgate.kms.KmsLog;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints the gate's one table: a line per case, then the self-proof and the verdict. */
final class GateTable {

    private static final String COLUMNS = " %8s %13s %12s %13s %12s %10s  %s";

    private GateTable() {
    }

    /** The table as lines, without a log prefix. */
    static List<String> lines(GateReport report) {
        List<String> lines = new ArrayList<>();
        int width = Math.max(10, report.cases().stream().mapToInt(r -> r.gateCase().name().length()).max().orElse(0));
        String row = "%-" + width + "s" + COLUMNS;
        lines.add(String.format(Locale.ROOT, row, "case", "users", "certificates", "revocations", "transactions",
                "largest txn", "rows/s", "result"));
        for (CaseResult result : report.cases()) {
            GateCase c = result.gateCase();
            lines.add(String.format(Locale.ROOT, row, c.name(), number(c.profile().users()), number(c.profile().certificates()),
                    number(c.revocations()), number(result.transactions()), number(result.largestTransaction()),
                    number(Math.round(result.rowsPerSecond())), result.passed() ? "PASS" : "FAIL"));
        }
        GateReport.SelfProof proof = report.proof();
        if (proof.sighted()) {
            lines.add(String.format(Locale.ROOT, "self-proof: the reference defect (single-transaction) on case %s (%,d revocations) "
                            + "was refused at %,d row changes (capacity %,d), and verification of what it left fails invariants %s "
                            + "(%s with the record check off): the gate can see the defect.",
                    proof.caseName(), proof.revocations(), proof.refusedAt(), report.transactionCapacity(), join(proof.failedInvariants()),
                    join(proof.failedDataInvariants())));
        } else {
            lines.add("self-proof: the gate is BLIND: " + String.join("; ", proof.blindness()));
        }
        lines.add(String.format(Locale.ROOT, "%s: %d of %d cases pass at transactionCapacity %,d with strategy '%s' (%.1f s).",
                report.passed() ? "GATE PASSED" : "GATE FAILED",
                report.cases().size() - report.failures().size(), report.cases().size(), report.transactionCapacity(), report.strategy(),
                report.elapsed().toMillis() / 1000.0));
        return lines;
    }

    /** Logs the table: failing rows and a failed verdict as warnings. */
    static void print(GateReport report, KmsLog log) {
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
