package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Formats;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks every invariant of the KMS formats between a {@code KMS50} source and a {@code KMS55}
 * target. Both databases are opened read-only and streamed in key order: one merge over users
 * ({@link UserPass}), one merge over the serial space of all eight certificate, key and revocation
 * tables ({@link SerialPass}), each invariant judged by its own check with its own counters.
 * Memory does not grow with the databases. Every mismatch is collected; the report names each
 * invariant, its two numbers and its first differing keys.
 *
 * <p>An unfinished or foreign target fails invariant 7 and its data invariants are reported as
 * skipped, not as data mismatches, unless {@code checkConversionRecord} is off (to verify a target
 * written by another converter, or what a failed conversion left). The embedded databases it
 * booted are shut down when it is done.
 *
 * <p>Public for gate, which verifies every case, and maven, whose verify goal runs it; not an API.
 */
public final class Verifier {

    /** What to verify. */
    public record Settings(Database source, Database target, int mismatchLimit, boolean checkConversionRecord,
                           Duration progressInterval) {
        public Settings {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Parameters.mismatchLimit(mismatchLimit);
            progressInterval = progressInterval == null ? Parameters.DEFAULT_PROGRESS_INTERVAL : progressInterval;
        }

        /** Progress every 10 seconds. */
        public Settings(Database source, Database target, int mismatchLimit, boolean checkConversionRecord) {
            this(source, target, mismatchLimit, checkConversionRecord, null);
        }

        /** The defaults: no credentials, the default mismatch limit, the record checked. */
        public static Settings of(DatabaseAddress source, DatabaseAddress target) {
            return new Settings(Database.of(source), Database.of(target), Parameters.DEFAULT_MISMATCH_LIMIT, true);
        }
    }

    private final KmsLog log;

    public Verifier(KmsLog log) {
        this.log = log;
    }

    /** Verifies and returns the report; it never throws for a mismatch (see {@link VerificationReport#requirePassed()}). */
    public VerificationReport verify(Settings settings) {
        try (Lease source = settings.source().lease(); Lease target = settings.target().lease()) {
            return verifyOpen(settings);
        }
    }

    private VerificationReport verifyOpen(Settings settings) {
        long started = System.nanoTime();
        try (Connection source = settings.source().openReadOnly();
             Connection target = settings.target().openReadOnly()) {
            Formats.requireLegacySource(source, settings.source().display());
            Formats.requireConvertedTarget(target, settings.target().display(), settings.checkConversionRecord());
            SourceFacts facts = SourceFacts.read(source);
            log.info(String.format(Locale.ROOT, "Verifying %s against %s: %,d users, %,d certificates, %,d keys, %,d CRL rows.",
                    settings.target().display(), settings.source().display(), facts.users(), facts.certificates(), facts.keys(),
                    facts.crlRows()));
            long recordStarted = System.nanoTime();
            InvariantResult record = ConversionRecordCheck.check(target, facts, settings.checkConversionRecord())
                    .withElapsed(Duration.ofNanos(System.nanoTime() - recordStarted));
            List<String> undeclared = DeclaredConstraints.undeclared(target);
            List<InvariantResult> results = new ArrayList<>();
            AtomicLong rowsStreamed = new AtomicLong();
            if (record.failed()) {
                for (Invariant invariant : Invariant.values()) {
                    if (invariant != Invariant.CONVERSION_RECORD) {
                        results.add(new InvariantResult(invariant, InvariantResult.Status.SKIPPED, 0, 0,
                                "not checked: " + record.detail(), List.of(), 0));
                    }
                }
            } else {
                // more source connections: one per source reader thread, one for user look-ups
                try (Connection lookups = settings.source().openReadOnly();
                     Connection keySource = settings.source().openReadOnly();
                     Connection targetLookups = settings.target().openReadOnly()) {
                    Progress progress = new Progress(log, "verify " + settings.target().display(),
                            facts.users() + facts.certificates() + facts.keys(), settings.progressInterval());
                    results.addAll(dataInvariants(new Streams(source, target, lookups, keySource, targetLookups, progress,
                            rowsStreamed), settings));
                    lookups.rollback();
                    keySource.rollback();
                    targetLookups.rollback();
                }
            }
            results.add(record);
            source.rollback();
            target.rollback();
            VerificationReport report = new VerificationReport(name(settings.target().address()), settings.source().display(),
                    settings.target().display(), results, rowsStreamed.get(), Duration.ofNanos(System.nanoTime() - started),
                    undeclared);
            log(report);
            return report;
        } catch (SQLException e) {
            throw new StoreException("Verifying " + settings.target().display(), e);
        }
    }

    /** Invariants 1 to 6, in order, each with its share of the time of the pass that judged it. */
    private static List<InvariantResult> dataInvariants(Streams streams, Settings settings) throws SQLException {
        RowEquality rows = new RowEquality(settings.mismatchLimit());
        long started;
        long usersDone;
        long serialsDone;
        UserPass users;
        SerialPass serials;
        try (TargetUserIds targetUsers = new TargetUserIds(streams.targetLookups())) {
            users = new UserPass(streams, rows, settings.mismatchLimit(), targetUsers);
            serials = new SerialPass(streams, rows, settings.mismatchLimit(), targetUsers, settings.checkConversionRecord());
            started = System.nanoTime();
            users.run();
            usersDone = System.nanoTime();
            serials.run();
            serialsDone = System.nanoTime();
        }
        List<InvariantResult> serialResults = new ArrayList<>(serials.results());
        serialResults.add(rows.result());
        Duration share = Duration.ofNanos((serialsDone - usersDone) / serialResults.size());
        List<InvariantResult> results = new ArrayList<>();
        results.add(users.result().withElapsed(Duration.ofNanos(usersDone - started)));
        serialResults.forEach(result -> results.add(result.withElapsed(share)));
        return results;
    }

    private void log(VerificationReport report) {
        if (!report.undeclaredConstraints().isEmpty()) {
            log.warn(Messages.format(Messages.UNDECLARED_CONSTRAINTS, report.undeclaredConstraints().size(),
                    String.join(", ", report.undeclaredConstraints())));
        }
        for (InvariantResult result : report.results()) {
            String line = "  " + result.status() + "  " + result.describe();
            if (result.failed()) {
                log.warn(line);
            } else {
                log.info(line);
            }
        }
        log.info(String.format(Locale.ROOT, "Verified %s against %s: %d of %d invariants hold (%,d rows compared in %.1f s).",
                report.target(), report.source(),
                report.results().stream().filter(r -> r.status() == InvariantResult.Status.PASSED).count(),
                report.results().size(), report.rowsCompared(), report.elapsed().toMillis() / 1000.0));
    }

    /** A short report name: the target directory's or database's last path element. */
    public static String name(DatabaseAddress address) {
        String text = address.directory().map(Path::getFileName).map(Path::toString).orElse(address.display());
        text = text.replaceAll("[;?].*$", "");
        int cut = Math.max(text.lastIndexOf('/'), Math.max(text.lastIndexOf(':'), text.lastIndexOf(')')));
        return text.substring(cut + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
