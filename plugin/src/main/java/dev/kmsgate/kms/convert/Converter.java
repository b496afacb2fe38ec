package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.CapacityGuard;
import dev.kmsgate.kms.store.ConversionRecord;
import dev.kmsgate.kms.store.Formats;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionCapacityExceededException;
import dev.kmsgate.kms.store.TransactionLedger;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Converts a legacy {@code KMS50} source into a {@code KMS55} target under a transaction capacity.
 *
 * <p>The source is opened read-only. The target connection goes through a {@link CapacityGuard},
 * so every writer, bookkeeping included, is held to the capacity. Rows are streamed in key order
 * from the source and written in chunks of at most the capacity; each chunk commits a prefix of
 * the conversion's row changes in a fixed order, so the greatest key committed is the checkpoint,
 * and a run stopped at any instant resumes exactly where it stopped.
 *
 * <p>This class opens, checks, locks and prepares the databases and turns a run's end into its
 * outcome; {@link ConversionRun} runs the phases: {@code USERS} (by {@code USER_ID}), then
 * {@code SERIALS} ({@link SerialPass}: one merged pass over the certificates, keys and CRL in
 * serial order, which writes each certificate with its effective revocation or quarantines it,
 * each key to the archive or quarantine, and each unmatched revocation), then {@code KEYS}. The
 * {@code single-transaction} strategy writes every certificate as valid instead, then applies all
 * revocations in one {@code REVOCATIONS} transaction, as KB Q193567's upgrade did.
 *
 * <p>Public for gate, which runs it on every case, and maven, whose convert goal runs it;
 * not an API.
 */
public final class Converter {

    /** The tool version recorded with each conversion: the plugin's own version. */
    public static final String TOOL_VERSION = truncated("kms-gate " + pluginVersion());

    /** KMS_CONVERSION.TOOL_VERSION holds 32 characters. */
    private static String truncated(String version) {
        return version.length() <= 32 ? version : version.substring(0, 32);
    }

    /** The version Maven packaged the plugin with, or {@code development} when run from a build's classes. */
    private static String pluginVersion() {
        try (InputStream in = Converter.class.getResourceAsStream("/META-INF/maven/dev.kmsgate/kms-maven-plugin/pom.properties")) {
            if (in == null) {
                return "development";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "development");
        } catch (IOException e) {
            return "development";
        }
    }

    private final KmsLog log;

    public Converter(KmsLog log) {
        this.log = log;
    }

    /** Runs (or resumes) the conversion. */
    public ConversionResult convert(ConversionSettings settings) {
        try (Lease source = settings.source().lease(); Lease target = settings.target().lease()) {
            return convertLeased(settings);
        }
    }

    private ConversionResult convertLeased(ConversionSettings settings) {
        long started = System.nanoTime();
        if (settings.target().address().isReadOnly()) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_IS_READ_ONLY_ARCHIVE, settings.target().display()));
        }
        try (Connection source = settings.source().openReadOnly()) {
            Formats.requireLegacySource(source, settings.source().display());
            SourceFacts facts = SourceFacts.read(source);
            try (ConversionLock lock = ConversionLock.acquire(settings.target().address())) {
                return convert(settings, source, facts, lock, started);
            } finally {
                source.rollback(); // nothing to undo: a read-only source ends its read transaction
            }
        } catch (SQLException e) {
            throw diskFullOr(settings, new StoreException("Reading " + settings.source().display(), e));
        } catch (StoreException e) {
            throw diskFullOr(settings, e);
        }
    }

    /** A full disk is the user's to fix, and a resume finishes the job: say so instead of the engine's words. */
    private static RuntimeException diskFullOr(ConversionSettings settings, StoreException e) {
        if (Sql.isDiskFull(e)) {
            return new KmsUsageException(Messages.format(Messages.DISK_FULL, settings.target().display()), e);
        }
        return e;
    }

    private ConversionResult convert(ConversionSettings settings, Connection source, SourceFacts facts,
                                     ConversionLock lock, long started) throws SQLException {
        TransactionLedger ledger = settings.ledger();
        long committedBefore = ledger.committedRowChanges();
        long transactionsBefore = ledger.committedTransactions();
        try (Connection target = CapacityGuard.guard(
                settings.target().openOrCreate(), settings.transactionCapacity(), ledger)) {
            ConversionRecord record = prepareTarget(target, settings, facts);
            if (record != null && record.finished()) {
                return alreadyFinished(settings, facts, record, started);
            }
            lock.lockDatabase(settings.target());
            if (record != null) {
                // another converter may have finished it between the first look and the lock
                record = ConversionRecord.read(target);
                target.rollback();
                if (record != null && record.finished()) {
                    return alreadyFinished(settings, facts, record, started);
                }
            }
            boolean resumed = record != null;
            Tally before = resumed ? Tally.committed(target) : new Tally();
            target.rollback();
            log.info(String.format(Locale.ROOT, "%s %s into %s (strategy %s, transactionCapacity %,d): %,d users, %,d certificates, %,d keys, %,d CRL rows.",
                    resumed ? "Resuming the conversion of" : "Converting", settings.source().display(), settings.target().display(),
                    settings.strategy(), settings.transactionCapacity(), facts.users(), facts.certificates(), facts.keys(), facts.crlRows()));
            if (resumed) {
                log.info(String.format(Locale.ROOT, "The earlier runs committed %,d users, %,d certificates, %,d keys and %,d unmatched "
                        + "revocations; this run goes on after them.", before.users, before.certificates, before.keys, before.unmatched));
            }
            try (StopSignal stop = StopSignal.install(log, settings.target().display())) {
                ConversionRun run = new ConversionRun(log, source, target, settings, facts, stop, before, committedBefore,
                        transactionsBefore);
                int runNo = run.begin();
                try {
                    run.phases();
                } catch (StopSignal.Stopped e) {
                    run.end(runNo, "INTERRUPTED", e.getMessage());
                    String message = Messages.format(Messages.CONVERSION_INTERRUPTED, settings.target().display());
                    log.warn(message);
                    throw new KmsUsageException(message, e);
                } catch (TransactionCapacityExceededException e) {
                    run.end(runNo, "FAILED", e.getMessage());
                    throw new KmsDefectException(Messages.format(Messages.CONVERSION_ABORTED, e.attempted(), e.capacity(),
                            settings.strategy(), settings.transactionCapacity()), e);
                } catch (SQLException | RuntimeException e) {
                    Sql.rollbackQuietly(target, e);
                    try {
                        run.end(runNo, "FAILED", e.getClass().getSimpleName());
                    } catch (RuntimeException secondary) {
                        e.addSuppressed(secondary);
                    }
                    if (e instanceof SQLException sql) {
                        throw new StoreException("Converting into " + settings.target().display(), sql);
                    }
                    throw (RuntimeException) e;
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                run.finish(runNo);
                ConversionResult result = new ConversionResult(
                        resumed ? ConversionResult.Outcome.RESUMED : ConversionResult.Outcome.CONVERTED, facts,
                        ledger.committedRowChanges() - committedBefore, ledger.committedTransactions() - transactionsBefore,
                        ledger.largestTransaction(), run.tally.revoked, run.tally.unmatched, run.tally.quarantinedCerts,
                        run.tally.quarantinedKeys, elapsed);
                log.info(String.format(Locale.ROOT, "%s %s in %.1f s: %,d row changes in %,d transactions%s, the largest %,d (capacity %,d); "
                                + "%,d revoked, %,d unmatched revocations, %,d certificates and %,d keys quarantined.",
                        resumed ? "Resumed and finished" : "Converted", settings.target().display(), elapsed.toMillis() / 1000.0,
                        result.rowChanges(), result.transactions(), resumed ? " in this run" : "", result.largestTransaction(),
                        settings.transactionCapacity(), run.tally.revoked, run.tally.unmatched, run.tally.quarantinedCerts, run.tally.quarantinedKeys));
                return result;
            }
        }
    }

    private ConversionResult alreadyFinished(ConversionSettings settings, SourceFacts facts, ConversionRecord record, long started) {
        log.info(Messages.format(Messages.TARGET_ALREADY_FINISHED, settings.target().display(), record.finishedAt() == null
                ? "at an unrecorded time" : record.finishedAt().toInstant().truncatedTo(ChronoUnit.SECONDS)));
        return new ConversionResult(ConversionResult.Outcome.ALREADY_FINISHED, facts, 0, 0, 0, 0, 0, 0, 0,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** Creates, checks or resets the target; returns its record, or null for a fresh conversion. */
    private ConversionRecord prepareTarget(Connection target, ConversionSettings settings, SourceFacts facts) throws SQLException {
        String where = settings.target().display();
        Set<String> tables = Schemas.tables(target, Kms55Schema.SCHEMA);
        if (tables.isEmpty()) {
            if (!Schemas.tables(target, Kms50Schema.SCHEMA).isEmpty()) {
                throw new KmsUsageException(Messages.format(Messages.TARGET_IS_KMS50, where));
            }
            Set<String> others = Schemas.otherTables(target, Set.of());
            if (!others.isEmpty()) {
                throw new KmsUsageException(Messages.format(Messages.TARGET_HAS_OTHER_TABLES, where, String.join(", ", others)));
            }
            create(target, settings, facts);
            return null;
        }
        ConversionRecord record = ConversionRecord.read(target);
        if (record == null && settings.target().createdWithKms55Schema() && tables.equals(Kms55Schema.TABLES)) {
            // a gate target copied with the empty schema in place: only the record of this conversion is missing
            recordConversion(target, settings, facts);
            return null;
        }
        if (record == null) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_OURS, where));
        }
        target.rollback();
        if (settings.restart()) {
            log.info("Discarding the conversion in " + where + " and starting over (restart is set).");
            Kms55Schema.drop(target);
            create(target, settings, facts);
            return null;
        }
        if (!record.isOf(facts)) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_OTHER_SOURCE, where,
                    record.shortFingerprint(), facts.shortFingerprint()));
        }
        if (!record.finished() && !record.strategy().equals(settings.strategy().id())) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_OTHER_STRATEGY, where, record.strategy(),
                    settings.strategy().id(), record.strategy()));
        }
        return record;
    }

    private static void create(Connection target, ConversionSettings settings, SourceFacts facts) throws SQLException {
        Kms55Schema.create(target);
        recordConversion(target, settings, facts); // the schema and its conversion record appear together, or not at all
    }

    private static void recordConversion(Connection target, ConversionSettings settings, SourceFacts facts) throws SQLException {
        Sql.update(target, Kms55Schema.INSERT_CONVERSION, Kms55Schema.FORMAT_VERSION, facts.fingerprint(),
                settings.source().display(), settings.strategy().id(), Timestamp.from(Instant.now()), TOOL_VERSION);
        target.commit();
    }
}
