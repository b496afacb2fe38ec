package dev.kmsgate.kms.convert;

import java.time.temporal.ChronoUnit;
import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.CapacityGuard;
import dev.kmsgate.kms.store.ChunkWriter;
import dev.kmsgate.kms.store.EffectiveRevocations;
import dev.kmsgate.kms.store.KeyAndRevocation;
import dev.kmsgate.kms.store.ReadAhead;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.OrderedCursor;
import dev.kmsgate.kms.store.Rows;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionCapacityExceededException;
import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.store.UserIds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;
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
 * <p>Phases: {@code USERS} (by {@code USER_ID}), then {@code SERIALS}: one merged pass over the
 * certificates, keys and CRL in serial order, which writes each certificate with its effective
 * revocation (or quarantines it), each key to the archive (or quarantine), and each unmatched
 * revocation. The {@code single-transaction} strategy writes every certificate as valid instead,
 * then applies all revocations in one {@code REVOCATIONS} transaction, as KB Q193567's upgrade did.
 */
public final class Converter {

    /** The tool version recorded with each conversion. */
    public static final String TOOL_VERSION = "kms-gate-1";

    static final String PHASE_USERS = Kms55Schema.PHASE_USERS;
    static final String PHASE_SERIALS = Kms55Schema.PHASE_SERIALS;
    static final String PHASE_KEYS = Kms55Schema.PHASE_KEYS;
    static final String PHASE_REVOCATIONS = Kms55Schema.PHASE_REVOCATIONS;


    // kinds of row change at one serial, in the order they are written
    private static final int CERT = 0;
    private static final int KEY = 1;
    private static final int UNMATCHED = 2;

    // target tables of the serial pass, in the order their batches run
    private static final int TO_CERTIFICATES = 0;
    private static final int TO_QUARANTINED_CERT = 1;
    private static final int TO_KEY_ARCHIVE = 2;
    private static final int TO_QUARANTINED_KEY = 3;
    private static final int TO_UNMATCHED = 4;

    /** Below this many certificates, adding the keys takes well under a second and is not announced. */
    private static final long QUIET_KEYS_BELOW = 100_000;

    /** Row changes per commit: the capacity, up to this; more rows per commit stop paying off well before it. */
    private static final int MAX_ROWS_PER_COMMIT = 10_000;

    /** Rows per read-ahead batch, and batches a reader may run ahead of the writer. */
    private static final int READ_BATCH = 256;
    private static final int READ_DEPTH = 4;

    /** A source certificate and whether its user exists, as the certificate reader delivers them. */
    private record SourceCert(Rows.Cert cert, boolean userKnown) {
    }

    /** Takes the next read-ahead item, turning the reader's failures back into what they were. */
    private static <T> T next(ReadAhead<T> stream) throws SQLException {
        return stream.nextRow(() -> new KmsUsageException(Messages.CONVERSION_THREAD_INTERRUPTED));
    }

    private final KmsLog log;

    public Converter(KmsLog log) {
        this.log = log;
    }

    /** Runs (or resumes) the conversion. */
    public ConversionResult convert(ConversionSettings settings) {
        long started = System.nanoTime();
        if (settings.target().isReadOnly()) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_IS_READ_ONLY_ARCHIVE, settings.target().display()));
        }
        try (Connection source = Databases.openReadOnly(settings.source(), settings.sourceCredentials())) {
            requireLegacySource(source, settings);
            SourceFacts facts = SourceFacts.read(source);
            try (ConversionLock lock = ConversionLock.acquire(settings.target())) {
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
                Databases.openOrCreate(settings.target(), settings.targetCredentials()), settings.transactionCapacity(), ledger)) {
            TargetRecord record = prepareTarget(target, settings, facts);
            if (record != null && Kms55Schema.STATE_FINISHED.equals(record.state())) {
                return alreadyFinished(settings, facts, record, started);
            }
            lock.lockDatabase(settings.target(), settings.targetCredentials());
            if (record != null) {
                // another converter may have finished it between the first look and the lock
                record = readRecord(target);
                target.rollback();
                if (record != null && Kms55Schema.STATE_FINISHED.equals(record.state())) {
                    return alreadyFinished(settings, facts, record, started);
                }
            }
            boolean resumed = record != null;
            log.info(String.format(Locale.ROOT, "%s %s into %s (strategy %s, transactionCapacity %,d): %,d users, %,d certificates, %,d keys, %,d CRL rows.",
                    resumed ? "Resuming the conversion of" : "Converting", settings.source().display(), settings.target().display(),
                    settings.strategy(), settings.transactionCapacity(), facts.users(), facts.certificates(), facts.keys(), facts.crlRows()));
            try (StopSignal stop = StopSignal.install(log, settings.target().display())) {
                Run run = new Run(source, target, settings, facts, stop);
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
                        ledger.largestTransaction(), run.revoked, run.unmatched, run.quarantinedCerts, run.quarantinedKeys, elapsed);
                log.info(String.format(Locale.ROOT, "%s %s in %.1f s: %,d row changes in %,d transactions, the largest %,d (capacity %,d); "
                                + "%,d revoked, %,d unmatched revocations, %,d certificates and %,d keys quarantined.",
                        resumed ? "Resumed and finished" : "Converted", settings.target().display(), elapsed.toMillis() / 1000.0,
                        result.rowChanges(), result.transactions(), result.largestTransaction(), settings.transactionCapacity(),
                        run.revoked, run.unmatched, run.quarantinedCerts, run.quarantinedKeys));
                return result;
            }
        }
    }

    private ConversionResult alreadyFinished(ConversionSettings settings, SourceFacts facts, TargetRecord record, long started) {
        log.info(Messages.format(Messages.TARGET_ALREADY_FINISHED, settings.target().display(), record.finishedAt() == null
                ? "at an unrecorded time" : record.finishedAt().toInstant().truncatedTo(ChronoUnit.SECONDS)));
        return new ConversionResult(ConversionResult.Outcome.ALREADY_FINISHED, facts, 0, 0, 0, 0, 0, 0, 0,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static void requireLegacySource(Connection source, ConversionSettings settings) {
        var missing = Kms50Schema.missingTables(source);
        if (!missing.isEmpty()) {
            if (Schemas.tables(source, Kms55Schema.SCHEMA).contains("CERTIFICATES")) {
                throw new KmsUsageException(Messages.format(Messages.SOURCE_IS_KMS55, settings.source().display()));
            }
            throw new KmsUsageException(Messages.format(Messages.SOURCE_NOT_KMS50, settings.source().display(), String.join(", ", missing)));
        }
    }

    /** What a target records of its conversion. */
    record TargetRecord(String fingerprint, String state, String strategy, Timestamp finishedAt) {
    }

    static TargetRecord readRecord(Connection target) throws SQLException {
        try (PreparedStatement select = target.prepareStatement(Kms55Schema.SELECT_CONVERSION);
             ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new TargetRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(6, Sql.utc()));
        }
    }

    /** Creates, checks or resets the target; returns its record, or null for a fresh conversion. */
    private TargetRecord prepareTarget(Connection target, ConversionSettings settings, SourceFacts facts) throws SQLException {
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
        TargetRecord record = tables.contains("KMS_CONVERSION") ? readRecord(target) : null;
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
        if (!record.fingerprint().equals(facts.fingerprint())) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_OTHER_SOURCE, where,
                    record.fingerprint().substring(0, Math.min(12, record.fingerprint().length())), facts.shortFingerprint()));
        }
        if (Kms55Schema.STATE_CONVERTING.equals(record.state()) && !record.strategy().equals(settings.strategy().id())) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_OTHER_STRATEGY, where, record.strategy(),
                    settings.strategy().id(), record.strategy()));
        }
        return record;
    }

    private static void create(Connection target, ConversionSettings settings, SourceFacts facts) throws SQLException {
        Kms55Schema.create(target);
        Sql.update(target, Kms55Schema.INSERT_CONVERSION, Kms55Schema.FORMAT_VERSION, facts.fingerprint(),
                settings.source().display(), settings.strategy().id(), Timestamp.from(Instant.now()), TOOL_VERSION);
        target.commit(); // the schema and its conversion record appear together, or not at all
    }

    /** One run: its bookkeeping, phases and counters. */
    private final class Run {
        private final Connection source;
        private final Connection target;
        private final ConversionSettings settings;
        private final SourceFacts facts;
        private final StopSignal stop;
        private final Calendar utc = Sql.utc();
        /** The reader thread's own calendar: calendars are not thread-safe. */
        private final Calendar readerUtc = Sql.utc();
        private long revoked;
        private long unmatched;
        private long quarantinedCerts;
        private long quarantinedKeys;

        Run(Connection source, Connection target, ConversionSettings settings, SourceFacts facts, StopSignal stop) {
            this.source = source;
            this.target = target;
            this.settings = settings;
            this.facts = facts;
            this.stop = stop;
        }

        private int rowsPerCommit() {
            return Math.min(settings.transactionCapacity(), MAX_ROWS_PER_COMMIT);
        }

        int begin() throws SQLException {
            // runs that were killed still say RUNNING: mark them, one row per transaction
            try (PreparedStatement stale = target.prepareStatement(Kms55Schema.STALE_RUNS); ResultSet rs = stale.executeQuery()) {
                while (rs.next()) {
                    Sql.update(target, Kms55Schema.MARK_INTERRUPTED, rs.getInt(1));
                    target.commit();
                }
            }
            int runNo = Sql.queryLong(target, Kms55Schema.NEXT_RUN).intValue();
            Sql.update(target, Kms55Schema.INSERT_RUN, runNo, Timestamp.from(Instant.now()), settings.strategy().id(), settings.transactionCapacity());
            target.commit();
            return runNo;
        }

        void end(int runNo, String outcome, String message) {
            TransactionLedger ledger = settings.ledger();
            Sql.update(target, Kms55Schema.END_RUN, Timestamp.from(Instant.now()), outcome, ledger.committedRowChanges(),
                    ledger.committedTransactions(), ledger.largestTransaction(),
                    message == null ? null : message.substring(0, Math.min(1024, message.length())), runNo);
            Sql.commit(target, "the end of run " + runNo);
        }

        void finish(int runNo) throws SQLException {
            Sql.update(target, Kms55Schema.FINISH_CONVERSION, Timestamp.from(Instant.now()));
            target.commit();
            end(runNo, "FINISHED", null);
        }

        void phases() throws SQLException {
            Progress progress = new Progress(log, "convert " + settings.target().display(),
                    facts.users() + facts.certificates() + facts.keys(), settings.progressInterval());
            if (!phaseDone(PHASE_USERS)) {
                users(progress);
                phaseCompleted(PHASE_USERS, progress.done());
            }
            if (!phaseDone(PHASE_SERIALS)) {
                serials(progress);
                phaseCompleted(PHASE_SERIALS, progress.done());
            }
            if (!phaseDone(PHASE_KEYS)) {
                keys();
            }
            if (settings.strategy() == Strategy.SINGLE_TRANSACTION && !phaseDone(PHASE_REVOCATIONS)) {
                revocationsInOneTransaction();
                phaseCompleted(PHASE_REVOCATIONS, revoked + unmatched);
            }
        }

        private boolean phaseDone(String phase) {
            Long done = Sql.queryLong(target, Kms55Schema.PHASE_DONE, phase);
            return done != null && done > 0;
        }

        private void phaseCompleted(String phase, long rows) throws SQLException {
            Sql.update(target, Kms55Schema.INSERT_PHASE, phase, Timestamp.from(Instant.now()), rows);
            target.commit();
        }

        private void users(Progress progress) throws SQLException {
            Long last = Sql.queryLong(target, Kms55Schema.MAX_USER);
            target.commit();
            try (ReadAhead<Rows.User> users = new ReadAhead<>("kms-convert-users", READ_BATCH, READ_DEPTH, sink -> {
                     try (PreparedStatement select = source.prepareStatement(last == null ? Kms50Schema.USERS_ALL : Kms50Schema.USERS_AFTER)) {
                         if (last != null) {
                             select.setInt(1, last.intValue());
                         }
                         try (OrderedCursor<Rows.User, Integer> cursor = OrderedCursor.open("KMS50.KM_USER", select,
                                 rs -> Rows.user(rs, readerUtc), Rows.User::userId, true)) {
                             for (Rows.User user = cursor.take(); user != null; user = cursor.take()) {
                                 sink.accept(user);
                             }
                         }
                     }
                 });
                 ChunkWriter writer = new ChunkWriter(target, rowsPerCommit(), progress, stop::check, Kms55Schema.INSERT_USER)) {
                PreparedStatement insert = writer.statement(0);
                for (Rows.User user = next(users); user != null; user = next(users)) {
                    insert.setInt(1, user.userId());
                    insert.setString(2, user.mailboxDn());
                    insert.setString(3, user.displayName());
                    insert.setTimestamp(4, user.enrolledAt(), utc);
                    writer.add(0);
                }
                writer.flush();
            }
        }

        /**
         * The merged pass over certificates, keys and revocations in serial order. Two reader
         * threads read the source, each through its own connection: one the certificates (each with
         * whether its user exists), one the keys merged with the CRL. This thread merges the two
         * streams, decides where each row goes and writes the target.
         */
        private void serials(Progress progress) throws SQLException {
            Position resume = Position.read(target);
            target.commit();
            String from = resume == null ? "" : resume.serial();
            boolean chunked = settings.strategy() == Strategy.CHUNKED;
            try (Connection keySource = Databases.openReadOnly(settings.source(), settings.sourceCredentials())) {
                try (ReadAhead<SourceCert> certs = new ReadAhead<>("kms-convert-certificates", READ_BATCH, READ_DEPTH,
                         sink -> sourceCertificates(from, sink));
                     ReadAhead<KeyAndRevocation> others = new ReadAhead<>("kms-convert-keys", READ_BATCH, READ_DEPTH,
                         sink -> KeyAndRevocation.stream(keySource, from, sink));
                     ChunkWriter writer = new ChunkWriter(target, rowsPerCommit(), progress, stop::check,
                         Kms55Schema.INSERT_CERT, Kms55Schema.INSERT_QUARANTINED_CERT, Kms55Schema.INSERT_KEY,
                         Kms55Schema.INSERT_QUARANTINED_KEY, Kms55Schema.INSERT_UNMATCHED)) {
                    SourceCert nextCert = next(certs);
                    KeyAndRevocation nextOther = next(others);
                    while (nextCert != null || nextOther != null) {
                        String serial = OrderedCursor.smallest(nextCert == null ? null : nextCert.cert().serial(),
                                nextOther == null ? null : nextOther.serial());
                        SourceCert cert = nextCert != null && nextCert.cert().serial().equals(serial) ? nextCert : null;
                        KeyAndRevocation other = nextOther != null && nextOther.serial().equals(serial) ? nextOther : null;
                        serial(writer, resume, chunked, serial, cert, other);
                        if (cert != null) {
                            nextCert = next(certs);
                        }
                        if (other != null) {
                            nextOther = next(others);
                        }
                    }
                    writer.flush();
                } finally {
                    keySource.rollback(); // a read-only connection ends its read transaction before it closes
                }
            }
        }

        /**
         * Runs on the certificate reader thread: the certificates in key order, each with whether
         * its user exists, answered by {@link UserIds} rather than a look-up per certificate.
         */
        private void sourceCertificates(String from, ReadAhead.Sink<SourceCert> sink) throws SQLException, InterruptedException {
            try (UserIds users = UserIds.read(source);
                 PreparedStatement query = source.prepareStatement(Kms50Schema.CERTS_FROM)) {
                query.setString(1, from);
                try (OrderedCursor<Rows.Cert, String> certs = OrderedCursor.open("KMS50.KM_CERT", query,
                        rs -> Rows.cert(rs, readerUtc), Rows.Cert::serial, true)) {
                    for (Rows.Cert cert = certs.take(); cert != null; cert = certs.take()) {
                        sink.accept(new SourceCert(cert, users.contains(cert.userId())));
                    }
                }
            }
        }

        /** Writes what one serial becomes: its certificate, its key, its unmatched revocation, in that order. */
        private void serial(ChunkWriter writer, Position resume, boolean chunked, String serial, SourceCert cert,
                            KeyAndRevocation other) throws SQLException {
            boolean active = cert != null && cert.userKnown();
            Rows.Revocation revocation = other == null ? null : other.revocation();
            Rows.Key key = other == null ? null : other.key();
            if (cert != null && Position.isAfter(resume, serial, CERT)) {
                if (active) {
                    writeCert(writer, cert.cert(), chunked ? revocation : null);
                } else {
                    writeQuarantinedCert(writer, cert.cert());
                }
            }
            if (key != null && Position.isAfter(resume, serial, KEY)) {
                if (active) {
                    writeKey(writer, TO_KEY_ARCHIVE, key, null);
                } else {
                    writeKey(writer, TO_QUARANTINED_KEY, key,
                            cert == null ? Kms55Schema.CAUSE_NO_CERTIFICATE : Kms55Schema.CAUSE_CERTIFICATE_QUARANTINED);
                }
            }
            if (chunked && revocation != null && !active && Position.isAfter(resume, serial, UNMATCHED)) {
                bindRevocation(writer.statement(TO_UNMATCHED), revocation);
                writer.add(TO_UNMATCHED);
                unmatched++;
            }
        }

        private void bindCert(PreparedStatement insert, Rows.Cert cert) throws SQLException {
            insert.setString(1, cert.serial());
            insert.setInt(2, cert.userId());
            insert.setString(3, cert.usage());
            insert.setString(4, cert.issuerDn());
            insert.setString(5, cert.subjectDn());
            insert.setTimestamp(6, cert.notBefore(), utc);
            insert.setTimestamp(7, cert.notAfter(), utc);
            insert.setBytes(8, cert.der());
        }

        private void writeCert(ChunkWriter writer, Rows.Cert cert, Rows.Revocation revocation) throws SQLException {
            PreparedStatement insert = writer.statement(TO_CERTIFICATES);
            bindCert(insert, cert);
            if (revocation == null) {
                insert.setString(9, "V");
                insert.setNull(10, Types.TIMESTAMP);
                insert.setNull(11, Types.SMALLINT);
            } else {
                insert.setString(9, "R");
                insert.setTimestamp(10, revocation.revokedAt(), utc);
                insert.setShort(11, revocation.reason());
                revoked++;
            }
            writer.add(TO_CERTIFICATES);
        }

        private void writeQuarantinedCert(ChunkWriter writer, Rows.Cert cert) throws SQLException {
            PreparedStatement insert = writer.statement(TO_QUARANTINED_CERT);
            bindCert(insert, cert);
            insert.setString(9, Kms55Schema.CAUSE_UNKNOWN_USER);
            writer.add(TO_QUARANTINED_CERT);
            quarantinedCerts++;
        }

        private void writeKey(ChunkWriter writer, int table, Rows.Key key, String cause) throws SQLException {
            PreparedStatement insert = writer.statement(table);
            insert.setString(1, key.serial());
            insert.setBytes(2, key.wrappedKey());
            if (cause != null) {
                insert.setString(3, cause);
                quarantinedKeys++;
            }
            writer.add(table);
        }

        /**
         * Gives the loaded tables their primary and foreign keys, in one transaction with the phase's
         * record: Derby builds each index by sorting the table once. Adding a key changes no row, so
         * the capacity holds; a key added by an earlier, interrupted run is not added again.
         */
        private void keys() throws SQLException {
            List<Kms55Schema.Key> missing = Kms55Schema.missingKeys(target);
            long started = System.nanoTime();
            String adding = String.format(Locale.ROOT, "Adding %d primary and foreign keys to %s (one sort per index; no row changes).",
                    missing.size(), settings.target().display());
            if (facts.certificates() >= QUIET_KEYS_BELOW) {
                log.info(adding); // it takes seconds: say why the progress lines paused
            } else {
                log.debug(adding);
            }
            for (Kms55Schema.Key key : missing) {
                Sql.execute(target, key.ddl());
            }
            phaseCompleted(PHASE_KEYS, 0);
            log.debug(String.format(Locale.ROOT, "Added the keys of %s in %.1f s.", settings.target().display(),
                    (System.nanoTime() - started) / 1e9));
        }

        private void bindRevocation(PreparedStatement insert, Rows.Revocation revocation) throws SQLException {
            insert.setString(1, revocation.serial());
            insert.setTimestamp(2, revocation.revokedAt(), utc);
            insert.setShort(3, revocation.reason());
        }

        /**
         * The reference defect: every revocation in ONE transaction. It fails under the capacity as
         * soon as there are more revoked serials than the capacity, exactly like KB Q193567.
         */
        private void revocationsInOneTransaction() throws SQLException {
            try (PreparedStatement crlQuery = source.prepareStatement(Kms50Schema.CRL_FROM);
                 PreparedStatement revoke = target.prepareStatement(Kms55Schema.REVOKE);
                 PreparedStatement insertUnmatched = target.prepareStatement(Kms55Schema.INSERT_UNMATCHED)) {
                crlQuery.setString(1, "");
                try (EffectiveRevocations crl = new EffectiveRevocations(OrderedCursor.open("KMS50.KM_CRL", crlQuery,
                        rs -> Rows.revocation(rs, utc), Rows.Revocation::serial, false))) {
                    for (Rows.Revocation revocation = crl.take(); revocation != null; revocation = crl.take()) {
                        revoke.setTimestamp(1, revocation.revokedAt(), utc);
                        revoke.setShort(2, revocation.reason());
                        revoke.setString(3, revocation.serial());
                        if (revoke.executeUpdate() == 1) {
                            revoked++;
                        } else {
                            bindRevocation(insertUnmatched, revocation);
                            insertUnmatched.executeUpdate();
                            unmatched++;
                        }
                    }
                }
            }
            target.commit();
        }
    }

    /** Where a resumed serial pass starts: the greatest (serial, kind) committed. */
    record Position(String serial, int kind) {

        static Position read(Connection target) {
            Position position = null;
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_CERT), CERT);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_QUARANTINED_CERT), CERT);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_KEY), KEY);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_QUARANTINED_KEY), KEY);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_UNMATCHED), UNMATCHED);
            return position;
        }

        private static Position max(Position current, String serial, int kind) {
            if (serial == null) {
                return current;
            }
            Position candidate = new Position(serial, kind);
            if (current == null) {
                return candidate;
            }
            int order = serial.compareTo(current.serial);
            return order > 0 || (order == 0 && kind > current.kind) ? candidate : current;
        }

        /** Whether the change (serial, kind) comes after the resume position, i.e. is not yet committed. */
        static boolean isAfter(Position position, String serial, int kind) {
            if (position == null) {
                return true;
            }
            int order = serial.compareTo(position.serial);
            return order > 0 || (order == 0 && kind > position.kind);
        }
    }
}
