package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.TransactionCapacityExceededException;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.verify.Invariant;
import dev.kmsgate.kms.verify.InvariantResult;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The regression gate: for a capacity C and a strategy under test, it generates the boundary cases
 * (0, 1, C-1, C, C+1, 2C+1 and a large multiple of C revocations, a dirty database, and the user's
 * own cases), converts and verifies each on independent databases in parallel, and judges each by
 * what the capacity guard measured, not by what the converter reported. Then it proves it can fail:
 * the reference defect must be refused under the capacity on a case above C, and verification of
 * what it left must fail. A failing case never hides the others.
 */
public final class RegressionGate {

    /** What the gate runs. */
    public record Settings(int capacity, Strategy strategy, List<GateCase> extraCases, int threads,
                           int largeMultiple, long seed, int mismatchLimit, Path workDirectory, Duration progressInterval) {
        public Settings {
            ConversionSettings.requireCapacity(capacity);
            extraCases = List.copyOf(extraCases);
            threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            if (largeMultiple < 3) {
                throw new KmsUsageException(Messages.format(Messages.LARGE_MULTIPLE_TOO_SMALL, largeMultiple));
            }
            progressInterval = progressInterval == null ? Duration.ofSeconds(10) : progressInterval;
        }

        /** The cases to run: the boundaries, the dirty database, and the user's. */
        public List<GateCase> cases() {
            List<GateCase> cases = new ArrayList<>(GateCase.boundaryCases(capacity, largeMultiple, seed));
            cases.addAll(extraCases);
            return cases;
        }
    }

    private final KmsLog log;
    private final Function<ConversionSettings, ConversionResult> converter;
    private final Function<Verifier.Settings, VerificationReport> verifier;
    private final ConcurrentHashMap<String, Object> generationLocks = new ConcurrentHashMap<>();

    public RegressionGate(KmsLog log) {
        this(log, settings -> new Converter(KmsLog.silent()).convert(settings), settings -> new Verifier(KmsLog.silent()).verify(settings));
    }

    /** For tests of the gate itself: a converter and a verifier to judge. */
    RegressionGate(KmsLog log, Function<ConversionSettings, ConversionResult> converter,
                   Function<Verifier.Settings, VerificationReport> verifier) {
        this.log = log;
        this.converter = converter;
        this.verifier = verifier;
    }

    /** Runs every case and the self-proof; never throws for a failing case (see {@link #runOrFail}). */
    public GateReport run(Settings settings) {
        long started = System.nanoTime();
        List<GateCase> cases = settings.cases();
        log.info(String.format(Locale.ROOT, "KMS Gate regression: strategy %s, transactionCapacity %,d, %d cases on %d threads.",
                settings.strategy(), settings.capacity(), cases.size(), settings.threads()));
        List<CaseResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), runnable -> {
            Thread thread = new Thread(runnable, "kms-gate-case");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<CaseResult>> futures = new ArrayList<>();
            for (GateCase gateCase : cases) {
                futures.add(pool.submit(() -> runCase(settings, gateCase)));
            }
            for (int i = 0; i < futures.size(); i++) {
                results.add(await(futures.get(i), cases.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
        GateCase proofCase = cases.stream().filter(c -> c.name().equals("C+1")).findFirst()
                .orElseGet(() -> GateCase.boundaryCases(settings.capacity(), settings.largeMultiple(), settings.seed()).get(4));
        GateReport.SelfProof proof = selfProof(settings, proofCase);
        GateReport report = new GateReport(settings.capacity(), settings.strategy().id(), settings.threads(), results, proof,
                Duration.ofNanos(System.nanoTime() - started));
        GateTable.print(report, log);
        return report;
    }

    /** Runs the gate and throws {@link KmsDefectException} naming every failing case, or a blind gate. */
    public GateReport runOrFail(Settings settings) {
        GateReport report = run(settings);
        if (!report.passed()) {
            throw new KmsDefectException(failureMessage(report));
        }
        return report;
    }

    /** The build failure message: every failing case and why, and blindness if any. */
    public static String failureMessage(GateReport report) {
        StringBuilder message = new StringBuilder();
        if (!report.failures().isEmpty()) {
            message.append(String.format(Locale.ROOT, "The KMS gate failed at transactionCapacity %,d with strategy '%s': %d of %d cases fall short.",
                    report.capacity(), report.strategy(), report.failures().size(), report.cases().size()));
            for (CaseResult failure : report.failures()) {
                message.append(System.lineSeparator()).append("  - case ").append(failure.gateCase().name()).append(": ")
                        .append(String.join("; ", failure.problems()));
            }
        }
        if (!report.proof().sighted()) {
            if (message.length() > 0) {
                message.append(System.lineSeparator());
            }
            message.append("The gate is blind: the reference defect (single-transaction) on case ").append(report.proof().caseName())
                    .append(" was not caught: ").append(String.join("; ", report.proof().blindness()))
                    .append(". A gate that cannot fail proves nothing; fix the capacity guard or the verifier.");
        }
        return message.toString();
    }

    private static CaseResult await(Future<CaseResult> future, GateCase gateCase) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KmsUsageException(Messages.format(Messages.GATE_INTERRUPTED, gateCase.name()), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new CaseResult(gateCase, 0, 0, 0, List.of("could not run: " + cause), cause.toString(), null, Duration.ZERO);
        }
    }

    private CaseResult runCase(Settings settings, GateCase gateCase) {
        long started = System.nanoTime();
        DatabaseAddress source = source(settings, gateCase.profile());
        DatabaseAddress target = target(settings, gateCase.name(), settings.strategy().id());
        TransactionLedger ledger = new TransactionLedger();
        List<String> problems = new ArrayList<>();
        String conversionProblem = null;
        VerificationReport verification = null;
        double rowsPerSecond = 0;
        try {
            generate(source, gateCase.profile());
            Databases.drop(target, Credentials.NONE);
            try {
                ConversionResult result = converter.apply(new ConversionSettings(source, null, target, null,
                        settings.capacity(), settings.strategy(), false, ledger, settings.progressInterval()));
                rowsPerSecond = result.rowsPerSecond();
            } catch (KmsDefectException e) {
                conversionProblem = e.getMessage();
                problems.add("conversion aborted: " + e.getMessage());
            }
            if (ledger.largestTransaction() > settings.capacity()) {
                problems.add(String.format(Locale.ROOT, "the largest transaction held %,d row changes, beyond the capacity of %,d",
                        ledger.largestTransaction(), settings.capacity()));
            }
            verification = verifier.apply(new Verifier.Settings(source, null, target, null, settings.mismatchLimit(), true));
            for (InvariantResult failure : verification.failures()) {
                problems.add(failure.describe());
            }
        } catch (KmsException e) {
            problems.add("could not run: " + e.getMessage());
        } finally {
            shutdownQuietly(source);
            shutdownQuietly(target);
        }
        return new CaseResult(gateCase, ledger.committedTransactions(), ledger.largestTransaction(), rowsPerSecond,
                problems, conversionProblem, verification, Duration.ofNanos(System.nanoTime() - started), ledger.history());
    }

    private GateReport.SelfProof selfProof(Settings settings, GateCase proofCase) {
        DatabaseAddress source = source(settings, proofCase.profile());
        DatabaseAddress target = target(settings, proofCase.name(), "reference-defect");
        TransactionLedger ledger = new TransactionLedger();
        List<String> blindness = new ArrayList<>();
        long refusedAt = 0;
        List<Integer> failed = List.of();
        List<Integer> failedData = List.of();
        try {
            generate(source, proofCase.profile());
            Databases.drop(target, Credentials.NONE);
            try {
                converter.apply(new ConversionSettings(source, null, target, null, settings.capacity(),
                        Strategy.SINGLE_TRANSACTION, false, ledger, settings.progressInterval()));
                blindness.add("its conversion of " + proofCase.revocations() + " revocations at capacity "
                        + settings.capacity() + " reported success");
            } catch (KmsDefectException e) {
                refusedAt = e.getCause() instanceof TransactionCapacityExceededException refusal ? refusal.attempted() : ledger.largestTransaction();
            }
            if (ledger.refusedTransactions() == 0 || ledger.largestTransaction() <= settings.capacity()) {
                blindness.add("the capacity guard refused no transaction (largest " + ledger.largestTransaction() + ")");
            }
            VerificationReport full = verifier.apply(new Verifier.Settings(source, null, target, null, settings.mismatchLimit(), true));
            failed = failedNumbers(full);
            if (full.passed()) {
                blindness.add("verification of what it left passed");
            }
            VerificationReport data = verifier.apply(new Verifier.Settings(source, null, target, null, settings.mismatchLimit(), false));
            failedData = failedNumbers(data);
            if (data.result(Invariant.REVOCATION_COUNT).status() != InvariantResult.Status.FAILED
                    && data.result(Invariant.REVOCATION_SET).status() != InvariantResult.Status.FAILED) {
                blindness.add("the revocation invariants (4, 5) did not see the missing revocations");
            }
        } catch (KmsException e) {
            blindness.add("the proof could not run: " + e.getMessage());
        } finally {
            shutdownQuietly(source);
            shutdownQuietly(target);
        }
        return new GateReport.SelfProof(proofCase.name(), proofCase.revocations(), refusedAt, failed, failedData, blindness);
    }

    private static List<Integer> failedNumbers(VerificationReport report) {
        return report.failures().stream().map(r -> r.invariant().number()).toList();
    }

    /** Sources are keyed by profile, so an identical database is generated once and reused. */
    static DatabaseAddress source(Settings settings, Profile profile) {
        Path dir = settings.workDirectory().resolve("sources").resolve(profileKey(profile));
        return DatabaseAddress.parse("source", dir.toString(), settings.workDirectory());
    }

    private static DatabaseAddress target(Settings settings, String caseName, String variant) {
        Path dir = settings.workDirectory().resolve("targets").resolve(fileName(caseName) + "-" + variant);
        return DatabaseAddress.parse("target", dir.toString(), settings.workDirectory());
    }

    /** Generation is serialised per source: two cases never build the same database at once. */
    private void generate(DatabaseAddress source, Profile profile) {
        synchronized (generationLocks.computeIfAbsent(source.url(), url -> new Object())) {
            new Generator(KmsLog.silent()).generate(new Generator.Settings(
                    DatabaseAddress.parse("database", source.display(), Path.of(source.display())), Credentials.NONE, profile, true));
        }
    }

    static String fileName(String name) {
        return name.replaceAll("[^A-Za-z0-9._+-]", "_");
    }

    private static String profileKey(Profile profile) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(profile.key().getBytes(StandardCharsets.UTF_8));
            return "profile-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void shutdownQuietly(DatabaseAddress address) {
        try {
            Databases.shutdown(address, Credentials.NONE);
        } catch (KmsException e) {
            // the case's own outcome is what counts; a database that will not shut down is released at JVM exit
        }
    }
}
