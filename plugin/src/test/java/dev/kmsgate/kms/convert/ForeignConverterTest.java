package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.api.KmsConverter;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.spi.TeamConverter;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.TransactionCapacityExceededException;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A converter of the user's own, loaded by name or made by code, run under the capacity guard. */
class ForeignConverterTest {

    @TempDir
    Path dir;

    private DatabaseAddress source;
    private DatabaseAddress target;
    private final List<String> lines = new ArrayList<>();
    private final TransactionLedger ledger = new TransactionLedger();

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir));
    }

    private ConversionResult run(ForeignConverter converter, int capacity) {
        return converter.convert(new ConversionSettings(Database.of(source), Database.of(target), capacity, Strategy.CHUNKED, false,
                ledger, null), Fixtures.logTo(lines));
    }

    private void smallSource() {
        source = Fixtures.generate(dir, new Profile(3, 1, 0, 1, 0, 0, 3L));
        target = Fixtures.target(dir);
    }

    /** Writes {@code rows} rows into APP.T through {@code connection}, then commits once. */
    private static void write(Connection connection, int rows) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE APP.T (ID INTEGER)");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO APP.T VALUES (?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setInt(1, i);
                insert.executeUpdate();
            }
        }
        connection.commit();
    }

    private String failure(KmsConverter converter) {
        return assertThrows(KmsDefectException.class, () -> run(ForeignConverter.of("team", () -> converter), 3)).getMessage();
    }

    @Test
    void aTeamsConverterLoadedByNameConvertsAndIsReportedFromWhatTheTargetHolds() {
        source = Fixtures.generate(dir, Fixtures.DIRTY);
        target = Fixtures.target(dir);
        ForeignConverter converter = ForeignConverter.load("  " + TeamConverter.class.getName() + " ", getClass().getClassLoader());
        assertEquals(TeamConverter.class.getName(), converter.className());

        ConversionResult result = run(converter, 37);

        assertEquals(List.of(25L, 9L, 9L, 8L), List.of(result.revokedCertificates(), result.unmatchedRevocations(),
                result.quarantinedCertificates(), result.quarantinedKeys()));
        assertEquals(List.of(ledger.committedRowChanges(), ledger.committedTransactions(), 37L),
                List.of(result.rowChanges(), result.transactions(), result.largestTransaction()));
        assertEquals(ConversionResult.Outcome.CONVERTED, result.outcome());
        assertEquals("Converting " + source.display() + " into " + target.display() + " with converter " + TeamConverter.class.getName()
                + " (transactionCapacity 37): 40 users, 89 certificates, 48 keys, " + result.source().crlRows() + " CRL rows.", lines.get(0));
        assertEquals("Converted " + target.display() + " with " + TeamConverter.class.getName() + " in "
                + String.format(Locale.ROOT, "%.1f", result.elapsed().toMillis() / 1000.0) + " s: " + result.rowChanges()
                + " row changes in " + result.transactions() + " transactions, the largest 37 (capacity 37); 25 revoked, "
                + "9 unmatched revocations, 9 certificates and 8 keys quarantined.", lines.get(lines.size() - 1));
        VerificationReport report = Fixtures.verifyData(source, target);
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void theConverterIsHandedTheCapacityTheLogAndGuardedUrlsWhoseWritesAreCounted() {
        smallSource();
        List<String> seen = new ArrayList<>();
        AtomicInteger instances = new AtomicInteger();
        ForeignConverter converter = ForeignConverter.of("by code", () -> {
            instances.incrementAndGet();
            return context -> {
                seen.add(String.valueOf(context.transactionCapacity()));
                seen.add(String.valueOf(context.source().isReadOnly()));
                context.log("hello from the converter");
                try (Connection own = DriverManager.getConnection(context.targetUrl());
                     Connection read = DriverManager.getConnection(context.sourceUrl())) {
                    write(own, 4);
                    seen.add(String.valueOf(read.isReadOnly()));
                }
            };
        });

        ConversionResult first = run(converter, 5);

        assertEquals(List.of("5", "true", "true"), seen);
        assertEquals("hello from the converter", lines.get(1));
        assertEquals(List.of(4L, 1L, 4L), List.of(first.rowChanges(), first.transactions(), first.largestTransaction()));
        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(first.revokedCertificates(), first.unmatchedRevocations(),
                first.quarantinedCertificates(), first.quarantinedKeys()));
        assertEquals(1, instances.get());
        assertThrows(KmsDefectException.class, () -> run(converter, 5)); // APP.T exists now: a new instance fails on it
        assertEquals(2, instances.get());
    }

    @Test
    void aConverterThatThrowsFailsWithTheFirstLineOfItsMessage() {
        smallSource();
        assertEquals(Messages.format(Messages.CONVERTER_FAILED, "team", "java.lang.IllegalStateException: cannot read USAGE 'X'"),
                failure(context -> {
                    throw new IllegalStateException("cannot read USAGE 'X'\n\tat the second line");
                }));
        assertEquals(Messages.format(Messages.CONVERTER_FAILED, "team", "java.lang.UnsupportedOperationException"),
                failure(context -> {
                    throw new UnsupportedOperationException("  ");
                }));
        assertEquals(Messages.format(Messages.CONVERTER_FAILED, "team", "java.lang.NullPointerException"),
                failure(context -> {
                    throw new NullPointerException();
                }));
    }

    @Test
    void aTransactionBeyondTheCapacityAbortsTheConversionHoweverTheConverterWrappedTheRefusal() {
        smallSource();
        String aborted = Messages.format(Messages.CONVERTER_ABORTED, "team", 4, 3, 3);
        assertEquals(aborted, failure(context -> write(context.target(), 10)));
        target = Fixtures.address(dir, "wrapped");
        assertEquals(aborted, failure(context -> {
            try {
                write(context.target(), 10);
            } catch (SQLException e) {
                throw new IllegalStateException("the team's own wrapper", e);
            }
        }));
        Fixtures.shutdown(target);
        target = Fixtures.address(dir, "chained");
        assertEquals(aborted, failure(context -> {
            try {
                write(context.target(), 10);
            } catch (TransactionCapacityExceededException e) {
                SQLException batch = new SQLException("batch failed");
                batch.setNextException(e);
                throw batch;
            }
        }));
        Fixtures.shutdown(target);
        target = Fixtures.address(dir, "other");
        SQLException unrelated = new SQLException("no such table");
        unrelated.setNextException(new SQLException("and another"));
        assertEquals(Messages.format(Messages.CONVERTER_FAILED, "team", "java.sql.SQLException: no such table"), failure(context -> {
            throw unrelated;
        }));
        Fixtures.shutdown(target);
    }

    @Test
    void aSourceThatIsNotLegacyIsRefusedBeforeTheConverterRunsAndTheElapsedTimeIsTheRunsOwn() {
        smallSource();
        long before = System.nanoTime();
        ConversionResult converted = run(ForeignConverter.of("team", () -> context -> { }), 3);
        assertTrue(converted.elapsed().toNanos() <= System.nanoTime() - before, converted.elapsed()::toString);
        Fixtures.convert(source, target, 3, Strategy.CHUNKED);
        AtomicInteger runs = new AtomicInteger();
        DatabaseAddress kms55 = target;
        source = kms55;
        target = Fixtures.address(dir, "other");
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> run(ForeignConverter.of("team", () -> context -> runs.incrementAndGet()), 3));
        assertEquals(Messages.format(Messages.SOURCE_IS_KMS55, kms55.display()), refused.getMessage());
        assertEquals(0, runs.get());
    }

    @Test
    void aReadOnlyTargetIsRefused() {
        smallSource();
        target = DatabaseAddress.parse("target", "jdbc:derby:classpath:kms55", dir);
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> run(ForeignConverter.of("team", () -> context -> { }), 3));
        assertEquals(Messages.format(Messages.TARGET_IS_READ_ONLY_ARCHIVE, target.display()), refused.getMessage());
    }

    @Test
    void aClassThatIsNotALoadableConverterIsRefusedNamingTheFix() {
        ClassLoader loader = getClass().getClassLoader();
        assertEquals(Messages.format(Messages.CONVERTER_NOT_FOUND, "com.example.Missing"),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load("com.example.Missing", loader)).getMessage());
        assertEquals(Messages.format(Messages.CONVERTER_NOT_A_CONVERTER, "java.lang.String"),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load("java.lang.String", loader)).getMessage());
        assertEquals(Messages.format(Messages.CONVERTER_NO_CONSTRUCTOR, Abstract.class.getName()),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load(Abstract.class.getName(), loader)).getMessage());
        assertEquals(Messages.format(Messages.CONVERTER_NO_CONSTRUCTOR, WithArgument.class.getName()),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load(WithArgument.class.getName(), loader)).getMessage());
        assertEquals(Messages.format(Messages.CONVERTER_NOT_INSTANTIABLE, Failing.class.getName(),
                        "java.lang.IllegalStateException: no licence file"),
                assertThrows(KmsUsageException.class, () -> ForeignConverter.load(Failing.class.getName(), loader)).getMessage());
    }

    @Test
    void aLoadedConverterIsCreatedOnceWhenLoadedAndAgainForEachRun() {
        smallSource();
        Counting.instances.set(0);
        ForeignConverter converter = ForeignConverter.load(Counting.class.getName(), getClass().getClassLoader());
        assertEquals(1, Counting.instances.get());
        run(converter, 3);
        assertEquals(2, Counting.instances.get());
    }

    public abstract static class Abstract implements KmsConverter {
        public Abstract() {
        }
    }

    public static final class WithArgument implements KmsConverter {
        public WithArgument(int unused) {
        }

        @Override
        public void convert(ConversionContext context) {
        }
    }

    public static final class Failing implements KmsConverter {
        public Failing() {
            throw new IllegalStateException("no licence file");
        }

        @Override
        public void convert(ConversionContext context) {
        }
    }

    public static final class Counting implements KmsConverter {
        static final AtomicInteger instances = new AtomicInteger();

        public Counting() {
            instances.incrementAndGet();
        }

        @Override
        public void convert(ConversionContext context) {
        }
    }
}
