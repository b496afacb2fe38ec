package dev.kmsgate.kms.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsgate.kms.verify.Invariant;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kmsgate.kms.verify.InvariantResult.Status.FAILED;
import static dev.kmsgate.kms.verify.InvariantResult.Status.PASSED;
import static dev.kmsgate.kms.verify.InvariantResult.Status.SKIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JUnit XML and JSON files of a verification, parsed back as a CI server or script would. */
class VerificationReportsTest {

    @TempDir
    Path dir;

    /** Invariants 3 and 6 fail (a key went missing), the others hold. */
    private static VerificationReport keyMissing() {
        List<InvariantResult> results = new ArrayList<>();
        for (Invariant invariant : Invariant.values()) {
            results.add(switch (invariant) {
                case KEY_COUNT -> new InvariantResult(invariant, FAILED, 48, 47, "source has 48 keys, target has 47",
                        List.of("serial 1f00000002: in KM_KEY, missing from KEY_ARCHIVE and QUARANTINED_KEY"), 1);
                case ROW_EQUALITY -> new InvariantResult(invariant, FAILED, 177, 174, "174 of 177 source rows have an equal target row; 3 differences",
                        List.of("serial 1f00000002: key missing from the target", "user 7: DISPLAY_NAME differs"), 3);
                default -> new InvariantResult(invariant, PASSED, 10L * invariant.number(), 10L * invariant.number(),
                        "holds", List.of(), 0);
            });
        }
        return new VerificationReport("kms55", "/builds/kms50", "/builds/kms55", results, 354, Duration.ofMillis(1250));
    }

    /** A foreign target: invariant 7 fails, the data invariants are skipped. */
    private static VerificationReport foreignTarget() {
        List<InvariantResult> results = new ArrayList<>();
        for (Invariant invariant : Invariant.values()) {
            results.add(invariant == Invariant.CONVERSION_RECORD
                    ? new InvariantResult(invariant, FAILED, 1, 0, "the target holds a conversion of another source", List.of(), 1)
                    : new InvariantResult(invariant, SKIPPED, 0, 0, "not checked: the target holds a conversion of another source", List.of(), 0));
        }
        return new VerificationReport("other", "/builds/kms50", "/builds/other", results, 0, Duration.ofMillis(40));
    }

    private static Element parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(xml.toFile());
        return document.getDocumentElement();
    }

    /** The descendants of {@code parent} with tag {@code name}, in document order. */
    static List<Element> children(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    @Test
    void junitXmlHasOneTestCasePerInvariantAndCountsFailures() throws Exception {
        VerificationReport report = keyMissing();
        VerificationReports.write(dir, report);

        Element suite = parse(dir.resolve("TEST-kms.verify.kms55.xml"));

        assertEquals("testsuite", suite.getTagName());
        assertEquals("kms.verify.kms55", suite.getAttribute("name"));
        assertEquals("7", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        assertEquals("0", suite.getAttribute("skipped"));
        assertEquals("1.250", suite.getAttribute("time"));

        List<Element> cases = children(suite, "testcase");
        assertEquals(7, cases.size());
        for (int i = 0; i < 7; i++) {
            Invariant invariant = Invariant.values()[i];
            Element testCase = cases.get(i);
            assertEquals(invariant.number() + " " + invariant.title() + ": " + invariant.statement(), testCase.getAttribute("name"));
            assertEquals("kms.verify.kms55", testCase.getAttribute("classname"));
            List<Element> failures = children(testCase, "failure");
            InvariantResult result = report.result(invariant);
            if (result.failed()) {
                assertEquals(1, failures.size(), invariant.label());
                assertEquals(result.detail(), failures.get(0).getAttribute("message"));
                assertEquals(invariant.number() + " " + invariant.title(), failures.get(0).getAttribute("type"));
                assertEquals(result.describe(), failures.get(0).getTextContent());
            } else {
                assertEquals(0, failures.size(), invariant.label());
                assertEquals(0, children(testCase, "skipped").size(), invariant.label());
            }
        }
        assertEquals("invariant 6 (row equality): 174 of 177 source rows have an equal target row; 3 differences; first differences: "
                        + "serial 1f00000002: key missing from the target; user 7: DISPLAY_NAME differs; ... 1 more",
                children(cases.get(5), "failure").get(0).getTextContent());

        Map<String, String> properties = new LinkedHashMap<>();
        for (Element property : children(suite, "property")) {
            properties.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        assertEquals(Map.of("source", "/builds/kms50", "target", "/builds/kms55", "rowsCompared", "354"), properties);
    }

    @Test
    void junitXmlReportsSkippedInvariantsAsSkipped() throws Exception {
        VerificationReports.write(dir, foreignTarget());

        Element suite = parse(dir.resolve("TEST-kms.verify.other.xml"));

        assertEquals("7", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("6", suite.getAttribute("skipped"));
        List<Element> skipped = children(suite, "skipped");
        assertEquals(6, skipped.size());
        for (Element element : skipped) {
            assertEquals("not checked: the target holds a conversion of another source", element.getAttribute("message"));
        }
        List<Element> cases = children(suite, "testcase");
        assertEquals(1, children(cases.get(6), "failure").size());
    }

    @Test
    void junitXmlEscapesWhatMessagesContain() throws Exception {
        String awkward = "<target> & \"quoted\" 'single' ]]> café";
        TestSuite suite = new TestSuite("kms.verify.awkward", Map.of("target", awkward),
                List.of(new TestSuite.Case("1 users", TestSuite.Outcome.FAILED, awkward, awkward + "\nsecond line", 0.5),
                        new TestSuite.Case("2 certificates", TestSuite.Outcome.SKIPPED, awkward, null, 0),
                        new TestSuite.Case("3 keys", TestSuite.Outcome.PASSED, null, null, 0.25)), 0.75);

        Path file = JUnitXml.write(dir.resolve("nested/reports"), suite);

        assertEquals(dir.resolve("nested/reports/TEST-kms.verify.awkward.xml"), file);
        Element root = parse(file);
        assertEquals("3", root.getAttribute("tests"));
        assertEquals("1", root.getAttribute("failures"));
        assertEquals("1", root.getAttribute("skipped"));
        assertEquals("0.750", root.getAttribute("time"));
        Element failure = children(root, "failure").get(0);
        assertEquals(awkward, failure.getAttribute("message"));
        assertEquals(awkward + "\nsecond line", failure.getTextContent());
        assertEquals(awkward, children(root, "skipped").get(0).getAttribute("message"));
        assertEquals(awkward, children(root, "property").get(0).getAttribute("value"));
        assertEquals("0.250", children(root, "testcase").get(2).getAttribute("time"));
    }

    @Test
    void jsonSummaryListsEveryInvariantWithStatusAndNumbers() throws Exception {
        VerificationReport report = keyMissing();

        Path json = VerificationReports.write(dir, report);

        assertEquals(dir.resolve("kms-verify-kms55.json"), json);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals("verify", root.get("goal").asText());
        assertEquals("/builds/kms50", root.get("source").asText());
        assertEquals("/builds/kms55", root.get("target").asText());
        assertTrue(root.get("passed").isBoolean());
        assertFalse(root.get("passed").asBoolean());
        assertEquals(354, root.get("rowsCompared").asLong());
        assertEquals(1.25, root.get("seconds").asDouble());

        JsonNode invariants = root.get("invariants");
        assertEquals(7, invariants.size());
        for (int i = 0; i < 7; i++) {
            InvariantResult result = report.results().get(i);
            JsonNode node = invariants.get(i);
            assertEquals(i + 1, node.get("number").asInt());
            assertEquals(result.invariant().title(), node.get("name").asText());
            assertEquals(result.status().name(), node.get("status").asText());
            assertEquals(result.expected(), node.get("expected").asLong());
            assertEquals(result.actual(), node.get("actual").asLong());
            assertEquals(result.detail(), node.get("detail").asText());
            assertEquals(result.totalDifferences(), node.get("differences").asLong());
            List<String> first = new ArrayList<>();
            node.get("firstDifferences").forEach(d -> first.add(d.asText()));
            assertEquals(result.differences(), first);
        }
        assertEquals("FAILED", invariants.get(2).get("status").asText());
        assertEquals(48, invariants.get(2).get("expected").asLong());
        assertEquals(47, invariants.get(2).get("actual").asLong());
        assertEquals("PASSED", invariants.get(0).get("status").asText());
    }

    @Test
    void jsonSummaryOfAPassingVerificationSaysSo() throws Exception {
        List<InvariantResult> results = new ArrayList<>();
        for (Invariant invariant : Invariant.values()) {
            results.add(new InvariantResult(invariant, PASSED, 5, 5, "holds", List.of(), 0));
        }
        Path json = VerificationReports.write(dir, new VerificationReport("good", "s", "t", results, 10, Duration.ofMillis(5)));

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertTrue(root.get("passed").asBoolean());
        assertEquals(7, root.get("invariants").size());
        root.get("invariants").forEach(node -> assertEquals("PASSED", node.get("status").asText()));
        assertTrue(Files.exists(dir.resolve("TEST-kms.verify.good.xml")));
        assertEquals("0", parse(dir.resolve("TEST-kms.verify.good.xml")).getAttribute("failures"));
    }
}
