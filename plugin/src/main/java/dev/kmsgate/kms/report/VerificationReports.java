package dev.kmsgate.kms.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns verification reports into files under {@code target/kms-reports}: a JUnit test suite per
 * database (one test case per invariant) and a JSON summary. Neither ever holds a secret: reports
 * carry counts, serials and user ids, never key bytes or passwords.
 *
 * <p>Public for maven, whose verify goal writes its reports with it; not an API.
 */
public final class VerificationReports {

    private static final JsonFactory JSON = new JsonFactory();
    /** The field of a JSON summary that holds the run's whole result record. */
    static final String RECORD = "record";

    private VerificationReports() {
    }

    /** The test suite of one verification, named {@code <prefix>.<report name>}. */
    public static TestSuite suite(String prefix, VerificationReport report) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("source", report.source());
        properties.put("target", report.target());
        properties.put("rowsCompared", Long.toString(report.rowsCompared()));
        List<TestSuite.Case> cases = new ArrayList<>();
        for (InvariantResult result : report.results()) {
            TestSuite.Outcome outcome = switch (result.status()) {
                case PASSED -> TestSuite.Outcome.PASSED;
                case FAILED -> TestSuite.Outcome.FAILED;
                case SKIPPED -> TestSuite.Outcome.SKIPPED;
            };
            String name = result.invariant().number() + " " + result.invariant().title() + ": " + result.invariant().statement();
            cases.add(new TestSuite.Case(name, outcome, result.detail(), result.describe(), result.elapsed().toNanos() / 1e9));
        }
        return new TestSuite(prefix + "." + report.name(), properties, cases, report.elapsed().toNanos() / 1e9);
    }

    /**
     * Writes the JUnit XML and the JSON summary of one verification, replacing those an earlier
     * verification of the same target wrote, and returns the JSON file. They are named after the
     * target's last path element, made unique when another target's report holds that name
     * ({@link ReportFiles}).
     */
    public static Path write(Path directory, VerificationReport report) {
        String name = ReportFiles.claimVerifyName(directory, report.name(), report.target());
        TestSuite suite = suite("kms.verify", report);
        JUnitXml.write(directory, new TestSuite("kms.verify." + name, suite.properties(), suite.cases(), suite.seconds()));
        Path json = directory.resolve("kms-verify-" + name + ".json");
        try {
            Files.createDirectories(directory);
            try (JsonGenerator out = JSON.createGenerator(Files.newBufferedWriter(json))) {
                out.useDefaultPrettyPrinter();
                out.writeStartObject();
                out.writeStringField("goal", "verify");
                writeReport(out, report);
                // the whole result, which the index and the site page are rendered from
                out.writeFieldName(RECORD);
                out.writeRawValue(RecordJson.write(report));
                out.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + json, e);
        }
        return json;
    }

    /** Writes the fields of one report into an open JSON object. */
    public static void writeReport(JsonGenerator out, VerificationReport report) throws IOException {
        out.writeStringField("source", report.source());
        out.writeStringField("target", report.target());
        out.writeBooleanField("passed", report.passed());
        out.writeNumberField("rowsCompared", report.rowsCompared());
        out.writeNumberField("seconds", report.elapsed().toMillis() / 1000.0);
        out.writeArrayFieldStart("undeclaredConstraints");
        for (String constraint : report.undeclaredConstraints()) {
            out.writeString(constraint);
        }
        out.writeEndArray();
        writeInvariants(out, report.results());
    }

    /**
     * The {@code invariants} array of a verification, in the one shape that the verify goal's
     * summary and each case of the gate's share: number, name, status, expected, actual, detail,
     * differences and the first of them.
     */
    static void writeInvariants(JsonGenerator out, List<InvariantResult> results) throws IOException {
        out.writeArrayFieldStart("invariants");
        for (InvariantResult result : results) {
            out.writeStartObject();
            out.writeNumberField("number", result.invariant().number());
            out.writeStringField("name", result.invariant().title());
            out.writeStringField("status", result.status().name());
            out.writeNumberField("expected", result.expected());
            out.writeNumberField("actual", result.actual());
            out.writeStringField("detail", result.detail());
            out.writeNumberField("differences", result.totalDifferences());
            out.writeArrayFieldStart("firstDifferences");
            for (String difference : result.differences()) {
                out.writeString(difference);
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        out.writeEndArray();
    }
}
