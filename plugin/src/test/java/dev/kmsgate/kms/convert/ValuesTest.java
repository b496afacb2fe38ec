package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.TransactionLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The small values of the package: strategies, settings, a result's rate, the tool version. */
class ValuesTest {

    @TempDir
    Path dir;

    private static final SourceFacts FACTS = new SourceFacts("f", 10, 20, 30, 40);

    private static ConversionResult result(ConversionResult.Outcome outcome, Duration elapsed) {
        return new ConversionResult(outcome, FACTS, 0, 0, 0, 0, 0, 0, 0, elapsed);
    }

    @Test
    void aStrategyIsParsedFromItsIdTrimmedAndShownByIt() {
        assertSame(Strategy.CHUNKED, Strategy.parse(" chunked "));
        assertSame(Strategy.SINGLE_TRANSACTION, Strategy.parse("single-transaction"));
        assertEquals("single-transaction", Strategy.SINGLE_TRANSACTION.toString());
        assertEquals("chunked, single-transaction", Strategy.allowed());
        assertEquals(Messages.format(Messages.UNKNOWN_STRATEGY, "Chunked", "chunked, single-transaction"),
                assertThrows(KmsUsageException.class, () -> Strategy.parse("Chunked")).getMessage());
        assertEquals(Messages.format(Messages.UNKNOWN_STRATEGY, "null", "chunked, single-transaction"),
                assertThrows(KmsUsageException.class, () -> Strategy.parse(null)).getMessage());
    }

    @Test
    void aResultsRateIsItsSourceRowsPerSecondAndZeroWhenNothingWasDone() {
        assertEquals(50.0, result(ConversionResult.Outcome.CONVERTED, Duration.ofSeconds(2)).rowsPerSecond());
        assertEquals(400.0, result(ConversionResult.Outcome.RESUMED, Duration.ofMillis(250)).rowsPerSecond());
        assertEquals(0.0, result(ConversionResult.Outcome.ALREADY_FINISHED, Duration.ofSeconds(2)).rowsPerSecond());
        assertEquals(0.0, result(ConversionResult.Outcome.CONVERTED, Duration.ZERO).rowsPerSecond());
    }

    @Test
    void settingsDefaultTheLedgerAndProgressAndRefuseACapacityBelowOne() {
        Database source = Database.of(Fixtures.source(dir));
        Database target = Database.of(Fixtures.target(dir));
        ConversionSettings defaults = ConversionSettings.of(Fixtures.source(dir), Fixtures.target(dir), 7, Strategy.CHUNKED);
        assertEquals(List.of(source, target, 7, Strategy.CHUNKED, false, Duration.ofSeconds(5), 0L),
                List.of(defaults.source(), defaults.target(), defaults.transactionCapacity(), defaults.strategy(), defaults.restart(),
                        defaults.progressInterval(), defaults.ledger().committedTransactions()));
        TransactionLedger ledger = new TransactionLedger();
        ConversionSettings given = new ConversionSettings(source, target, 1, Strategy.CHUNKED, true, ledger, Duration.ZERO);
        assertSame(ledger, given.ledger());
        assertEquals(Duration.ZERO, given.progressInterval());
        assertEquals(Messages.format(Messages.CAPACITY_TOO_SMALL, 0), assertThrows(KmsUsageException.class,
                () -> new ConversionSettings(source, target, 0, Strategy.CHUNKED, false, null, null)).getMessage());
        assertEquals("strategy", assertThrows(NullPointerException.class,
                () -> new ConversionSettings(source, target, 1, null, false, null, null)).getMessage());
    }

    @Test
    void theToolVersionOfClassesNotPackagedByMavenIsDevelopment() {
        // the tests run on target/classes, which hold no META-INF/maven/.../pom.properties
        assertEquals("kms-gate development", Converter.TOOL_VERSION);
    }
}
