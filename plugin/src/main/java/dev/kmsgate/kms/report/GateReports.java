package dev.kmsgate.kms.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kmsgate.kms.FileNames;
import dev.kmsgate.kms.gate.CaseResult;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.Growth;
import dev.kmsgate.kms.gate.ResumeTrial;
import dev.kmsgate.kms.gate.Shard;
import dev.kmsgate.kms.store.TransactionHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gate's files under {@code target/kms-reports}: one JUnit test suite per case (a test case
 * for the conversion under the capacity, and one per invariant), one for the self-proof, and the
 * JSON summary {@code kms-regression.json}.
 *
 * <p>Public for fork, which writes the gate's files with it; not an API.
 */
public final class GateReports {

    private GateReports() {
    }

    /**
     * Writes every file, after removing those of an earlier run; returns the JSON summary's path.
     * An unsharded run removes every gate file of the directory; a shard removes only the files it
     * writes (and a whole run's summary), so that the N shards of one gate may share a directory.
     */
    public static Path write(Path directory, GateReport report) {
        clear(directory, report);
        return writeFiles(directory, report);
    }

    /**
     * Removes the files of an earlier run that this one replaces or contradicts: for an unsharded
     * run every gate file of the directory, for a shard only its own suites and a whole run's
     * summary and page (so that the N shards of one gate may share a directory).
     */
    public static void clear(Path directory, GateReport report) {
        if (report.shard().all()) {
            ReportFiles.clearGate(directory);
        } else {
            ReportFiles.clearShard(directory, suites(report).stream().map(TestSuite::name).toList());
        }
    }

    /** Writes the JUnit XML and the JSON summary, once {@link #clear} has run; returns the summary's path. */
    public static Path writeFiles(Path directory, GateReport report) {
        for (TestSuite suite : suites(report)) {
            JUnitXml.write(directory, suite);
        }
        return writeJson(directory, report);
    }

    private static List<TestSuite> suites(GateReport report) {
        List<TestSuite> suites = new ArrayList<>();
        for (CaseResult result : report.cases()) {
            suites.add(suite(report, result));
        }
        if (report.proves()) {
            suites.add(proofSuite(report));
        }
        if (!report.trials().isEmpty()) {
            suites.add(trialsSuite(report));
        }
        if (report.growth() != null) {
            suites.add(scalingSuite(report.growth()));
        }
        return suites;
    }

    /** {@code kms-regression.json}, or {@code kms-regression-shard-K-of-N.json} for a shard. */
    public static String jsonName(Shard shard) {
        return "kms-regression" + shard.fileSuffix() + ".json";
    }

    static TestSuite suite(GateReport report, CaseResult result) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("transactionCapacity", Integer.toString(report.transactionCapacity()));
        properties.put("strategy", report.strategy());
        properties.put("converter", report.converter());
        properties.put("source", result.gateCase().profile() != null ? "profile " + result.gateCase().profile()
                : result.gateCase().source().display());
        properties.put("transactions", Long.toString(result.transactions()));
        properties.put("largestTransaction", Long.toString(result.largestTransaction()));
        List<TestSuite.Case> cases = new ArrayList<>();
        String conversion = String.format(Locale.ROOT, "conversion: no transaction beyond %,d row changes", report.transactionCapacity());
        String conversionFailure = result.conversionProblem() != null ? result.conversionProblem() : result.capacityProblem();
        cases.add(new TestSuite.Case(conversion, conversionFailure == null ? TestSuite.Outcome.PASSED : TestSuite.Outcome.FAILED,
                conversionFailure, conversionFailure, result.elapsed().toNanos() / 1e9));
        if (result.verification() != null) {
            cases.addAll(VerificationReports.suite("x", result.verification()).cases());
        } else {
            cases.add(new TestSuite.Case("verification", TestSuite.Outcome.FAILED, String.join("; ", result.problems()),
                    String.join("\n", result.problems()), 0));
        }
        return new TestSuite("kms.regression." + FileNames.safe(result.gateCase().name()), properties, cases, result.elapsed().toNanos() / 1e9);
    }

    static TestSuite proofSuite(GateReport report) {
        GateReport.SelfProof proof = report.proof();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("case", proof.caseName());
        properties.put("revocations", Long.toString(proof.revocations()));
        properties.put("refusedAt", Long.toString(proof.refusedAt()));
        TestSuite.Outcome outcome = proof.sighted() ? TestSuite.Outcome.PASSED : TestSuite.Outcome.FAILED;
        String message = proof.sighted() ? null : "the gate is blind: " + String.join("; ", proof.blindness());
        List<TestSuite.Case> cases = List.of(new TestSuite.Case(
                "the reference defect is refused under the capacity and fails verification", outcome, message, message, 0));
        return new TestSuite("kms.regression.self-proof", properties, cases, 0);
    }

    /** The scaling proof's suite: one test case, "work grows linearly with the data", with what it measured. */
    static TestSuite scalingSuite(Growth growth) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("cases", growth.smallCase() + ", " + growth.largeCase());
        properties.put("rows", growth.smallRows() + ", " + growth.largeRows());
        properties.put("limit", "n^" + Growth.LIMIT);
        if (growth.measured()) {
            properties.put("converterCpuSeconds", String.format(Locale.ROOT, "%.3f (empty), %.3f, %.3f", growth.fixed().toNanos() / 1e9,
                    growth.small().toNanos() / 1e9, growth.large().toNanos() / 1e9));
            properties.put("exponent", String.format(Locale.ROOT, "%.2f", growth.exponent()));
        }
        String message = growth.passed() ? null : growth.line();
        double seconds = (growth.fixed().toNanos() + growth.small().toNanos() + growth.large().toNanos()) / 1e9;
        List<TestSuite.Case> cases = List.of(new TestSuite.Case("work grows linearly with the data",
                growth.passed() ? TestSuite.Outcome.PASSED : TestSuite.Outcome.FAILED, message, message, seconds));
        return new TestSuite("kms.regression.scaling-proof", properties, cases, seconds);
    }

    static TestSuite trialsSuite(GateReport report) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("converter", report.converter());
        properties.put("transactionCapacity", Integer.toString(report.transactionCapacity()));
        List<TestSuite.Case> cases = new ArrayList<>();
        double seconds = 0;
        for (ResumeTrial trial : report.trials()) {
            String message = trial.passed() ? null : String.join("; ", trial.problems());
            double time = trial.elapsed().toNanos() / 1e9;
            seconds += time;
            cases.add(new TestSuite.Case(trial.label() + ", then run again, equals an uninterrupted run",
                    trial.passed() ? TestSuite.Outcome.PASSED : TestSuite.Outcome.FAILED, message, message, time));
        }
        return new TestSuite("kms.regression.resume-trials", properties, cases, seconds);
    }

    private static Path writeJson(Path directory, GateReport report) {
        Path json = directory.resolve(jsonName(report.shard()));
        try {
            Files.createDirectories(directory);
            try (JsonGenerator out = new JsonFactory().createGenerator(Files.newBufferedWriter(json))) {
                out.useDefaultPrettyPrinter();
                out.writeStartObject();
                out.writeStringField("goal", "regression");
                out.writeBooleanField("passed", report.passed());
                out.writeNumberField("transactionCapacity", report.transactionCapacity());
                out.writeStringField("strategy", report.strategy());
                out.writeStringField("converter", report.converter());
                out.writeNumberField("threads", report.threads());
                if (!report.shard().all()) {
                    out.writeObjectFieldStart("shard");
                    out.writeNumberField("index", report.shard().index());
                    out.writeNumberField("count", report.shard().count());
                    out.writeEndObject();
                }
                out.writeNumberField("seconds", report.elapsed().toMillis() / 1000.0);
                out.writeStringField("finished", report.finished().toString());
                if (report.reuse() != null) {
                    out.writeObjectFieldStart("reused");
                    out.writeStringField("key", report.reuse().key());
                    out.writeEndObject();
                }
                out.writeArrayFieldStart("cases");
                for (CaseResult result : report.cases()) {
                    out.writeStartObject();
                    out.writeStringField("case", result.gateCase().name());
                    out.writeBooleanField("passed", result.passed());
                    out.writeNumberField("users", result.size().users());
                    out.writeNumberField("certificates", result.size().certificates());
                    out.writeNumberField("revocations", result.size().revocations());
                    out.writeNumberField("transactions", result.transactions());
                    out.writeNumberField("largestTransaction", result.largestTransaction());
                    out.writeNumberField("committedRowChanges", result.history().rowChanges());
                    out.writeArrayFieldStart("refusedTransactions");
                    for (TransactionHistory.Refusal refusal : result.history().refusals()) {
                        out.writeNumber(refusal.attempted());
                    }
                    out.writeEndArray();
                    if (result.passed()) {
                        out.writeNumberField("rowsPerSecond", Math.round(result.rowsPerSecond()));
                    } else {
                        out.writeNullField("rowsPerSecond"); // a failed conversion has no meaningful rate; the table shows '-'
                    }
                    out.writeNumberField("seconds", result.elapsed().toMillis() / 1000.0);
                    out.writeNumberField("converterCpuSeconds", result.work().toNanos() / 1e9);
                    out.writeArrayFieldStart("problems");
                    for (String problem : result.problems()) {
                        out.writeString(problem);
                    }
                    out.writeEndArray();
                    if (result.verification() != null) {
                        VerificationReports.writeInvariants(out, result.verification().results());
                    }
                    out.writeEndObject();
                }
                out.writeEndArray();
                out.writeArrayFieldStart("resumeTrials");
                for (ResumeTrial trial : report.trials()) {
                    out.writeStartObject();
                    out.writeNumberField("trial", trial.number());
                    out.writeStringField("case", trial.caseName());
                    out.writeBooleanField("passed", trial.passed());
                    out.writeNumberField("crashAtCommit", trial.crashAtCommit());
                    out.writeNumberField("commits", trial.commits());
                    out.writeArrayFieldStart("problems");
                    for (String problem : trial.problems()) {
                        out.writeString(problem);
                    }
                    out.writeEndArray();
                    out.writeEndObject();
                }
                out.writeEndArray();
                writeGrowth(out, report.growth());
                // the whole result, which the log table, the pages, the index and a reused verdict are rendered from
                out.writeFieldName(VerificationReports.RECORD);
                out.writeRawValue(RecordJson.write(report));
                GateReport.SelfProof proof = report.proof();
                if (proof == null) {
                    out.writeNullField("selfProof"); // another shard runs it
                    out.writeEndObject();
                    return json;
                }
                out.writeObjectFieldStart("selfProof");
                out.writeStringField("case", proof.caseName());
                out.writeBooleanField("sighted", proof.sighted());
                out.writeNumberField("revocations", proof.revocations());
                out.writeNumberField("refusedAt", proof.refusedAt());
                out.writeArrayFieldStart("failedInvariants");
                for (Integer number : proof.failedInvariants()) {
                    out.writeNumber(number);
                }
                out.writeEndArray();
                out.writeArrayFieldStart("blindness");
                for (String reason : proof.blindness()) {
                    out.writeString(reason);
                }
                out.writeEndArray();
                out.writeEndObject();
                out.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + json, e);
        }
        return json;
    }

    /** {@code "scalingProof"}: what the proof measured, or null when it is off or another shard runs it. */
    private static void writeGrowth(JsonGenerator out, Growth growth) throws IOException {
        if (growth == null) {
            out.writeNullField("scalingProof");
            return;
        }
        out.writeObjectFieldStart("scalingProof");
        out.writeBooleanField("passed", growth.passed());
        out.writeStringField("smallCase", growth.smallCase());
        out.writeStringField("largeCase", growth.largeCase());
        out.writeNumberField("smallRows", growth.smallRows());
        out.writeNumberField("largeRows", growth.largeRows());
        if (growth.measured()) {
            out.writeNumberField("emptyCpuSeconds", growth.fixed().toNanos() / 1e9);
            out.writeNumberField("subtractedCpuSeconds", growth.subtracted() / 1e9);
            out.writeNumberField("smallCpuSeconds", growth.small().toNanos() / 1e9);
            out.writeNumberField("largeCpuSeconds", growth.large().toNanos() / 1e9);
            out.writeNumberField("rowRatio", growth.rowRatio());
            out.writeNumberField("workRatio", growth.workRatio());
            out.writeNumberField("exponent", growth.exponent());
        } else {
            out.writeStringField("problem", growth.problem());
        }
        Growth.Phase fastest = growth.fastest();
        if (fastest != null) {
            out.writeObjectFieldStart("fastestPhase");
            out.writeStringField("table", fastest.table());
            out.writeNumberField("smallRows", fastest.smallRows());
            out.writeNumberField("largeRows", fastest.largeRows());
            out.writeNumberField("smallCpuSeconds", fastest.smallNanos() / 1e9);
            out.writeNumberField("largeCpuSeconds", fastest.largeNanos() / 1e9);
            out.writeNumberField("exponent", fastest.exponent());
            out.writeEndObject();
        }
        out.writeNumberField("limit", Growth.LIMIT);
        out.writeStringField("line", growth.line());
        out.writeEndObject();
    }
}
