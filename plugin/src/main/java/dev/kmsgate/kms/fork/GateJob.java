package dev.kmsgate.kms.fork;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.gate.ConverterUnderTest;
import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.RegressionGate;
import dev.kmsgate.kms.gate.Shard;
import dev.kmsgate.kms.report.GateReports;
import dev.kmsgate.kms.report.HtmlReport;
import dev.kmsgate.kms.report.RecordJson;
import dev.kmsgate.kms.store.FileClaim;
import dev.kmsgate.kms.store.Databases;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * One run of {@code kms:regression} as plain values: what the goal hands the gate, whether the gate
 * runs in Maven's JVM or in one it forks ({@link GateFork}). It travels to a forked JVM as one line
 * of JSON, and holds no secret: the gate's sources and targets take no credentials.
 *
 * <p>Public for maven, which builds the job from the goal's parameters, and cache, which keys and
 * runs it; not an API.
 *
 * @param extraCases the user's {@code <case>}s, generated or of an existing source
 * @param progressSeconds seconds between progress lines
 * @param converterClass the user's converter, or null for KMS Gate's own with {@code strategy}
 * @param converterClasspath where the user's converter is loaded from (the project's test class path)
 * @param shard {@code K/N} as the user wrote it, or null for the whole gate
 * @param reportsDirectory where the JUnit XML, the JSON summary and the HTML report go
 * @param engineLog Derby's own log ({@code target/derby.log})
 * @param sourcesDirectory where generated sources are kept and shared (null: under {@code workDirectory})
 * @param recordFile where the gate's result record goes for the goal to store, or null
 * @param scalingProof whether the gate runs its scaling proof
 */
public record GateJob(int transactionCapacity, String strategy, List<GateCase> extraCases, int threads, int largeMultiple,
                      long seed, int mismatchLimit, Path workDirectory, int progressSeconds, String converterClass,
                      List<Path> converterClasspath, int resumeTrials, String shard, Path reportsDirectory, Path engineLog,
                      Path sourcesDirectory, Path recordFile, boolean scalingProof) {

    public GateJob {
        extraCases = List.copyOf(extraCases);
        converterClasspath = List.copyOf(converterClasspath);
    }

    /** A job whose sources live under its work directory and whose record is not kept, without the scaling proof. */
    public GateJob(int transactionCapacity, String strategy, List<GateCase> extraCases, int threads, int largeMultiple,
                   long seed, int mismatchLimit, Path workDirectory, int progressSeconds, String converterClass,
                   List<Path> converterClasspath, int resumeTrials, String shard, Path reportsDirectory, Path engineLog) {
        this(transactionCapacity, strategy, extraCases, threads, largeMultiple, seed, mismatchLimit, workDirectory, progressSeconds,
                converterClass, converterClasspath, resumeTrials, shard, reportsDirectory, engineLog, null, null, false);
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
            converter = ConverterUnderTest.of(ForeignConverter.load(converterClass, converterClasspath), log);
        }
        RegressionGate.Settings settings = new RegressionGate.Settings(transactionCapacity, Strategy.parse(strategy), extraCases,
                threads, largeMultiple, seed, mismatchLimit, workDirectory, Parameters.progressInterval(progressSeconds),
                converter, converter == null ? 0 : resumeTrials, Shard.parse(shard), sourcesDirectory, scalingProof);
        GateReport report = new RegressionGate(log).run(settings);
        if (recordFile != null) {
            RecordJson.writeFile(recordFile, report);
        }
        writeReports(reportsDirectory, report, log);
        report.requirePassed();
    }

    /**
     * Writes every report of a verdict, a run's own or a reused one, and logs where the page is. The
     * directory is claimed meanwhile, so two builds that finish at once never interleave their files:
     * the last one to finish leaves a consistent set.
     */
    public static void writeReports(Path reportsDirectory, GateReport report, KmsLog log) {
        Path index;
        try (FileClaim claim = FileClaim.exclusive(reportsDirectory.resolve(REPORTS_LOCK))) {
            GateReports.clear(reportsDirectory, report);
            // the JUnit XML and the summary on a second thread while the pages render: both only read the record
            CompletableFuture<Path> files = CompletableFuture.supplyAsync(() -> GateReports.writeFiles(reportsDirectory, report), REPORT_WRITER);
            index = HtmlReport.writeGate(reportsDirectory, report);
            try {
                files.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        log.info("Report: " + index.toAbsolutePath());
    }

    /** Runs each write on a daemon thread of its own, so that no thread outlives the goal's need of it. */
    private static final Executor REPORT_WRITER = task -> {
        Thread thread = new Thread(task, "kms-gate-report-files");
        thread.setDaemon(true);
        thread.start();
    };

    /** The lock file of a reports directory: hidden, and no report pattern of CI ({@code TEST-*.xml}) matches it. */
    static final String REPORTS_LOCK = ".kms-reports.lock";

    /** Refuses, before a gate of minutes runs, a reports directory its files could not be written to. */
    public void requireReportsDirectory() {
        try {
            Files.createDirectories(reportsDirectory);
        } catch (IOException e) {
            throw new KmsUsageException(Messages.format(Messages.REPORTS_DIRECTORY_UNUSABLE, reportsDirectory, e), e);
        }
        if (!Files.isWritable(reportsDirectory)) {
            throw new KmsUsageException(Messages.format(Messages.REPORTS_DIRECTORY_UNUSABLE, reportsDirectory, "it is not writable"));
        }
    }

    /**
     * Components that cannot change the verdict: where files go, how often progress is logged, and the
     * converter's class path, which the verdict's key takes by the content of its entries instead.
     */
    private static final Set<String> NOT_VERDICT = Set.of("workDirectory", "reportsDirectory", "engineLog", "sourcesDirectory",
            "recordFile", "converterClasspath", "progressSeconds");

    /**
     * Every other component, by name, in its canonical JSON form: what the verdict's key holds of the
     * job. A component added to the job is in the key unless it is named above.
     */
    public SortedMap<String, String> verdictParameters() {
        SortedMap<String, String> parameters = RecordJson.fields(this);
        parameters.keySet().removeAll(NOT_VERDICT);
        return parameters;
    }

    /** The job as one line of JSON. */
    String toJson() {
        return RecordJson.write(this);
    }

    /** The job {@link #toJson()} wrote; anything else is a fault of KMS Gate's own, which comes back with its stack trace. */
    static GateJob fromJson(String line) {
        try {
            return RecordJson.read(line, GateJob.class);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("The gate's job is not the JSON the goal writes: "
                    + e.getCause().getMessage().lines().findFirst().orElse(""), e);
        }
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
}
