package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Writes rows into several tables in bounded transactions: at most {@code chunk} row changes are
 * committed together (and a requested stop takes effect right after a commit), and the JDBC batches are executed every {@code batch} rows so that memory
 * stays flat whatever the capacity. Batches always run in the order the statements were given
 * (parents before children), so a foreign key never sees a child before its parent.
 */
final class ChunkWriter implements AutoCloseable {

    /** Rows per JDBC batch: large enough to amortise round trips, small enough to keep memory flat. */
    static final int BATCH = 256;
    /** More rows per commit stop paying off well before this. */
    static final int MAX_CHUNK = 10_000;

    private final Connection connection;
    private final PreparedStatement[] statements;
    private final int[] batched;
    private final int chunk;
    private final long[] written;
    private final Progress progress;
    private final StopSignal stop;
    private int inBatch;
    private int inChunk;

    ChunkWriter(Connection connection, int capacity, Progress progress, StopSignal stop, String... sql) {
        this.connection = connection;
        this.statements = new PreparedStatement[sql.length];
        this.batched = new int[sql.length];
        this.written = new long[sql.length];
        this.chunk = Math.min(capacity, MAX_CHUNK);
        this.progress = progress;
        this.stop = stop;
        try {
            for (int i = 0; i < sql.length; i++) {
                statements[i] = connection.prepareStatement(sql[i]);
            }
        } catch (SQLException e) {
            close();
            throw new StoreException("Preparing " + Arrays.toString(sql), e);
        }
    }

    /** The statement to bind the next row of table {@code i} on. */
    PreparedStatement statement(int i) {
        return statements[i];
    }

    /** Adds the row bound on statement {@code i}; commits when the chunk is full. */
    void add(int i) throws SQLException {
        statements[i].addBatch();
        batched[i]++;
        written[i]++;
        inChunk++;
        if (++inBatch >= BATCH || inChunk >= chunk) {
            executeBatches();
        }
        if (inChunk >= chunk) {
            commit();
        }
    }

    /** Executes and commits whatever is pending. */
    void flush() throws SQLException {
        executeBatches();
        commit();
    }

    /** Rows added to table {@code i} so far. */
    long written(int i) {
        return written[i];
    }

    private void executeBatches() throws SQLException {
        for (int i = 0; i < statements.length; i++) {
            if (batched[i] > 0) {
                statements[i].executeBatch();
                batched[i] = 0;
            }
        }
        inBatch = 0;
    }

    private void commit() throws SQLException {
        if (inChunk > 0) {
            connection.commit();
            if (progress != null) {
                progress.advance(inChunk);
            }
            inChunk = 0;
            if (stop != null) {
                stop.check();
            }
        }
    }

    @Override
    public void close() {
        for (PreparedStatement statement : statements) {
            if (statement != null) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // closing after the work is done or failed; the work's own outcome is what counts
                }
            }
        }
    }
}
