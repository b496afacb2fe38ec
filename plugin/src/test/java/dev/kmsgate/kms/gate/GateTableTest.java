package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.LogLine;
import dev.kmsgate.kms.report.RecordJson;
import dev.kmsgate.kms.store.TransactionHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The table's lines carry their severity and its named lines, whatever their text says. */
class GateTableTest {

    private static final GateCase MINE = new GateCase("mine", new dev.kmsgate.kms.generate.Profile(30, 12, 2, 3, 2, 1, 5L));

    private static CaseResult result(GateCase gateCase, List<String> problems) {
        return new CaseResult(gateCase, new CaseSize(30, 40, 12), 3, 7, 1000, problems, null, null, null, Duration.ofSeconds(1),
                TransactionHistory.none(), Duration.ZERO, List.of());
    }

    private static GateReport report(List<CaseResult> cases, List<String> blindness, GateReport.Reuse reuse) {
        GateReport report = new GateReport(7, "chunked", ConverterUnderTest.BUILT_IN, true, 2, cases, List.of(),
                new GateReport.SelfProof("C+1", 8, 8, List.of(7), List.of(4, 5), blindness), Duration.ofSeconds(3), Shard.ALL);
        return reuse == null ? report : report.reused(reuse);
    }

    @Test
    void aFailingCaseABlindProofAndAFailedVerdictWarnAndNothingElseDoes() {
        GateReport failed = report(List.of(result(MINE, List.of("it lost a revocation")), result(MINE, List.of())),
                List.of("verification of what it left passed"), null);
        List<String> warned = new ArrayList<>();
        List<String> informed = new ArrayList<>();
        GateTable.print(failed, new KmsLog() {
            @Override public void info(String message) { informed.add(message); }
            @Override public void warn(String message) { warned.add(message); }
            @Override public void debug(String message) { }
        });
        List<String> lines = GateTable.lines(failed);
        assertEquals(List.of(lines.get(1), lines.get(3), lines.get(4)), warned);
        assertEquals(List.of(lines.get(0), lines.get(2)), informed);
        assertEquals("self-proof: the gate is BLIND: verification of what it left passed", lines.get(3));
        assertEquals("GATE FAILED: 1 of 2 cases pass at transactionCapacity 7 with strategy 'chunked' (3.0 s).", lines.get(4));
    }

    @Test
    void theVerdictAndTheSelfProofAreNamedEvenAfterAReuseLine() {
        GateReport reused = report(List.of(result(MINE, List.of())), List.of(), new GateReport.Reuse("3f9a"));
        List<LogLine> rows = GateTable.rows(reused);
        assertEquals(GateTable.verdictLine(reused), rows.get(rows.size() - 1));
        assertEquals(GateTable.selfProofLine(reused), rows.get(rows.size() - 2));
        assertEquals(LogLine.Severity.INFO, GateTable.verdictLine(reused).severity());
        assertEquals("GATE PASSED: 1 of 1 cases pass at transactionCapacity 7 with strategy 'chunked' (3.0 s).",
                GateTable.verdictLine(reused).text());
        assertEquals(List.of(LogLine.Severity.INFO), rows.stream().map(LogLine::severity).distinct().toList());
    }

    @Test
    void aUsersConverterIsNamedByItsClassWhateverItsName() {
        GateReport users = new GateReport(7, "chunked", ConverterUnderTest.BUILT_IN, false, 2, List.of(), List.of(),
                new GateReport.SelfProof("C+1", 8, 8, List.of(7), List.of(4, 5), List.of()), Duration.ofSeconds(3), Shard.ALL);
        assertEquals("converter " + ConverterUnderTest.BUILT_IN, users.subject());
    }

    @Test
    void everyBoundaryCaseHasItsKindAndACountTwoShareRunsAsTheFirst() {
        assertEquals(List.of(GateCase.Kind.ZERO, GateCase.Kind.ONE, GateCase.Kind.BELOW_CAPACITY, GateCase.Kind.AT_CAPACITY,
                        GateCase.Kind.ABOVE_CAPACITY, GateCase.Kind.TWICE_ABOVE_CAPACITY, GateCase.Kind.LARGE, GateCase.Kind.DIRTY),
                GateCase.boundaryCases(37, 10, 1L).stream().map(GateCase::kind).toList());
        assertEquals(List.of(GateCase.Kind.ZERO, GateCase.Kind.ONE, GateCase.Kind.ABOVE_CAPACITY, GateCase.Kind.TWICE_ABOVE_CAPACITY,
                        GateCase.Kind.DIRTY),
                GateCase.boundaryCases(1, 3, 1L).stream().map(GateCase::kind).toList());
        assertEquals(GateCase.Kind.OWN, MINE.kind());
    }

    @Test
    void aCasesKindCrossesJsonWithItAndACaseWithoutOneIsTheUsers() {
        for (GateCase boundary : GateCase.boundaryCases(37, 10, 1L)) {
            assertEquals(boundary, RecordJson.read(RecordJson.write(boundary), GateCase.class));
        }
        String withoutKind = RecordJson.write(MINE).replace("\"kind\":\"OWN\",", "");
        assertFalse(withoutKind.contains("kind"), withoutKind);
        assertEquals(MINE, RecordJson.read(withoutKind, GateCase.class));
    }
}
