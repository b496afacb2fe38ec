package dev.kmsgate.kms.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.gate.CaseResult;
import dev.kmsgate.kms.gate.ConverterUnderTest;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.Growth;
import dev.kmsgate.kms.gate.RegressionGate;
import dev.kmsgate.kms.store.TransactionHistory;
import nu.validator.client.EmbeddedValidator;
import nu.validator.htmlparser.common.XmlViolationPolicy;
import nu.validator.htmlparser.dom.HtmlDocumentBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report of a real gate run that fails (the reference defect under test at capacity 5),
 * and of a real verification: valid HTML5 by the Nu Html Checker, the same numbers as the JSON,
 * and the failing case, its reason and its refused transaction on the page.
 */
class HtmlReportTest {

    @TempDir
    static Path dir;
    private static Path reports;
    private static GateReport gate;
    private static Path index;
    private static String verified;
    private static Path standalone;

    @BeforeAll
    static void runTheGateWithTheReferenceDefect() {
        reports = dir.resolve("kms-reports");
        GateReport run = new RegressionGate(KmsLog.silent()).run(new RegressionGate.Settings(5, Strategy.SINGLE_TRANSACTION, List.of(), 2, 3,
                1L, 5, dir.resolve("work"), null));
        // the scaling proof's measurements of a quadratic converter (its runs are ScalingProofTest's)
        gate = new GateReport(run.transactionCapacity(), run.strategy(), run.converter(), run.builtIn(), run.threads(), run.cases(), run.trials(),
                run.proof(), run.elapsed(), run.shard(), run.finished(), null, QUADRATIC);
        GateReports.write(reports, gate);
        HtmlReport.writeGate(reports, gate);
        CaseResult c = gate.cases().stream().filter(r -> r.gateCase().name().equals("C+1")).findFirst().orElseThrow();
        verified = c.verification().name();
        VerificationReports.write(reports, c.verification());
        index = HtmlReport.writeVerification(reports, c.verification());
        standalone = HtmlReport.writeReportPage(dir.resolve("reports/kms-report.html"), "KMS Gate report", HtmlReport.fragments(reports),
                "no run");
    }

    private static final Growth QUADRATIC = new Growth("scale-1x", "scale-8x", 2_549, 20_387, 8_080, Duration.ofMillis(90),
            Duration.ofMillis(350), Duration.ofMillis(10_500), null,
            new Growth.Phase("KMS55.CERTIFICATES", 1_010, 8_080, 200_000_000, 9_800_000_000L));

    @Test
    void theScalingProofIsInTheJsonAndOnThePageWithItsChart() throws Exception {
        JsonNode proof = new ObjectMapper().readTree(reports.resolve("kms-regression.json").toFile()).get("scalingProof");
        assertFalse(proof.get("passed").asBoolean());
        assertEquals(QUADRATIC.line(), proof.get("line").asText());
        assertEquals(QUADRATIC.exponent(), proof.get("exponent").asDouble(), 1e-9);
        assertEquals(10.5, proof.get("largeCpuSeconds").asDouble(), 1e-9);
        assertEquals("KMS55.CERTIFICATES", proof.get("fastestPhase").get("table").asText());
        assertEquals(QUADRATIC.fastest().exponent(), proof.get("fastestPhase").get("exponent").asDouble(), 1e-9);

        Element gateSection = byId(parse(index), "gate");
        List<String> verdicts = VerificationReportsTest.children(gateSection, "p").stream()
                .filter(p -> p.getAttribute("class").startsWith("verdict")).map(Element::getTextContent).toList();
        assertTrue(verdicts.contains(QUADRATIC.line()), verdicts::toString);
        List<String> points = VerificationReportsTest.children(gateSection, "circle").stream().map(Element::getTextContent).toList();
        assertEquals(List.of("empty database: 90 ms", "case scale-1x: 2,549 rows, 350 ms", "case scale-8x: 20,387 rows, 10,500 ms"), points);
        long linear = Math.round(90 + 260 * (20_387 / 2_549.0));
        List<String> lines = VerificationReportsTest.children(gateSection, "path").stream().filter(p -> p.getAttribute("class").equals("linear"))
                .map(Element::getTextContent).toList();
        assertEquals(List.of(String.format(Locale.ROOT, "linear: %,d ms at 20,387 rows", linear)), lines);
        assertEquals(1, VerificationReportsTest.children(gateSection, "path").stream()
                .filter(p -> p.getAttribute("class").equals("measured fail")).count(), "the measured work is drawn as failing");
    }

    private static Element byId(Document document, String id) {
        for (Element element : VerificationReportsTest.children(document.getDocumentElement(), "*")) {
            if (id.equals(element.getAttribute("id"))) {
                return element;
            }
        }
        throw new AssertionError("no element with id " + id);
    }

    private static Document parse(Path page) throws Exception {
        HtmlDocumentBuilder builder = new HtmlDocumentBuilder(XmlViolationPolicy.ALTER_INFOSET);
        return builder.parse(new InputSource(new StringReader(Files.readString(page, StandardCharsets.UTF_8))));
    }

    private static long number(Element cell) {
        return Long.parseLong(cell.getTextContent().replace(",", "").trim());
    }

    /** The cells of a row, its header cell first. */
    private static List<Element> cells(Element row) {
        List<Element> cells = new ArrayList<>();
        for (Element cell : VerificationReportsTest.children(row, "*")) {
            if (cell.getParentNode() == row && (cell.getTagName().equals("td") || cell.getTagName().equals("th"))) {
                cells.add(cell);
            }
        }
        return cells;
    }

    @Test
    void everyPageIsValidHtml5ByTheNuHtmlChecker() throws Exception {
        EmbeddedValidator validator = new EmbeddedValidator();
        validator.setOutputFormat(EmbeddedValidator.OutputFormat.JSON);
        Path empty = HtmlReport.writeReportPage(dir.resolve("empty/kms-report.html"), "KMS Gate report", List.of(), "No run <yet>.");
        List<Path> pages = List.of(index, reports.resolve("kms-regression.html"), reports.resolve("kms-verify-" + verified + ".html"),
                standalone, empty);
        for (Path page : pages) {
            assertTrue(Files.isRegularFile(page), page.toString());
            JsonNode result = new ObjectMapper().readTree(validator.validate(page));
            assertEquals(0, result.get("messages").size(), () -> page.getFileName() + ": " + result.get("messages").toPrettyString());
        }
        // the check can fail: the same validator refuses a page with a stray end tag
        JsonNode broken = new ObjectMapper().readTree(validator.validate(new java.io.ByteArrayInputStream(
                HtmlReport.page("broken", "<p>one</div>").getBytes(StandardCharsets.UTF_8))));
        assertEquals("error", broken.get("messages").get(0).get("type").asText());
    }

    @Test
    void theStandalonePageHoldsEveryRunsFragmentOrSaysThereIsNone() throws Exception {
        String page = Files.readString(standalone, StandardCharsets.UTF_8);
        List<String> fragments = HtmlReport.fragments(reports);
        assertEquals(2, fragments.size());
        for (String fragment : fragments) {
            assertTrue(page.contains(fragment));
        }
        assertTrue(page.contains("<h1>KMS Gate report</h1>"));
        assertFalse(page.contains("<p>no run</p>"));
        String empty = Files.readString(HtmlReport.writeReportPage(dir.resolve("none/kms-report.html"), "KMS Gate report", List.of(),
                "No run <yet>."), StandardCharsets.UTF_8);
        assertTrue(empty.contains("<p>No run &lt;yet&gt;.</p>"), empty);
    }

    @Test
    void theCasesTableHasTheJsonsNumbers() throws Exception {
        JsonNode json = new ObjectMapper().readTree(reports.resolve("kms-regression.json").toFile());
        Document page = parse(index);
        List<Element> rows = VerificationReportsTest.children((Element) byId(page, "cases").getElementsByTagName("tbody").item(0), "tr");
        JsonNode cases = json.get("cases");
        assertEquals(cases.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<Element> cells = cells(rows.get(i));
            JsonNode c = cases.get(i);
            assertEquals(c.get("case").asText(), cells.get(0).getTextContent());
            assertEquals(c.get("users").asLong(), number(cells.get(1)));
            assertEquals(c.get("certificates").asLong(), number(cells.get(2)));
            assertEquals(c.get("revocations").asLong(), number(cells.get(3)));
            assertEquals(c.get("transactions").asLong(), number(cells.get(4)));
            assertEquals(c.get("largestTransaction").asLong(), number(cells.get(5)));
            if (c.get("rowsPerSecond").isNull()) {
                assertEquals("-", cells.get(6).getTextContent(), "a failed case has no rate");
            } else {
                assertEquals(c.get("rowsPerSecond").asLong(), number(cells.get(6)));
            }
            assertEquals(c.get("passed").asBoolean() ? "PASS" : "FAIL", cells.get(7).getTextContent());

            Element detail = byId(page, "case-" + c.get("case").asText());
            String summary = VerificationReportsTest.children(detail, "p").stream().filter(p -> p.getAttribute("class").equals("summary"))
                    .findFirst().orElseThrow().getTextContent();
            assertTrue(summary.startsWith(String.format(java.util.Locale.ROOT, "%,d transactions committed %,d row changes; the largest attempted %,d (capacity %,d)",
                    c.get("transactions").asLong(), c.get("committedRowChanges").asLong(), c.get("largestTransaction").asLong(),
                    json.get("transactionCapacity").asLong())), summary);
            assertEquals(c.get("refusedTransactions").size(), VerificationReportsTest.children(detail, "rect").stream()
                    .filter(r -> r.getAttribute("class").equals("refused")).count());
            List<Element> invariantRows = VerificationReportsTest.children((Element) detail.getElementsByTagName("tbody").item(0), "tr");
            JsonNode invariants = c.get("invariants");
            assertEquals(invariants.size(), invariantRows.size());
            for (int j = 0; j < invariants.size(); j++) {
                List<Element> invariantCells = cells(invariantRows.get(j));
                assertTrue(invariantCells.get(0).getTextContent().startsWith("invariant " + invariants.get(j).get("number").asInt() + " ("));
                assertEquals(invariants.get(j).get("expected").asLong(), number(invariantCells.get(1)));
                assertEquals(invariants.get(j).get("actual").asLong(), number(invariantCells.get(2)));
                assertEquals(invariants.get(j).get("status").asText(), invariantCells.get(3).getTextContent());
            }
        }
        String facts = ((Element) byId(page, "gate").getElementsByTagName("dl").item(0)).getTextContent();
        assertTrue(facts.contains("transaction capacity" + json.get("transactionCapacity").asInt() + " row changes"), facts);
        assertTrue(facts.contains("strategy" + json.get("strategy").asText()), facts);
        assertTrue(facts.contains("converter under test" + json.get("converter").asText()), facts);
        assertEquals(ConverterUnderTest.BUILT_IN, json.get("converter").asText());
        assertEquals(0, json.get("resumeTrials").size());
        assertFalse(byId(page, "gate").getTextContent().contains("Resume trials"), "no section for trials that did not run");
        assertTrue(byId(page, "gate").getTextContent().contains("was refused at " + json.get("selfProof").get("refusedAt").asLong() + " row changes"));
    }

    @Test
    void theVerifiedTargetsPageHasTheJsonsNumbers() throws Exception {
        JsonNode json = new ObjectMapper().readTree(reports.resolve("kms-verify-" + verified + ".json").toFile());
        Document page = parse(reports.resolve("kms-verify-" + verified + ".html"));
        List<Element> rows = VerificationReportsTest.children((Element) page.getElementsByTagName("tbody").item(0), "tr");
        JsonNode invariants = json.get("invariants");
        assertEquals(7, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            List<Element> cells = cells(rows.get(i));
            JsonNode invariant = invariants.get(i);
            assertEquals(invariant.get("expected").asLong(), number(cells.get(1)));
            assertEquals(invariant.get("actual").asLong(), number(cells.get(2)));
            assertEquals(invariant.get("status").asText(), cells.get(3).getTextContent());
            assertTrue(cells.get(4).getTextContent().startsWith(invariant.get("detail").asText()));
            for (JsonNode difference : invariant.get("firstDifferences")) {
                assertTrue(cells.get(4).getTextContent().contains(difference.asText()), difference.asText());
            }
        }
        assertEquals("Verification of " + verified + ": " + (json.get("passed").asBoolean() ? "PASSED" : "FAILED"),
                page.getElementsByTagName("h2").item(0).getTextContent());
    }

    @Test
    void aFailingCaseShowsWhyAndItsRefusedTransactionAgainstTheCapacity() throws Exception {
        Document page = parse(index);
        Element failing = byId(page, "case-C+1");
        assertEquals("case fail", failing.getAttribute("class"));
        String problems = VerificationReportsTest.children(failing, "ul").get(0).getTextContent();
        assertTrue(problems.startsWith("conversion aborted: Conversion aborted under the transaction capacity: one transaction reached 6 row changes,"
                + " but the target accepts at most 5"), problems);
        List<Element> refused = VerificationReportsTest.children(failing, "rect").stream().filter(r -> r.getAttribute("class").equals("refused")).toList();
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).getTextContent().endsWith(": 6 row changes, beyond the capacity of 5"), refused.get(0).getTextContent());
        CaseResult result = gate.cases().stream().filter(r -> r.gateCase().name().equals("C+1")).findFirst().orElseThrow();
        List<Element> committed = VerificationReportsTest.children(failing, "rect").stream().filter(r -> r.getAttribute("class").equals("committed")).toList();
        assertEquals(result.history().sizes().length, committed.size(), "a bar per committed transaction");
        for (int i = 0; i < committed.size(); i++) {
            assertEquals("transaction " + (i + 1) + ": " + result.history().sizes()[i] + " row changes", committed.get(i).getTextContent());
        }
        assertEquals(1, VerificationReportsTest.children(failing, "line").stream().filter(l -> l.getAttribute("class").equals("capacity")).count());
        // the index names each failing case with its reason near the top
        String why = VerificationReportsTest.children(byId(page, "gate"), "ul").get(0).getTextContent();
        for (CaseResult failure : gate.failures()) {
            assertTrue(why.contains("case " + failure.gateCase().name() + ": " + failure.problems().get(0)), why);
        }
        assertEquals(List.of("C+1", "2C+1", "3C", "dirty"), gate.failures().stream().map(r -> r.gateCase().name()).toList());
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        String html = Files.readString(index);
        for (String forbidden : new String[] {"<script", " src=", "href=\"http", "url(", "@import", "<link"}) {
            assertFalse(html.contains(forbidden), forbidden);
        }
        assertTrue(html.contains("<style>") && html.contains("<svg "));
    }

    @Test
    void aRunWithTooManyTransactionsToDrawIsDrawnAsAHistogramOfSizes() {
        long[] bySize = new long[64];
        bySize[62] = 49_000;
        bySize[10] = 1_000;
        TransactionHistory many = new TransactionHistory(new int[20_000], new long[20_000], 50_000, 49_000L * 1000,
                new TransactionHistory.Histogram(16, bySize), new TransactionHistory.Histogram(1L << 30, new long[64]),
                List.of(new TransactionHistory.Refusal(1_001, 50_000, 1L << 35)));

        String svg = SvgCharts.transactions(many, 1000, "t");

        assertTrue(svg.contains("<title id=\"t\">Histogram of the 50,000 committed transactions by row changes, against the capacity of 1,000</title>"), svg);
        assertTrue(svg.contains("<title>49,000 transactions of 992 to 1,007 row changes</title>"), svg);
        assertTrue(svg.contains("<title>1,000 transactions of 160 to 175 row changes</title>"), svg);
        assertTrue(svg.contains("<title>refused transaction: 1,001 row changes</title>"), svg);
        assertTrue(svg.length() < 10_000, "bounded however many transactions: " + svg.length());
    }

    @Test
    void theRateChartAccountsForEveryCommittedRowChange() {
        for (CaseResult result : gate.cases()) {
            String svg = SvgCharts.rate(result.history(), "r");
            long drawn = 0;
            java.util.regex.Matcher bar = java.util.regex.Pattern.compile("s: ([\\d,]+) row changes \\(").matcher(svg);
            while (bar.find()) {
                drawn += Long.parseLong(bar.group(1).replace(",", ""));
            }
            assertEquals(result.history().rowChanges(), drawn, result.gateCase().name());
        }
    }

    @Test
    void aRunTooLongForABarEachDrawsEachPixelColumnsLargestTransactionInOnePath() {
        int[] sizes = new int[5_000];
        long[] times = new long[5_000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = i == 4_321 ? 7 : 1_000;
            times[i] = i * 1_000_000L;
        }
        TransactionHistory history = new TransactionHistory(sizes, times, sizes.length, 4_999L * 1000 + 7,
                new TransactionHistory.Histogram(16, new long[64]), new TransactionHistory.Histogram(1L << 23, new long[64]),
                List.of(new TransactionHistory.Refusal(1_001, 5_000, 5_000_000_000L)));

        String svg = SvgCharts.transactions(history, 1000, "t");

        assertEquals(1, svg.split("<path ", -1).length - 1, "one path for all columns");
        int columns = svg.split("M", -1).length - 1;
        assertTrue(columns > 600 && columns <= 632, "one segment per pixel column: " + columns);
        assertEquals(1, svg.split("<rect class=\"refused\"", -1).length - 1);
        assertTrue(svg.contains("<title>refused transaction after 5,000 commits: 1,001 row changes, beyond the capacity of 1,000</title>"), svg);
        assertTrue(svg.length() < 40_000, "bounded by the chart's width, not the run: " + svg.length());
    }
}
