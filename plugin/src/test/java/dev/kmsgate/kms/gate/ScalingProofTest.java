package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.spi.TeamConverter;
import dev.kmsgate.kms.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scaling proof on real converters and real Derby databases: work that grows faster than the
 * data fails the gate, at a small capacity as at a large one, naming the growth; a correct
 * converter, a sort and a slow but linear converter pass.
 */
class ScalingProofTest {

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();
    private final KmsLog log = Fixtures.logTo(lines);

    private static final String PASSED = "scaling proof: 8\\.0x the rows took \\d+(\\.\\d)?x the work \\(about n\\^[01]\\.\\d\\d; "
            + "cases scale-1x and scale-8x\\): work grows linearly with the data\\.";

    private static final String FAILED = "scaling proof: 8\\.0x the rows took \\d+x the work: about n\\^1\\.\\d\\d, beyond n\\^1\\.5 "
            + "\\(cases scale-1x and scale-8x, 2,549 and 20,387 rows: \\d+\\.\\d{3} s and \\d+\\.\\d{3} s of the converter's CPU above a "
            + "fixed \\d+\\.\\d{3} s\\)\\. At that growth a database of 1,000,000 certificates would take about \\d+(\\.\\d)? (min|h|days|years) "
            + "of conversion work, where linear work would take \\d+ min\\.( The work that grew fastest wrote KMS55\\.\\w+: \\d+\\.\\dx its rows "
            + "took \\d+(\\.\\d)?x the work \\(about n\\^-?\\d\\.\\d\\d\\)\\.)?";

    private static ConverterUnderTest loaded(Class<?> converter) {
        return converter == null ? ConverterUnderTest.builtIn()
                : ConverterUnderTest.of(ForeignConverter.load(converter.getName(), ScalingProofTest.class.getClassLoader()));
    }

    private RegressionGate.Settings settings(Class<?> converter, int capacity, int largeMultiple) {
        return new RegressionGate.Settings(capacity, Strategy.CHUNKED, List.of(), 2, largeMultiple, 1L, 5, dir, null, loaded(converter), 0,
                Shard.ALL).withScalingProof(true);
    }

    private GateReport gate(Class<?> converter, int capacity, int largeMultiple) {
        return new RegressionGate(log).run(settings(converter, capacity, largeMultiple));
    }

    /** The proof alone, without the gate's other cases. */
    private Growth proof(Class<?> converter) {
        RegressionGate.Settings settings = settings(converter, 250, 3);
        CaseRunner runner = new CaseRunner(settings, settings.converter(), s -> new Verifier(KmsLog.silent()).verify(s));
        ScalingProof.Outcome outcome = new ScalingProof(runner, 1L).run();
        assertTrue(outcome.small().passed(), outcome.small().problems()::toString);
        assertTrue(outcome.large().passed(), outcome.large().problems()::toString);
        return outcome.growth();
    }

    private static void assertLine(String pattern, String line) {
        assertTrue(Pattern.matches(pattern, line), line);
    }

    @Test
    void aConverterThatScansTheCrlForEveryCertificateFailsAtCapacity37() {
        GateReport report = gate(TeamConverter.QuadraticLookup.class, 37, 10);

        // every case converts right, within the capacity: only its growth is wrong
        assertEquals(List.of(), report.failures().stream().map(r -> r.gateCase().name()).toList(), report::failureMessage);
        assertFalse(report.passed(), report.growth()::toString);
        assertTrue(report.growth().exponent() > Growth.LIMIT, report.growth()::line);
        String[] message = report.failureMessage().split(System.lineSeparator());
        assertEquals("The KMS gate failed at transactionCapacity 37 with converter " + TeamConverter.QuadraticLookup.class.getName()
                + ": its work grows faster than its data.", message[0]);
        assertLine("  - " + FAILED, message[1]);
        assertEquals("KMS55.CERTIFICATES", report.growth().fastest().table(), "the certificates' phase scans the CRL");
        assertTrue(message[1].endsWith(" " + report.growth().fastest().sentence()), message[1]);
        assertEquals(2, message.length, report::failureMessage);
        assertTrue(lines.contains(report.growth().line()), lines::toString);
    }

    @Test
    void aConverterThatScansTheCrlForEveryCertificateFailsAtCapacity1000() {
        GateReport report = gate(TeamConverter.QuadraticLookup.class, 1000, 3);

        assertTrue(report.failures().isEmpty(), report::failureMessage);
        assertFalse(report.passed());
        assertLine(FAILED, report.growth().line());
    }

    @Test
    void aCorrectConverterPassesWithTheProofsCasesInTheTable() {
        GateReport report = gate(TeamConverter.class, 37, 10);

        assertTrue(report.passed(), report::failureMessage);
        assertEquals(List.of("0", "1", "C-1", "C", "C+1", "2C+1", "10C", "dirty", "scale-1x", "scale-8x"),
                report.cases().stream().map(r -> r.gateCase().name()).toList());
        CaseResult large = report.cases().get(9);
        assertEquals(new CaseSize(4_000, 8_080, 4_107), large.size());
        assertTrue(large.largestTransaction() <= 37, "the proof's cases convert under the capacity too");
        assertTrue(large.work().compareTo(report.growth().fixed()) > 0);
        assertLine(PASSED, report.growth().line());
        assertTrue(lines.contains("KMS Gate regression: converter " + TeamConverter.class.getName() + ", transactionCapacity 37, "
                + "10 cases (2 of them the scaling proof's) and 0 resume trials on 2 threads."), lines::toString);
        int growthLine = lines.indexOf(report.growth().line());
        assertTrue(lines.get(growthLine - 1).startsWith("self-proof: "), lines::toString);
        assertTrue(lines.get(growthLine + 1).startsWith("GATE PASSED: 10 of 10 cases pass at transactionCapacity 37 "), lines::toString);
    }

    @Test
    void kmsGatesOwnConverterPasses() {
        GateReport report = gate(null, 37, 10);

        assertTrue(report.passed(), report::failureMessage);
        assertLine(PASSED, report.growth().line());
    }

    @Test
    void aConverterThatSortsItsCertificatesPasses() {
        Growth growth = proof(TeamConverter.SortsCertificates.class);

        assertLine(PASSED, growth.line());
    }

    @Test
    void aSlowButLinearConverterPasses() {
        Growth growth = proof(TeamConverter.SlowLinear.class);

        assertLine(PASSED, growth.line());
        // 100 microseconds a row: the proof measured the converter's own CPU, not only Derby's
        assertTrue(growth.large().toMillis() > TeamConverter.SLOW_NANOS_PER_ROW * 20_000 / 1_000_000, growth::toString);
    }

    @Test
    void aConverterQuadraticInOnePhaseIsNamedWithThatPhase() {
        Growth growth = proof(TeamConverter.QuadraticKeys.class);

        // the keys' phase is the one that grew fastest: n^1.49 to n^1.66 on a quiet machine, the whole n^1.3 to n^1.9
        assertEquals("KMS55.KEY_ARCHIVE", growth.fastest().table(), growth::line);
        assertTrue(growth.fastest().exponent() > 1.3, growth::line);
        assertTrue(growth.exponent() > 1.2, growth::line);
        // it fails when the phase outweighs the others at 20,387 rows, is warned of when its growth alone is beyond the limit,
        // and passes, its phase unnamed, when neither is: at these sizes the phase's growth is too close to the limit to say more
        if (!growth.passed()) {
            assertLine(FAILED, growth.line());
            assertTrue(growth.line().endsWith(" " + growth.fastest().sentence()), growth::line);
        } else if (growth.phaseWarning()) {
            assertEquals(growth.line().substring(0, growth.line().indexOf(" Yet")) + " Yet one phase grew faster. " + growth.fastest().sentence(),
                    growth.line());
            assertLine(PASSED, growth.line().substring(0, growth.line().indexOf(" Yet")));
        } else {
            assertLine(PASSED, growth.line());
        }
    }

    @Test
    void aMeasuringRunIsStoppedOnceItHasSpentItsBudget() {
        RegressionGate.Settings settings = settings(TeamConverter.SlowLinear.class, 250, 3);
        CaseRunner runner = new CaseRunner(settings, settings.converter(), s -> new Verifier(KmsLog.silent()).verify(s));
        GateCase small = ScalingProof.cases(1L).get(0);

        // 100 microseconds a row for about 2,000 row changes: at least 0.2 s, stopped at 50 ms
        assertEquals(Duration.ofMillis(50), runner.work(small, "stopped", Duration.ofMillis(50)));
        Duration whole = runner.work(small, "whole", Duration.ofSeconds(600));
        assertTrue(whole.compareTo(Duration.ofMillis(200)) > 0 && whole.compareTo(Duration.ofSeconds(600)) < 0, whole::toString);
    }

    @Test
    void aConverterThatFailsOnAnEmptyDatabaseFailsTheProofSayingSo() {
        RegressionGate.Settings settings = settings(TeamConverter.ThrowsWhenEmpty.class, 250, 3);
        CaseRunner runner = new CaseRunner(settings, settings.converter(), s -> new Verifier(KmsLog.silent()).verify(s));

        ScalingProof.Outcome outcome = new ScalingProof(runner, 1L).run();

        assertFalse(outcome.growth().passed());
        assertTrue(outcome.growth().line().startsWith("scaling proof: not measured: the converter failed on an empty database: "),
                outcome.growth()::line);
        assertTrue(outcome.small().passed(), () -> outcome.small().problems().toString());
        assertTrue(outcome.large().passed(), () -> outcome.large().problems().toString());
    }

    @Test
    void aConverterThatFailsOnEveryDatabaseFailsTheProofAndItsCases() {
        RegressionGate.Settings settings = settings(TeamConverter.Throws.class, 250, 3);
        CaseRunner runner = new CaseRunner(settings, settings.converter(), s -> new Verifier(KmsLog.silent()).verify(s));

        ScalingProof.Outcome outcome = new ScalingProof(runner, 1L).run();

        assertEquals("scaling proof: not measured: case scale-1x did not convert", outcome.growth().line());
        assertFalse(outcome.small().passed());
        assertFalse(outcome.large().passed());
    }
}
