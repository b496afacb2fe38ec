package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.FileNames;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.WorkMeter;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;

import dev.kmsgate.kms.store.FileClaim;
import dev.kmsgate.kms.store.Databases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Function;

/**
 * Runs one case: its source (generated once per profile, or the user's own database), a fresh
 * target, the converter under test, and the judgement: the largest transaction from the guard's
 * ledger, rows that reached the target around the guard, and verification of what it holds.
 */
final class CaseRunner {

    private final RegressionGate.Settings settings;
    private final ConverterUnderTest converter;
    private final Function<Verifier.Settings, VerificationReport> verifier;
    private final ConcurrentHashMap<String, Object> generationLocks = new ConcurrentHashMap<>();
    private final Path runDirectory;

    private static final Pattern RUN_DIRECTORY = Pattern.compile("(\\d+)-\\d+");
    private static final AtomicInteger RUNS = new AtomicInteger();

    CaseRunner(RegressionGate.Settings settings, ConverterUnderTest converter, Function<Verifier.Settings, VerificationReport> verifier) {
        this.settings = settings;
        this.converter = converter;
        this.verifier = verifier;
        this.runDirectory = runDirectory(settings.workDirectory());
        // a cold gate copies the empty databases its targets and sources start from instead of creating them
        Databases.keepEmptyDatabasesIn(settings.sourcesDirectory().resolve(GateSources.EMPTY_DATABASES));
    }

    RegressionGate.Settings settings() {
        return settings;
    }

    ConverterUnderTest converter() {
        return converter;
    }

    CaseResult run(GateCase gateCase) {
        long started = System.nanoTime();
        Database source = sourceOf(gateCase);
        // held from the generation (or the check that reuses it) to the judgement, so the source boots once;
        // the claim keeps every other JVM (another build's gate) from booting it meanwhile, and waits for theirs
        try (FileClaim claim = claimSource(gateCase); Lease held = source.lease()) {
            source(gateCase);
            return run(gateCase, source, started);
        }
    }

    private CaseResult run(GateCase gateCase, Database source, long started) {
        Database target = target(gateCase.name(), settings.strategy().id());
        TransactionLedger ledger = new TransactionLedger();
        List<String> problems = new ArrayList<>();
        String conversionProblem = null;
        String capacityProblem = null;
        VerificationReport verification = null;
        CaseSize size = gateCase.profile() == null ? null : CaseSize.of(gateCase.profile());
        double rowsPerSecond = 0;
        Duration work = Duration.ZERO;
        try (Lease sourceLease = source.lease(); Lease targetLease = target.lease()) {
            size = size != null ? size : readSize(source);
            created(target);
            WorkMeter meter = WorkMeter.start();
            ledger.trackWork();
            try (meter) {
                ConversionResult result = converter.convert(conversion(source, target, ledger));
                rowsPerSecond = result.rowsPerSecond();
            } catch (KmsDefectException e) {
                conversionProblem = e.getMessage();
                problems.add("conversion aborted: " + e.getMessage());
            }
            work = meter.work();
            capacityProblem = capacityProblem(ledger.largestTransaction());
            if (capacityProblem != null) {
                problems.add(capacityProblem);
            }
            verification = judge(source, target, ledger.committedRowChanges(), problems);
        } catch (KmsException e) {
            problems.add("could not run: " + e.getMessage());
        }
        return new CaseResult(gateCase, size == null ? new CaseSize(0, 0, 0) : size, ledger.committedTransactions(),
                ledger.largestTransaction(), rowsPerSecond, problems, conversionProblem, capacityProblem, verification,
                Duration.ofNanos(System.nanoTime() - started), ledger.history(), work, ledger.phaseWork());
    }

    /**
     * The CPU time the converter spends on a case, converting it into a target of its own, without
     * judging what it wrote: one of the scaling proof's measurements.
     *
     * @throws KmsDefectException when the conversion fails
     */
    Duration work(GateCase gateCase, String variant) {
        return work(gateCase, variant, null);
    }

    /**
     * The CPU time the converter spends on a case, as {@link #work(GateCase, String)}, but stopped
     * (its target's connections fail, as in a simulated crash) once the converting thread has spent
     * {@code budget}: the measurement then says only that it took at least that.
     *
     * @param budget the most CPU time worth spending, or null for no limit
     * @return the work, or {@code budget} when the run was stopped there
     */
    Duration work(GateCase gateCase, String variant, Duration budget) {
        Database source = sourceOf(gateCase);
        try (FileClaim claim = claimSource(gateCase); Lease held = source.lease()) {
            source(gateCase);
            Database target = target(gateCase.name(), variant);
            try (Lease targetLease = target.lease()) {
                created(target);
                TransactionLedger ledger = new TransactionLedger();
                WorkMeter meter = WorkMeter.start();
                ledger.trackWork(); // the same bookkeeping as an ordinary run's, so that both sizes pay it
                try (meter; Watchdog watchdog = budget == null ? null : new Watchdog(budget, ledger)) {
                    try {
                        converter.convert(conversion(source, target, ledger));
                    } catch (KmsException e) {
                        if (!ledger.crashed()) {
                            throw e;
                        }
                    }
                }
                return ledger.crashed() ? budget : meter.work();
            }
        }
    }

    /** Stops a run, by crashing its ledger, once the thread that started it has spent its budget of CPU time. */
    private static final class Watchdog implements AutoCloseable {
        private final Thread watcher;

        Watchdog(Duration budget, TransactionLedger ledger) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long converting = Thread.currentThread().getId();
            long limit = threads.getThreadUserTime(converting) + budget.toNanos();
            watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (threads.getThreadUserTime(converting) >= limit) {
                        ledger.crashNow();
                        return;
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "kms-gate-scaling-watchdog");
            watcher.setDaemon(true);
            watcher.start();
        }

        @Override
        public void close() {
            watcher.interrupt();
        }
    }

    /**
     * A new empty target, booted: it stays booted while the caller's lease holds it, so the
     * converter's work, as {@link WorkMeter} measures it, holds none of Derby's creation and boot.
     */
    private static void created(Database target) {
        target.drop();
        try (Connection connection = target.openOrCreate()) {
            connection.rollback();
        } catch (SQLException e) {
            throw new StoreException("Creating " + target.display(), e);
        }
    }

    /** The settings of one conversion of a case, into a ledger of its own. */
    ConversionSettings conversion(Database source, Database target, TransactionLedger ledger) {
        return new ConversionSettings(source, target, settings.transactionCapacity(), settings.strategy(), false, ledger,
                settings.progressInterval());
    }

    /** The gate's verdict on a largest transaction, or null when it is within the capacity. */
    String capacityProblem(long largestTransaction) {
        if (largestTransaction <= settings.transactionCapacity()) {
            return null;
        }
        return String.format(Locale.ROOT, "the largest transaction held %,d row changes, beyond the capacity of %,d",
                largestTransaction, settings.transactionCapacity());
    }

    /**
     * Judges what a target holds after the converter (and any resumed run) is done: rows that
     * reached it around the guard, then every invariant that applies to the converter.
     *
     * @param countedRowChanges the row changes the guard counted into the target, over every run
     */
    VerificationReport judge(Database source, Database target, long countedRowChanges, List<String> problems) {
        long rows = rowsIn(target);
        if (rows > countedRowChanges) {
            problems.add(Messages.format(Messages.CONVERTER_BYPASSED_GUARD, rows, countedRowChanges));
        }
        VerificationReport verification = verifier.apply(new Verifier.Settings(source, target, settings.mismatchLimit(),
                converter.recordsConversion()));
        for (InvariantResult failure : verification.failures()) {
            problems.add(failure.describe());
        }
        return verification;
    }

    private static long rowsIn(Database target) {
        try (Connection connection = target.openReadOnly()) {
            long rows = Schemas.totalRows(connection);
            connection.rollback();
            return rows;
        } catch (SQLException e) {
            throw new StoreException("Counting the rows of " + target.display(), e);
        }
    }

    private static CaseSize readSize(Database source) {
        try (Connection connection = source.openReadOnly()) {
            CaseSize size = CaseSize.read(connection);
            connection.rollback();
            return size;
        } catch (SQLException e) {
            throw new StoreException("Reading " + source.display(), e);
        }
    }

    /** Where a case's source is, without generating it: hold a lease on it, then call {@link #source}, so it boots once. */
    Database sourceOf(GateCase gateCase) {
        return gateCase.source() != null ? gateCase.source() : generatedSource(settings, gateCase.profile());
    }

    /** A case's source, generated first when it comes from a profile. */
    Database source(GateCase gateCase) {
        if (gateCase.source() != null) {
            return gateCase.source();
        }
        Database source = generatedSource(settings, gateCase.profile());
        synchronized (generationLocks.computeIfAbsent(source.address().url(), url -> new Object())) {
            if (!Generator.holds(source.as("database"), gateCase.profile())) { // a kept source is used as it is, its CA file as it was written
                new Generator(KmsLog.silent()).generate(new Generator.Settings(source.as("database"), gateCase.profile(), true));
            }
        }
        return source;
    }

    /**
     * Sources are keyed by profile (its generation included), so an identical database is generated
     * once and reused, by this gate and by every other that shares the sources directory.
     */
    static Database generatedSource(RegressionGate.Settings settings, Profile profile) {
        Path dir = settings.sourcesDirectory().resolve(GateSources.directoryName(profile));
        return Database.of(DatabaseAddress.parse("source", dir.toString(), settings.workDirectory()));
    }

    /**
     * A claim on a case's source against every other JVM: an embedded database boots in one JVM at a
     * time, and a source another gate is generating must not be read half-made. Taken before the
     * source's lease and released after it, so the database is shut down before another JVM boots it.
     * A user's own source is claimed too (it may be a directory that two builds boot); a network one
     * needs no claim but takes one harmlessly.
     */
    FileClaim claimSource(GateCase gateCase) {
        Database source = sourceOf(gateCase);
        FileClaim claim = FileClaim.claim(GateSources.lockFile(settings.sourcesDirectory(), source.address().url()));
        if (gateCase.profile() != null) {
            touch(source.address().directory().orElseThrow());
        }
        return claim;
    }

    /** Marks a generated source as used now: the store evicts the least recently used first. */
    private static void touch(Path directory) {
        try {
            if (Files.isDirectory(directory)) {
                Files.setLastModifiedTime(directory, FileTime.from(Instant.now()));
            }
        } catch (IOException e) {
            // a source whose time cannot be set is only evicted sooner
        }
    }

    /**
     * A target of its own for a case and a variant of it ({@code chunked}, {@code reference-defect},
     * {@code trial-2}), in this run's own directory: two gates of one project at once never share one.
     * KMS Gate's own converter finds the empty KMS55 schema in place; a user's converter, an empty
     * database, as the SPI says.
     */
    Database target(String caseName, String variant) {
        Path dir = runDirectory.resolve(FileNames.safe(caseName) + "-" + variant);
        DatabaseAddress address = DatabaseAddress.parse("target", dir.toString(), settings.workDirectory());
        return converter.isBuiltIn() ? Database.gateTargetWithKms55Schema(address) : Database.gateTarget(address);
    }

    /**
     * This run's targets: {@code targets/<pid>-<n>} under the work directory. The directories of runs
     * whose JVM has ended are removed first, so a failing run's targets stay for a look until the next run.
     */
    private static Path runDirectory(Path workDirectory) {
        Path targets = workDirectory.resolve("targets");
        long pid = ProcessHandle.current().pid();
        if (Files.isDirectory(targets)) {
            try (DirectoryStream<Path> runs = Files.newDirectoryStream(targets)) {
                for (Path run : runs) {
                    Matcher owner = RUN_DIRECTORY.matcher(run.getFileName().toString());
                    boolean alive = owner.matches() && ProcessHandle.of(Long.parseLong(owner.group(1))).map(ProcessHandle::isAlive).orElse(false);
                    if (!alive) {
                        Databases.deleteRecursively(run);
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // an old run's targets that cannot be listed or removed take only space
            }
        }
        return targets.resolve(pid + "-" + RUNS.incrementAndGet());
    }
}
