package dev.kmsgate.kms.report;

import dev.kmsgate.kms.FileNames;
import dev.kmsgate.kms.gate.CaseResult;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.GateTable;
import dev.kmsgate.kms.gate.Growth;
import dev.kmsgate.kms.gate.ResumeTrial;
import dev.kmsgate.kms.store.TransactionHistory;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import static dev.kmsgate.kms.report.Html.number;

/**
 * What one run renders to on a page ({@link HtmlReport}): the gate's fragment (verdict, what ran,
 * the table of cases, why each failing case fails, the scaling proof with its chart, the
 * self-proof, the resume trials, then each case in detail) and a verification's (its invariants).
 * Each fragment is marked, so that the index and the site page take it whole from a run's page.
 */
final class RunFragments {

    private static final String FRAGMENT_START = "<!-- kms-report-fragment -->";
    private static final String FRAGMENT_END = "<!-- /kms-report-fragment -->";

    private RunFragments() {
    }

    /** The gate: verdict, what ran, the table of cases, why each failing case fails, the self-proof, resume trials, then each case in detail. */
    static String gate(GateReport report) {
        String verdict = GateTable.verdictLine(report).text();
        Html html = new Html().raw(FRAGMENT_START).line();
        String shard = report.shard().all() ? "" : ", " + report.shard().label();
        html.open("section", "class", "run " + (report.passed() ? "pass" : "fail"), "id", "gate" + report.shard().fileSuffix())
                .element("h2", "Regression gate" + shard + ": " + (report.passed() ? "PASSED" : "FAILED")).line();
        html.element("p", verdict, "class", "verdict " + (report.passed() ? "pass" : "fail")).line();
        html.open("dl", "class", "facts");
        fact(html, "converter under test", report.converter());
        fact(html, "strategy", report.strategy());
        fact(html, "transaction capacity", number(report.transactionCapacity()) + " row changes");
        fact(html, "cases passing", (report.cases().size() - report.failures().size()) + " of " + report.cases().size());
        if (!report.shard().all()) {
            fact(html, "shard", report.shard().label() + ": the other shards' pages hold the rest of the gate");
        }
        fact(html, "threads", Integer.toString(report.threads()));
        fact(html, "time", Html.seconds(report.elapsed().toMillis() / 1000.0) + " s");
        // the run's own time, from its record: the fragment is the same wherever and whenever it is rendered
        fact(html, "run finished", report.finished().truncatedTo(ChronoUnit.SECONDS).toString());
        if (report.reuse() != null) {
            fact(html, "reused", "nothing the verdict depends on changed since (key " + report.reuse().key() + ")");
        }
        html.close("dl").line();
        casesTable(html, report);
        if (!report.failures().isEmpty()) {
            html.element("h3", "Why cases fail").open("ul", "class", "problems");
            for (CaseResult failure : report.failures()) {
                html.open("li").open("a", "href", "#" + caseId(failure)).text("case " + failure.gateCase().name()).close("a")
                        .text(": " + failure.problems().get(0) + (failure.problems().size() == 1 ? ""
                                : " (and " + (failure.problems().size() - 1) + " more, below)")).close("li");
            }
            html.close("ul").line();
        }
        html.element("h3", "Self-proof");
        html.element("p", GateTable.selfProofLine(report).text(), "class", report.proof() == null ? "verdict"
                : "verdict " + (report.proof().sighted() ? "pass" : "fail")).line();
        if (report.growth() != null) {
            scalingProof(html, report);
        }
        if (!report.trials().isEmpty()) {
            resumeTrials(html, report.trials());
        }
        html.element("h3", report.failures().isEmpty() ? "Cases in detail" : "Cases in detail, failing ones first").line();
        for (CaseResult result : report.failures()) {
            caseDetail(html, report, result);
        }
        for (CaseResult result : report.cases()) {
            if (result.passed()) {
                caseDetail(html, report, result);
            }
        }
        return html.close("section").line().raw(FRAGMENT_END).toString();
    }

    /** The scaling proof's line, and its chart of work against rows when it measured. */
    private static void scalingProof(Html html, GateReport report) {
        Growth growth = report.growth();
        html.element("h3", "Scaling proof");
        html.element("p", growth.line(), "class", "verdict " + (growth.passed() ? "pass" : "fail")).line();
        if (growth.measured()) {
            html.open("figure").raw(SvgCharts.growth(growth, "scaling" + report.shard().fileSuffix()))
                    .element("figcaption", String.format(Locale.ROOT, "The converter's CPU time on an empty database and on cases %s and %s "
                            + "(the least of its runs on each); dashed, the linear expectation. Work beyond n^%.1f fails the gate.",
                            growth.smallCase(), growth.largeCase(), Growth.LIMIT)).close("figure").line();
        }
    }

    private static void casesTable(Html html, GateReport report) {
        html.element("h3", "Cases");
        html.open("table", "class", "cases", "id", "cases" + report.shard().fileSuffix()).open("thead").open("tr");
        for (String heading : new String[] {"case", "users", "certificates", "revocations", "transactions", "largest txn", "rows/s", "result"}) {
            html.element("th", heading, "scope", "col");
        }
        html.close("tr").close("thead").open("tbody").line();
        for (CaseResult result : report.cases()) {
            String status = result.passed() ? "pass" : "fail";
            html.open("tr", "class", status).open("th", "scope", "row").open("a", "href", "#" + caseId(result))
                    .text(result.gateCase().name()).close("a").close("th");
            cell(html, result.size().users());
            cell(html, result.size().certificates());
            cell(html, result.size().revocations());
            cell(html, result.transactions());
            html.element("td", number(result.largestTransaction()), "class", result.largestTransaction() > report.transactionCapacity() ? "num over" : "num");
            if (result.passed()) {
                cell(html, Math.round(result.rowsPerSecond()));
            } else {
                html.element("td", "-", "class", "num");
            }
            html.element("td", result.passed() ? "PASS" : "FAIL", "class", "outcome " + status).close("tr").line();
        }
        html.close("tbody").close("table").line();
    }

    private static void resumeTrials(Html html, List<ResumeTrial> trials) {
        html.element("h3", "Resume trials");
        html.element("p", "Each trial ran the converter until the guard simulated a crash at a commit (the transaction in flight lost, "
                + "every connection of the run failing), then ran it again on the same target and judged the result like an "
                + "uninterrupted run.", "class", "meta");
        html.open("table", "class", "trials").open("thead").open("tr");
        for (String heading : new String[] {"trial", "case", "interrupted at commit", "of commits", "result", "problems"}) {
            html.element("th", heading, "scope", "col");
        }
        html.close("tr").close("thead").open("tbody");
        for (ResumeTrial trial : trials) {
            String status = trial.passed() ? "pass" : "fail";
            html.open("tr", "class", status).element("td", Integer.toString(trial.number()), "class", "num").element("td", trial.caseName());
            cell(html, trial.crashAtCommit());
            cell(html, trial.commits());
            html.element("td", trial.passed() ? "PASS" : "FAIL", "class", "outcome " + status)
                    .element("td", String.join("; ", trial.problems())).close("tr");
        }
        html.close("tbody").close("table").line();
    }

    private static void caseDetail(Html html, GateReport report, CaseResult result) {
        String id = caseId(result);
        TransactionHistory history = result.history();
        // when the gate failed, passing cases are folded so that the failing ones stand out
        html.open("section", "class", "case " + (result.passed() ? "pass" : "fail"), "id", id)
                .open("details", "open", !result.passed() || report.passed() ? "" : null).open("summary").open("h4")
                .text("Case " + result.gateCase().name() + " ")
                .element("span", result.passed() ? "PASS" : "FAIL", "class", "outcome " + (result.passed() ? "pass" : "fail"))
                .element("span", number(history.transactions()) + " transactions, the largest " + number(result.largestTransaction())
                        + " of " + number(report.transactionCapacity()), "class", "meta")
                .close("h4").close("summary").line();
        html.element("p", (result.gateCase().profile() != null ? "generated: " + result.gateCase().profile()
                : "existing legacy database " + result.gateCase().source().display()) + "; " + number(result.size().revocations())
                + " distinct CRL serials.", "class", "meta");
        if (!result.passed()) {
            html.open("ul", "class", "problems");
            result.problems().forEach(problem -> html.element("li", problem));
            html.close("ul");
        }
        html.element("p", number(history.transactions()) + " transactions committed " + number(history.rowChanges())
                + " row changes; the largest attempted " + number(result.largestTransaction()) + " (capacity " + number(report.transactionCapacity()) + ")"
                + (history.refusals().isEmpty() ? "" : "; " + history.refusals().size() + " refused by the guard")
                + (history.complete() ? "." : "; too many to draw one by one, so by size:"), "class", "summary");
        html.open("figure").raw(SvgCharts.transactions(history, report.transactionCapacity(), id + "-transactions"))
                .element("figcaption", "Each committed transaction's row changes against the capacity line (dashed); a refused transaction is red.")
                .close("figure").line();
        html.open("figure").raw(SvgCharts.rate(history, id + "-rate"))
                .element("figcaption", "The conversion's rate: row changes committed per second over the run.").close("figure").line();
        if (result.verification() != null) {
            VerificationReport verification = result.verification();
            html.open("details", "open", verification.passed() ? null : "").element("summary", invariantSummary(verification));
            invariants(html, verification);
            html.close("details");
        }
        html.close("details").close("section").line();
    }

    /** One verified target: its verdict, the two databases, and every invariant. */
    static String verification(VerificationReport report) {
        Html html = new Html().raw(FRAGMENT_START).line();
        String status = report.passed() ? "pass" : "fail";
        html.open("section", "class", "run " + status, "id", "verify-" + report.name().replaceAll("\\s", "_"))
                .element("h2", "Verification of " + report.name() + ": " + (report.passed() ? "PASSED" : "FAILED")).line();
        html.element("p", invariantSummary(report), "class", "verdict " + status);
        html.open("dl", "class", "facts");
        fact(html, "source", report.source());
        fact(html, "target", report.target());
        fact(html, "rows compared", number(report.rowsCompared()));
        fact(html, "time", Html.seconds(report.elapsed().toMillis() / 1000.0) + " s");
        fact(html, "written", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        html.close("dl").line();
        invariants(html, report);
        return html.close("section").line().raw(FRAGMENT_END).toString();
    }

    private static String invariantSummary(VerificationReport report) {
        long passed = report.results().stream().filter(r -> r.status() == InvariantResult.Status.PASSED).count();
        long skipped = report.results().stream().filter(r -> r.status() == InvariantResult.Status.SKIPPED).count();
        return "Invariants: " + passed + " passed, " + report.failures().size() + " failed" + (skipped == 0 ? "" : ", " + skipped + " skipped")
                + " of " + report.results().size() + ".";
    }

    /** Per invariant: the two numbers, the verdict, and what holds or the first differing keys, as the log says it. */
    private static void invariants(Html html, VerificationReport report) {
        html.open("table", "class", "invariants").open("thead").open("tr");
        for (String heading : new String[] {"invariant", "expected", "found", "result", "detail"}) {
            html.element("th", heading, "scope", "col");
        }
        html.close("tr").close("thead").open("tbody").line();
        for (InvariantResult result : report.results()) {
            String status = result.status().name().toLowerCase(Locale.ROOT);
            html.open("tr", "class", status).open("th", "scope", "row").text(result.invariant().label())
                    .element("span", result.invariant().statement(), "class", "statement").close("th");
            cell(html, result.expected());
            cell(html, result.actual());
            html.element("td", result.status().name(), "class", "outcome " + status).open("td").text(result.detail());
            if (!result.differences().isEmpty()) {
                html.open("ol", "class", "differences");
                result.differences().forEach(difference -> html.element("li", difference));
                html.close("ol");
                if (result.totalDifferences() > result.differences().size()) {
                    html.element("p", "... " + number(result.totalDifferences() - result.differences().size()) + " more", "class", "meta");
                }
            }
            html.close("td").close("tr").line();
        }
        html.close("tbody").close("table").line();
    }

    private static void fact(Html html, String name, String value) {
        html.element("dt", name).element("dd", value);
    }

    private static void cell(Html html, long value) {
        html.element("td", number(value), "class", "num");
    }

    static String caseId(CaseResult result) {
        return "case-" + FileNames.safe(result.gateCase().name());
    }
}
