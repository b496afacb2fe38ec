package dev.kmsgate.kms.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.report.GateReports;
import dev.kmsgate.kms.report.HtmlReport;
import dev.kmsgate.kms.spi.TeamConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gate spread over N shards, each written into one shared reports directory as N CI agents'
 * artifacts are collected: the union of their JUnit XML and JSON equals one whole run's, apart
 * from the times.
 */
class ShardedGateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    private GateReport run(Strategy strategy, ConverterUnderTest converter, int trials, Shard shard, Path reports) {
        return run(7, List.of(new GateCase("mine", new Profile(60, 9, 2, 1, 1, 1, 3))), strategy, converter, trials, shard, reports);
    }

    private GateReport run(int capacity, List<GateCase> extra, Strategy strategy, ConverterUnderTest converter, int trials, Shard shard,
                           Path reports) {
        GateReport report = new RegressionGate(Fixtures.logTo(lines)).run(new RegressionGate.Settings(capacity, strategy, extra, 2, 3, 1L,
                5, dir.resolve("work"), null, converter, trials, shard));
        GateReports.write(reports, report);
        HtmlReport.writeGate(reports, report);
        return report;
    }

    @Test
    void threeShardsOfAConverterWithResumeTrialsReportWhatOneWholeRunReports() throws IOException {
        ConverterUnderTest team = ConverterUnderTest.of(ForeignConverter.load(TeamConverter.class.getName(), getClass().getClassLoader()));
        GateReport whole = run(Strategy.CHUNKED, team, 2, Shard.ALL, dir.resolve("whole"));
        assertTrue(whole.passed(), whole::failureMessage);
        List<GateReport> shards = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            shards.add(run(Strategy.CHUNKED, team, 2, new Shard(k, 3), dir.resolve("shards")));
        }

        assertEquals(1, shards.stream().filter(GateReport::proves).count(), "exactly one shard runs the self-proof");
        assertEquals(1, shards.stream().filter(s -> !s.trials().isEmpty()).count(), "exactly one shard runs the resume trials");
        for (GateReport shard : shards) {
            assertTrue(shard.passed(), shard::failureMessage);
            assertEquals(shard.trials().isEmpty(), shard.cases().stream().noneMatch(c -> c.gateCase().name().equals("3C")),
                    "the trials run in the shard of the cases they interrupt");
            assertEquals(shard.trials().isEmpty(), shard.cases().stream().noneMatch(c -> c.gateCase().name().equals("dirty")),
                    "the trials run in the shard of the cases they interrupt");
        }
        assertUnionIsTheWhole(dir.resolve("whole"), dir.resolve("shards"), 3);
    }

    @Test
    void twoShardsOfAFailingGateReportEveryFailureOfTheWholeRun() throws IOException {
        GateReport whole = run(Strategy.SINGLE_TRANSACTION, null, 0, Shard.ALL, dir.resolve("whole"));
        assertFalse(whole.passed());
        GateReport first = run(Strategy.SINGLE_TRANSACTION, null, 0, new Shard(1, 2), dir.resolve("shards"));
        GateReport second = run(Strategy.SINGLE_TRANSACTION, null, 0, new Shard(2, 2), dir.resolve("shards"));

        assertEquals(whole.failures().size(), first.failures().size() + second.failures().size());
        assertFalse(first.passed() && second.passed(), "a failing case fails the shard that runs it");
        String verdict = lines.stream().filter(l -> l.contains("GATE FAILED") && l.contains("shard 1 of 2")).findFirst().orElseThrow();
        assertTrue(verdict.matches("GATE FAILED: \\d of \\d cases pass at transactionCapacity 7 with strategy "
                + "'single-transaction', shard 1 of 2 \\(\\d+\\.\\d s\\)\\."), verdict);
        assertUnionIsTheWhole(dir.resolve("whole"), dir.resolve("shards"), 2);
    }

    @Test
    void aWholeRunAfterShardsInTheSameDirectoryLeavesNoShardFileBehind() throws IOException {
        Path reports = dir.resolve("reports");
        run(2, List.of(), Strategy.CHUNKED, null, 0, new Shard(1, 2), reports);
        run(2, List.of(), Strategy.CHUNKED, null, 0, new Shard(2, 2), reports);
        assertTrue(Files.isRegularFile(reports.resolve("kms-regression-shard-2-of-2.json")));
        assertTrue(Files.isRegularFile(reports.resolve("kms-regression-shard-1-of-2.html")));

        run(2, List.of(), Strategy.CHUNKED, null, 0, Shard.ALL, reports);

        try (Stream<Path> files = Files.list(reports)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.contains("shard")).toList());
        }
        // and a shard after a whole run removes the whole run's summary and page, which its results would contradict
        run(2, List.of(), Strategy.CHUNKED, null, 0, new Shard(2, 2), reports);
        assertFalse(Files.exists(reports.resolve("kms-regression.json")));
        assertFalse(Files.exists(reports.resolve("kms-regression.html")));
    }

    private static void assertUnionIsTheWhole(Path whole, Path shards, int count) throws IOException {
        // JUnit XML: the same files, with the same content but for the times
        Map<String, String> wholeXml = junitFiles(whole);
        Map<String, String> shardXml = junitFiles(shards);
        assertEquals(wholeXml.keySet(), shardXml.keySet());
        for (Map.Entry<String, String> file : wholeXml.entrySet()) {
            assertEquals(file.getValue(), shardXml.get(file.getKey()), file.getKey());
        }
        // JSON: the shards' cases, trials and self-proof are the whole run's
        JsonNode full = withoutTimes(JSON.readTree(whole.resolve("kms-regression.json").toFile()));
        List<JsonNode> cases = new ArrayList<>();
        List<JsonNode> trials = new ArrayList<>();
        List<JsonNode> proofs = new ArrayList<>();
        boolean passed = true;
        for (int k = 1; k <= count; k++) {
            JsonNode shard = withoutTimes(JSON.readTree(shards.resolve(GateReports.jsonName(new Shard(k, count))).toFile()));
            assertEquals(k, shard.get("shard").get("index").asInt());
            assertEquals(count, shard.get("shard").get("count").asInt());
            shard.get("cases").forEach(cases::add);
            shard.get("resumeTrials").forEach(trials::add);
            if (!shard.get("selfProof").isNull()) {
                proofs.add(shard.get("selfProof"));
            }
            passed &= shard.get("passed").asBoolean();
        }
        List<String> order = new ArrayList<>();
        full.get("cases").forEach(c -> order.add(c.get("case").asText()));
        cases.sort((a, b) -> Integer.compare(order.indexOf(a.get("case").asText()), order.indexOf(b.get("case").asText())));
        assertEquals(list(full.get("cases")), cases);
        assertEquals(list(full.get("resumeTrials")), trials);
        assertEquals(List.of(full.get("selfProof")), proofs);
        assertEquals(full.get("passed").asBoolean(), passed);
        // and the index puts every shard's page on one page
        String index = Files.readString(shards.resolve(HtmlReport.INDEX), StandardCharsets.UTF_8);
        for (int k = 1; k <= count; k++) {
            assertTrue(index.contains("<h2>Regression gate, shard " + k + " of " + count + ": "), "shard " + k + " in the index");
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }

    /** The JSON without what differs between two runs of the same cases: seconds, rates and the converter's CPU time. */
    private static JsonNode withoutTimes(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("seconds", "rowsPerSecond", "converterCpuSeconds"));
            for (Iterator<JsonNode> children = object.elements(); children.hasNext(); ) {
                withoutTimes(children.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ShardedGateTest::withoutTimes);
        }
        return node;
    }

    /** Each {@code TEST-kms.regression.*.xml} by name, its times and timestamps blanked. */
    private static Map<String, String> junitFiles(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.filter(f -> f.getFileName().toString().startsWith("TEST-kms.regression.")).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)
                        .replaceAll(" (time|timestamp|hostname)=\"[^\"]*\"", " $1=\"\""));
            }
        }
        return files;
    }
}
