package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.ChunkWriter;
import dev.kmsgate.kms.store.EffectiveRevocations;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.OrderedCursor;
import dev.kmsgate.kms.store.ReadAhead;
import dev.kmsgate.kms.store.Rows;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.TransactionLedger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Calendar;
import java.util.List;
import java.util.Locale;

/**
 * One run of a conversion: its bookkeeping row in {@code KMS_CONVERSION_RUN}, and the phases it
 * has left to do: {@code USERS} (by {@code USER_ID}), {@code SERIALS} ({@link SerialPass}),
 * {@code KEYS}, and for the reference defect {@code REVOCATIONS}. A phase recorded in
 * {@code KMS_CONVERSION_PHASE} by an earlier run is not run again; a phase an earlier run
 * interrupted resumes after the greatest key it committed.
 */
final class ConversionRun {

    /** Below this many certificates, adding the keys takes well under a second and is not announced. */
    private static final long QUIET_KEYS_BELOW = 100_000;

    /** Row changes per commit: the capacity, up to this; more rows per commit stop paying off well before it. */
    static final int MAX_ROWS_PER_COMMIT = 10_000;

    /** Rows per read-ahead batch, and batches a reader may run ahead of the writer. */
    static final int READ_BATCH = 256;
    static final int READ_DEPTH = 4;

    private final KmsLog log;
    private final Connection source;
    private final Connection target;
    private final ConversionSettings settings;
    private final SourceFacts facts;
    private final StopSignal stop;
    private final Calendar utc = Sql.utc();
    /** The whole conversion's counts: what earlier runs committed, then this run's writes. */
    final Tally tally;
    private final long rowChangesBefore;
    private final long transactionsBefore;

    /**
     * @param tally what earlier runs committed (empty for a fresh conversion)
     * @param rowChangesBefore the ledger's committed row changes when the run began (before it created the target's record)
     * @param transactionsBefore the ledger's committed transactions then
     */
    ConversionRun(KmsLog log, Connection source, Connection target, ConversionSettings settings, SourceFacts facts, StopSignal stop,
                  Tally tally, long rowChangesBefore, long transactionsBefore) {
        this.log = log;
        this.source = source;
        this.target = target;
        this.settings = settings;
        this.facts = facts;
        this.stop = stop;
        this.tally = tally;
        this.rowChangesBefore = rowChangesBefore;
        this.transactionsBefore = transactionsBefore;
    }

    /** Takes the next read-ahead item, turning the reader's failures back into what they were. */
    static <T> T next(ReadAhead<T> stream) throws SQLException {
        return stream.nextRow(() -> new KmsUsageException(Messages.CONVERSION_THREAD_INTERRUPTED));
    }

    Connection source() {
        return source;
    }

    Connection target() {
        return target;
    }

    ConversionSettings settings() {
        return settings;
    }

    StopSignal stop() {
        return stop;
    }

    int rowsPerCommit() {
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

    /**
     * Records how the run ended. Its row changes and transactions are this run's as the guard
     * counted them, this very update and its commit included, so they equal the log's summary.
     */
    void end(int runNo, String outcome, String message) {
        TransactionLedger ledger = settings.ledger();
        Sql.update(target, Kms55Schema.END_RUN, Timestamp.from(Instant.now()), outcome,
                ledger.committedRowChanges() - rowChangesBefore + 1, ledger.committedTransactions() - transactionsBefore + 1,
                ledger.largestTransaction(),
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
                facts.users() + facts.certificates() + facts.keys(), tally.users + tally.certificates + tally.keys,
                settings.progressInterval());
        if (!Kms55Schema.phaseDone(target, Kms55Schema.PHASE_USERS)) {
            users(progress);
            phaseCompleted(Kms55Schema.PHASE_USERS, tally.users);
        }
        if (!Kms55Schema.phaseDone(target, Kms55Schema.PHASE_SERIALS)) {
            new SerialPass(this, tally).run(progress);
            phaseCompleted(Kms55Schema.PHASE_SERIALS, tally.serialRows);
        }
        if (!Kms55Schema.phaseDone(target, Kms55Schema.PHASE_KEYS)) {
            keys();
        }
        if (settings.strategy() == Strategy.SINGLE_TRANSACTION && !Kms55Schema.phaseDone(target, Kms55Schema.PHASE_REVOCATIONS)) {
            revocationsInOneTransaction();
            phaseCompleted(Kms55Schema.PHASE_REVOCATIONS, tally.revoked + tally.unmatched);
        }
    }

    private void phaseCompleted(String phase, long rows) throws SQLException {
        Sql.update(target, Kms55Schema.INSERT_PHASE, phase, Timestamp.from(Instant.now()), rows);
        target.commit();
    }

    private void users(Progress progress) throws SQLException {
        Long last = Sql.queryLong(target, Kms55Schema.MAX_USER);
        target.commit();
        Calendar readerUtc = Sql.utc(); // the reader thread's own: calendars are not thread-safe
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
                tally.users++;
            }
            writer.flush();
        }
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
        if (announcesKeys(facts.certificates())) {
            log.info(adding); // it takes seconds: say why the progress lines paused
        } else {
            log.debug(adding);
        }
        for (Kms55Schema.Key key : missing) {
            Sql.execute(target, key.ddl());
        }
        phaseCompleted(Kms55Schema.PHASE_KEYS, 0);
        log.debug(String.format(Locale.ROOT, "Added the keys of %s in %.1f s.", settings.target().display(),
                (System.nanoTime() - started) / 1e9));
    }

    /** Whether adding the keys to a target of this many certificates is said at info level (it takes seconds). */
    static boolean announcesKeys(long certificates) {
        return certificates >= QUIET_KEYS_BELOW;
    }

    static void bindRevocation(PreparedStatement insert, Rows.Revocation revocation, Calendar utc) throws SQLException {
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
                        tally.revoked++;
                    } else {
                        bindRevocation(insertUnmatched, revocation, utc);
                        insertUnmatched.executeUpdate();
                        tally.unmatched++;
                    }
                }
            }
        }
        target.commit();
    }
}
