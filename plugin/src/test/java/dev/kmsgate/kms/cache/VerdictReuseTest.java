package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.fork.GateFork;
import dev.kmsgate.kms.fork.GateJob;
import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.report.RecordJson;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real gate (in this JVM) under the verdict store: stored when it passes, reused while its key holds, never stored when it fails. */
class VerdictReuseTest {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_TREES = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A store's secret, as {@link VerdictStore#secret()} makes one. */
    private static final byte[] SECRET = "a store's secret, 32 bytes long!".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final AtomicInteger runs = new AtomicInteger();

    private GateJob job(String strategy) {
        Path home = dir.resolve("project");
        return new GateJob(7, strategy, List.of(new GateCase("mine", new Profile(30, 12, 2, 3, 2, 1, 5L))), 2, 3, 1L, 5,
                home.resolve("work"), 3600, null, List.of(), 3, null, home.resolve("reports"), home.resolve("derby.log"),
                dir.resolve("store").resolve("sources"), home.resolve("work").resolve("record.json"), false);
    }

    private VerdictStore store(List<String> log) {
        return new VerdictStore(dir.resolve("store"), 1L << 30, Fixtures.levelledLogTo(log));
    }

    private VerdictKey key(GateJob job, String version) {
        return new BuildFacts(version, List.of(), null, dir, "Vendor", "17.0.1", false, "", Map.of(), Map.of()).key(job, SECRET);
    }

    /** Runs the job under the store as the goal does, in this JVM; returns the log. */
    private List<String> gate(GateJob job, VerdictKey key, boolean rerun) {
        List<String> log = new ArrayList<>();
        new CachedGate(store(log), rerun, "com.example:app:kms-gate", key).run(job, j -> {
            runs.incrementAndGet();
            j.run(Fixtures.levelledLogTo(log));
        }, Fixtures.levelledLogTo(log));
        return withoutDebug(log);
    }

    /** What the build log shows at Maven's default level. */
    private static List<String> withoutDebug(List<String> log) {
        return log.stream().filter(line -> !line.startsWith("[DEBUG] ")).toList();
    }

    private static Map<String, String> files(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    @Test
    void aPassingVerdictIsReusedWithTheSameTableAndTheSameReports() throws IOException {
        GateJob job = job("chunked");
        VerdictKey key = key(job, "1.0");
        List<String> first = gate(job, key, false);
        Map<String, String> firstReports = files(job.reportsDirectory());
        assertEquals("[INFO] " + Messages.VERDICT_NOT_STORED_YET, first.get(0));

        List<String> second = gate(job, key, false);

        assertEquals(1, runs.get(), () -> "the second build ran the gate: " + second);
        GateReport stored = RecordJson.readFile(dir.resolve("store").resolve("verdicts").resolve(key.key() + ".json"), StoredVerdict.class).report();
        assertEquals("[INFO] verdict reused: nothing it depends on changed since the run of "
                + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC).format(stored.finished())
                + " that proved it (key " + key.key() + ").", second.get(0));
        int header = indexOf(first, "[INFO] case          users");
        int verdict = indexOf(first, "[INFO] GATE PASSED: ");
        assertEquals(first.subList(header, verdict + 1), second.subList(1, second.size() - 1));
        assertEquals(first.get(first.size() - 1), second.get(second.size() - 1)); // Report: .../index.html

        Map<String, String> secondReports = files(job.reportsDirectory());
        assertEquals(firstReports.keySet(), secondReports.keySet());
        for (String name : firstReports.keySet()) {
            if (name.startsWith("TEST-")) {
                assertEquals(firstReports.get(name), secondReports.get(name), name);
            }
        }
        // the summary of a reused verdict is the proving run's, marked as reused (at its top and in its record)
        ObjectNode firstJson = (ObjectNode) JSON_TREES.readTree(firstReports.get("kms-regression.json"));
        ObjectNode secondJson = (ObjectNode) JSON_TREES.readTree(secondReports.get("kms-regression.json"));
        assertEquals(key.key(), secondJson.remove("reused").get("key").asText());
        assertEquals(key.key(), ((ObjectNode) secondJson.get("record")).replace("reuse", NullNode.getInstance()).get("key").asText());
        assertEquals(firstJson, secondJson);
        assertTrue(secondReports.get("kms-regression.html").contains("<dt>reused</dt><dd>nothing the verdict depends on changed since (key "
                + key.key() + ")</dd>"), secondReports.get("kms-regression.html"));
        assertFalse(firstReports.get("kms-regression.html").contains("<dt>reused</dt>"));
    }

    @Test
    void aFailingVerdictIsNeverStoredAndRunsOnEveryBuild() {
        GateJob job = job("single-transaction");
        VerdictKey key = key(job, "1.0");
        List<String> first = new ArrayList<>();
        assertThrows(KmsDefectException.class, () -> first.addAll(gate(job, key, false)));
        List<String> second = new ArrayList<>();
        assertThrows(KmsDefectException.class, () -> second.addAll(gate(job, key, false)));

        assertEquals(2, runs.get());
        assertFalse(Files.exists(dir.resolve("store").resolve("verdicts").resolve(key.key() + ".json")));
    }

    @Test
    void rerunRunsTheGateWhateverIsStoredAndStoresItsVerdict() {
        GateJob job = job("chunked");
        VerdictKey key = key(job, "1.0");
        gate(job, key, false);
        List<String> rerun = gate(job, key, true);
        List<String> after = gate(job, key, false);

        assertEquals(2, runs.get());
        assertEquals("[INFO] " + Messages.VERDICT_RERUN, rerun.get(0));
        assertTrue(after.get(0).startsWith("[INFO] verdict reused: "), after.get(0));
    }

    @Test
    void withTheCacheOffNothingIsStoredOrReused() {
        GateJob job = job("chunked");
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            new CachedGate(null, false, "com.example:app:kms-gate", null).run(job, j -> {
                runs.incrementAndGet();
                j.run(Fixtures.levelledLogTo(log));
            }, Fixtures.levelledLogTo(log));
        }
        assertEquals(2, runs.get());
        assertFalse(Files.exists(dir.resolve("store").resolve("verdicts")));
        assertFalse(Files.exists(job.recordFile()), "the run's record was left behind");
    }

    @Test
    void aRunWhoseRecordCannotBeReadBackWarnsAndStoresNothing() {
        GateJob job = job("chunked");
        VerdictKey key = key(job, "1.0");
        List<String> log = new ArrayList<>();

        // a gate that passed but left no record behind (its file removed while it ran)
        new CachedGate(store(log), false, "com.example:app:kms-gate", key).run(job, j -> { }, Fixtures.levelledLogTo(log));

        String warning = log.stream().filter(line -> line.startsWith("[WARNING] ")).findFirst().orElseThrow();
        assertTrue(warning.startsWith("[WARNING] The gate passed, but its result record could not be read back (Cannot read "
                + job.recordFile()), warning);
        assertTrue(warning.endsWith("), so its verdict is not stored; the next build runs the gate again."), warning);
        assertFalse(Files.exists(dir.resolve("store").resolve("verdicts").resolve(key.key() + ".json")));
    }

    @Test
    void aNewKeySaysWhichInputChangedAndRunsTheGate() {
        GateJob job = job("chunked");
        gate(job, key(job, "1.0"), false);
        List<String> log = gate(job, key(job, "1.1"), false);

        assertEquals(2, runs.get());
        assertEquals("[INFO] The gate runs, because KMS Gate 1.0 -> 1.1.", log.get(0));
    }

    @Test
    void aDamagedEntryIsIgnoredWithAWarningRemovedAndRebuilt() throws IOException {
        GateJob job = job("chunked");
        VerdictKey key = key(job, "1.0");
        gate(job, key, false);
        Path entry = dir.resolve("store").resolve("verdicts").resolve(key.key() + ".json");
        String whole = Files.readString(entry);
        Files.writeString(entry, whole.substring(0, whole.length() / 2));

        List<String> damaged = gate(job, key, false);
        List<String> rebuilt = gate(job, key, false);

        assertEquals(2, runs.get());
        assertTrue(damaged.get(0).startsWith("[WARNING] The stored verdict " + entry.toAbsolutePath() + " is damaged ("), damaged.get(0));
        assertTrue(damaged.get(0).endsWith("): it is ignored and removed, and the gate runs."), damaged.get(0));
        assertTrue(rebuilt.get(0).startsWith("[INFO] verdict reused: "), rebuilt.get(0));
    }

    @Test
    void twoProjectsGatedAtOnceOnOneStoreBothPassAndALaterBuildReusesTheVerdict() throws Exception {
        List<GateJob> jobs = new ArrayList<>();
        for (String project : List.of("one", "two")) {
            Path home = dir.resolve(project);
            jobs.add(new GateJob(7, "chunked", List.of(new GateCase("mine", new Profile(30, 12, 2, 3, 2, 1, 5L))), 2, 3, 1L, 5,
                    home.resolve("work"), 3600, null, List.of(), 3, null, home.resolve("reports"), home.resolve("derby.log"),
                    dir.resolve("store").resolve("sources"), home.resolve("work").resolve("record.json"), false));
        }
        VerdictKey key = key(jobs.get(0), "1.0");
        assertEquals(key.key(), key(jobs.get(1), "1.0").key()); // where their files go is not in the key
        List<java.util.concurrent.CompletableFuture<List<String>>> builds = new ArrayList<>();
        for (GateJob job : jobs) {
            builds.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
                new CachedGate(store(log), false, "com.example:" + job.workDirectory().getParent().getFileName() + ":gate", key).run(job,
                        forked -> GateFork.run(forked, GateFork.DEFAULT_ARG_LINE, Map.of(), Fixtures.levelledLogTo(log)), Fixtures.levelledLogTo(log));
                return log;
            }));
        }
        for (java.util.concurrent.CompletableFuture<List<String>> build : builds) {
            List<String> log = withoutDebug(build.get(5, java.util.concurrent.TimeUnit.MINUTES));
            assertTrue(log.stream().anyMatch(line -> line.startsWith("[INFO] GATE PASSED: 9 of 9 cases pass at transactionCapacity 7 ")),
                    String.join("\n", log));
        }

        List<String> later = gate(jobs.get(0), key, false);
        assertTrue(later.get(0).startsWith("[INFO] verdict reused: "), later.get(0));
    }

    @Test
    void theResultRecordRendersTheSameReportsAfterItsRoundTrip() throws IOException {
        GateJob job = job("chunked");
        List<String> log = new ArrayList<>();
        job.run(Fixtures.levelledLogTo(log));
        GateReport report = RecordJson.readFile(job.recordFile(), GateReport.class);
        Map<String, String> written = files(job.reportsDirectory());

        GateReport again = RecordJson.read(RecordJson.write(report), GateReport.class);
        Path elsewhere = dir.resolve("again");
        GateJob.writeReports(elsewhere, again, Fixtures.levelledLogTo(new ArrayList<>()));

        Map<String, String> rendered = files(elsewhere);
        assertEquals(written.keySet(), rendered.keySet());
        for (String name : written.keySet()) {
            assertEquals(written.get(name), rendered.get(name), name);
        }
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + prefix + ": " + lines);
    }
}
