package dev.kmsgate.kms.generate;

import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.ChunkWriter;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Calendar;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes the rows of one profile into the {@code KMS50} tables through one connection, committing
 * every {@link #ROWS_PER_COMMIT} rows. Timestamps are written as UTC wall-clock times.
 */
final class ProfileWriter implements AutoCloseable {

    /** Rows per commit: a generated database is not under the capacity, and fewer commits mean fewer log syncs (docs/performance.md, second round). */
    private static final int ROWS_PER_COMMIT = 50_000;
    private static final int CERTIFICATE_BLOCK = 512;
    /** The writer's statements, by table. */
    private static final int USERS = 0;
    private static final int CERTIFICATES = 1;
    private static final int KEYS = 2;
    private static final int CRL = 3;

    private final Profile profile;
    private final ProfileRows source;
    private final Calendar utc = Sql.utc();
    /** The insert of each table (by {@link #USERS}, {@link #CERTIFICATES}, ...). */
    private final ChunkWriter rows;

    ProfileWriter(Connection connection, Profile profile, CertificateFactory certificates, Progress progress) {
        this.profile = profile;
        this.source = new ProfileRows(profile, certificates);
        this.rows = new ChunkWriter(connection, ROWS_PER_COMMIT, progress, null,
                Kms50Schema.INSERT_USER, Kms50Schema.INSERT_CERT, Kms50Schema.INSERT_KEY, Kms50Schema.INSERT_CRL);
    }

    void writeAll() throws SQLException {
        writeBlocks();
        for (long i = 1; i <= profile.orphanKeys(); i++) {
            writeKey(source.orphanKey(i));
        }
        source.revocations(this::writeRevocation);
        rows.flush();
    }

    @Override
    public void close() {
        rows.close();
    }

    /**
     * Users, certificates and their keys, one block of certificate positions at a time. Every
     * core builds blocks (signs the certificates, wraps the keys); this thread writes them in
     * order. At most two blocks per core are in flight, so memory does not grow. The tables
     * have no keys yet, so writing the three tables side by side costs nothing, and the
     * users and keys are written while the next certificates are signed.
     */
    private void writeBlocks() throws SQLException {
        long total = profile.certificates();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "kms-generate-certificates");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Deque<Future<ProfileRows.Block>> inFlight = new ArrayDeque<>();
            for (long first = 1; first <= total; first += CERTIFICATE_BLOCK) {
                long from = first;
                long to = Math.min(total, first + CERTIFICATE_BLOCK - 1);
                inFlight.add(pool.submit(() -> source.block(from, to)));
                if (inFlight.size() >= 2 * threads) {
                    write(await(inFlight.poll()));
                }
            }
            while (!inFlight.isEmpty()) {
                write(await(inFlight.poll()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void write(ProfileRows.Block block) throws SQLException {
        PreparedStatement users = rows.statement(USERS);
        for (ProfileRows.UserRow user : block.users()) {
            users.setInt(1, user.userId());
            users.setString(2, user.mailboxDn());
            if (user.displayName() == null) {
                users.setNull(3, Types.VARCHAR);
            } else {
                users.setString(3, user.displayName());
            }
            users.setTimestamp(4, Timestamp.from(user.enrolledAt()), utc);
            rows.add(USERS);
        }
        PreparedStatement certs = rows.statement(CERTIFICATES);
        for (ProfileRows.CertificateRow row : block.certificates()) {
            certs.setString(1, row.serial());
            certs.setInt(2, row.userId());
            certs.setString(3, String.valueOf(row.usage()));
            certs.setString(4, CertificateFactory.ISSUER_DN);
            certs.setString(5, row.subjectDn());
            certs.setTimestamp(6, Timestamp.from(row.notBefore()), utc);
            certs.setTimestamp(7, Timestamp.from(row.notAfter()), utc);
            certs.setBytes(8, row.der());
            rows.add(CERTIFICATES);
        }
        for (ProfileRows.KeyRow key : block.keys()) {
            writeKey(key);
        }
    }

    private void writeKey(ProfileRows.KeyRow key) throws SQLException {
        PreparedStatement insert = rows.statement(KEYS);
        insert.setString(1, key.serial());
        insert.setBytes(2, key.wrappedKey());
        rows.add(KEYS);
    }

    private void writeRevocation(String serial, Instant at, short reason) throws SQLException {
        PreparedStatement insert = rows.statement(CRL);
        insert.setString(1, serial);
        insert.setTimestamp(2, Timestamp.from(at), utc);
        insert.setShort(3, reason);
        rows.add(CRL);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while generating certificates", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }
}
