package dev.kmsgate.kms.fork;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.convert.ConverterClassLoader;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.gate.ConverterUnderTest;
import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.RegressionGate;
import dev.kmsgate.kms.gate.Shard;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.report.GateReports;
import dev.kmsgate.kms.report.HtmlReport;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code kms:regression} as plain values: what the goal hands the gate, whether the gate
 * runs in Maven's JVM or in one it forks ({@link GateFork}). It travels to a forked JVM as one line
 * of JSON, and holds no secret: the gate's sources and targets take no credentials.
 *
 * @param extraCases the user's {@code <case>}s, generated or of an existing source
 * @param progressSeconds seconds between progress lines
 * @param converterClass the user's converter, or null for KMS Gate's own with {@code strategy}
 * @param converterClasspath where the user's converter is loaded from (the project's test class path)
 * @param shard {@code K/N} as the user wrote it, or null for the whole gate
 * @param reportsDirectory where the JUnit XML, the JSON summary and the HTML report go
 * @param engineLog Derby's own log ({@code target/derby.log})
 */
public record GateJob(int transactionCapacity, String strategy, List<GateCase> extraCases, int threads, int largeMultiple,
                      long seed, int mismatchLimit, Path workDirectory, int progressSeconds, String converterClass,
                      List<Path> converterClasspath, int resumeTrials, String shard, Path reportsDirectory, Path engineLog) {

    public GateJob {
        extraCases = List.copyOf(extraCases);
        converterClasspath = List.copyOf(converterClasspath);
    }

    /**
     * Runs the gate, writes its reports and logs where the page is; a failing gate throws the
     * {@link dev.kmsgate.kms.KmsDefectException} of {@link GateReport#requirePassed()}, bad
     * configuration a {@link dev.kmsgate.kms.KmsUsageException}.
     */
    public void run(KmsLog log) {
        requireReportsDirectory();
        Databases.configureEngineLog(engineLog);
        ConverterUnderTest converter = null;
        if (converterClass != null) {
            // the loader lives as long as the gate: the converter runs in every case
            ForeignConverter foreign = ForeignConverter.load(converterClass, new ConverterClassLoader(converterClasspath));
            converter = ConverterUnderTest.of(foreign, log);
        }
        RegressionGate.Settings settings = new RegressionGate.Settings(transactionCapacity, Strategy.parse(strategy), extraCases,
                threads, largeMultiple, seed, mismatchLimit, workDirectory, Parameters.progressInterval(progressSeconds),
                converter, converter == null ? 0 : resumeTrials, Shard.parse(shard));
        GateReport report = new RegressionGate(log).run(settings);
        GateReports.write(reportsDirectory, report);
        log.info("Report: " + HtmlReport.writeGate(reportsDirectory, report).toAbsolutePath());
        report.requirePassed();
    }

    /** Refuses, before a gate of minutes runs, a reports directory its files could not be written to. */
    private void requireReportsDirectory() {
        try {
            Files.createDirectories(reportsDirectory);
        } catch (IOException e) {
            throw new KmsUsageException(Messages.format(Messages.REPORTS_DIRECTORY_UNUSABLE, reportsDirectory, e), e);
        }
        if (!Files.isWritable(reportsDirectory)) {
            throw new KmsUsageException(Messages.format(Messages.REPORTS_DIRECTORY_UNUSABLE, reportsDirectory, "it is not writable"));
        }
    }

    /** The job as one line of JSON. */
    String toJson() {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("transactionCapacity", transactionCapacity);
            json.writeStringField("strategy", strategy);
            json.writeArrayFieldStart("extraCases");
            for (GateCase gateCase : extraCases) {
                json.writeStartObject();
                json.writeStringField("name", gateCase.name());
                if (gateCase.source() != null) {
                    json.writeStringField("source", gateCase.source().address().url());
                } else {
                    Profile p = gateCase.profile();
                    json.writeNumberField("users", p.users());
                    json.writeNumberField("revoked", p.revoked());
                    json.writeNumberField("duplicateRevocations", p.duplicateRevocations());
                    json.writeNumberField("orphanRevocations", p.orphanRevocations());
                    json.writeNumberField("orphanCertificates", p.orphanCertificates());
                    json.writeNumberField("orphanKeys", p.orphanKeys());
                    json.writeNumberField("seed", p.seed());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeNumberField("threads", threads);
            json.writeNumberField("largeMultiple", largeMultiple);
            json.writeNumberField("seed", seed);
            json.writeNumberField("mismatchLimit", mismatchLimit);
            json.writeStringField("workDirectory", workDirectory.toString());
            json.writeNumberField("progressSeconds", progressSeconds);
            json.writeStringField("converterClass", converterClass);
            json.writeArrayFieldStart("converterClasspath");
            for (Path element : converterClasspath) {
                json.writeString(element.toString());
            }
            json.writeEndArray();
            json.writeNumberField("resumeTrials", resumeTrials);
            json.writeStringField("shard", shard);
            json.writeStringField("reportsDirectory", reportsDirectory.toString());
            json.writeStringField("engineLog", engineLog.toString());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The job {@link #toJson()} wrote. */
    static GateJob fromJson(String line) {
        try (JsonParser json = new JsonFactory().createParser(line)) {
            Fields fields = new Fields();
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                switch (name) {
                    case "extraCases" -> fields.cases = cases(json);
                    case "converterClasspath" -> fields.classpath = strings(json).stream().map(Path::of).toList();
                    default -> fields.put(name, value == JsonToken.VALUE_NULL ? null : json.getText());
                }
            }
            return fields.job();
        } catch (IOException e) {
            throw new UncheckedIOException("The gate's job is not the JSON the goal writes", e);
        }
    }

    private static List<GateCase> cases(JsonParser json) throws IOException {
        expect(json.currentToken(), JsonToken.START_ARRAY);
        List<GateCase> cases = new ArrayList<>();
        while (json.nextToken() == JsonToken.START_OBJECT) {
            Fields fields = new Fields();
            flatFields(json).forEach(fields::put);
            String caseName = fields.text("name");
            cases.add(fields.has("source")
                    ? GateCase.ofSource(caseName, Database.of(DatabaseAddress.parse("source", fields.text("source"), Path.of(""))))
                    : new GateCase(caseName, new Profile(fields.integer("users"), fields.integer("revoked"),
                            fields.integer("duplicateRevocations"), fields.integer("orphanRevocations"),
                            fields.integer("orphanCertificates"), fields.integer("orphanKeys"), fields.number("seed"))));
        }
        return cases;
    }

    /** A flat object of text fields (a null value as JSON null), on one line: what {@link #flatFields} reads back. */
    static String flatObject(Map<String, String> fields) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.writeStartObject();
            for (Map.Entry<String, String> field : fields.entrySet()) {
                json.writeStringField(field.getKey(), field.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * The fields of the object the parser has just entered, each as text (null for JSON null), up
     * to its end: the shape of a case, of the child's events and of its system properties.
     */
    static Map<String, String> flatFields(JsonParser json) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            fields.put(name, json.nextToken() == JsonToken.VALUE_NULL ? null : json.getText());
        }
        return fields;
    }

    private static List<String> strings(JsonParser json) throws IOException {
        expect(json.currentToken(), JsonToken.START_ARRAY);
        List<String> values = new ArrayList<>();
        while (json.nextToken() == JsonToken.VALUE_STRING) {
            values.add(json.getText());
        }
        return values;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    /** Scalar fields by name, as text, until the job is built. */
    private static final class Fields {
        private final Map<String, String> values = new HashMap<>();
        private List<GateCase> cases = List.of();
        private List<Path> classpath = List.of();

        void put(String name, String value) {
            values.put(name, value);
        }

        boolean has(String name) {
            return values.get(name) != null;
        }

        String text(String name) {
            return values.get(name);
        }

        int integer(String name) {
            return Integer.parseInt(values.get(name));
        }

        long number(String name) {
            return Long.parseLong(values.get(name));
        }

        Path path(String name) {
            return Path.of(values.get(name));
        }

        GateJob job() {
            return new GateJob(integer("transactionCapacity"), text("strategy"), cases, integer("threads"),
                    integer("largeMultiple"), number("seed"), integer("mismatchLimit"), path("workDirectory"),
                    integer("progressSeconds"), text("converterClass"), classpath, integer("resumeTrials"), text("shard"),
                    path("reportsDirectory"), path("engineLog"));
        }
    }
}
