package dev.kmsgate.kms.store;

import dev.kmsgate.kms.Progress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Writes rows into several tables and commits every {@code rowsPerCommit} rows, so that no
 * transaction holds more (the converter's bounded transactions, the generator's bulk load).
 *
 * <p>On an embedded database every row is executed as it is added: there is no round trip to
 * save, and a JDBC batch would hold a copy of every queued row's parameters, which slowed
 * generation and fed the garbage collector (docs/performance.md, third round). Over the network
 * rows go in JDBC batches of {@link #NETWORK_BATCH}, executed in the order the statements were
 * given (parents before children). Either way, memory stays flat whatever the commit size.
 *
 * <p>Public for convert and generate, which write in bounded transactions; not an API.
 */
public final class ChunkWriter implements AutoCloseable {

    /** Rows per JDBC batch over the network: large enough to amortise round trips, small enough to keep memory flat. */
    static final int NETWORK_BATCH = 256;

    private final Connection connection;
    private final PreparedStatement[] statements;
    private final int[] batched;
    private final int batch;
    private final int rowsPerCommit;
    private final Progress progress;
    private final Runnable afterCommit;
    private int inBatch;
    private int inChunk;
    /** The rows of the chunk that count towards the progress total. */
    private int counted;

    /**
     * @param progress    advanced by the rows of each commit that count towards it; may be null
     * @param afterCommit run after each commit (the converter's stop check); may be null
     */
    public ChunkWriter(Connection connection, int rowsPerCommit, Progress progress, Runnable afterCommit, String... sql) {
        this.connection = connection;
        this.statements = new PreparedStatement[sql.length];
        this.batched = new int[sql.length];
        this.rowsPerCommit = rowsPerCommit;
        this.progress = progress;
        this.afterCommit = afterCommit;
        try {
            this.batch = Sql.isEmbedded(connection) ? 1 : NETWORK_BATCH;
            for (int i = 0; i < sql.length; i++) {
                statements[i] = connection.prepareStatement(sql[i]);
            }
        } catch (SQLException e) {
            close();
            throw new StoreException("Preparing " + Arrays.toString(sql), e);
        }
    }

    /** The statement to bind the next row of table {@code i} on. */
    public PreparedStatement statement(int i) {
        return statements[i];
    }

    /** Adds the row bound on statement {@code i}; commits when the chunk is full. */
    public void add(int i) throws SQLException {
        add(i, true);
    }

    /**
     * Adds the row bound on statement {@code i}, counting it towards the progress total or not (a
     * row whose number the total could not know in advance); commits when the chunk is full.
     */
    public void add(int i, boolean towardsProgress) throws SQLException {
        if (towardsProgress) {
            counted++;
        }
        if (batch == 1) {
            statements[i].executeUpdate();
        } else {
            statements[i].addBatch();
            batched[i]++;
            if (++inBatch >= batch) {
                executeBatches();
            }
        }
        if (++inChunk >= rowsPerCommit) {
            executeBatches();
            commit();
        }
    }

    /** Executes and commits whatever is pending. */
    public void flush() throws SQLException {
        executeBatches();
        commit();
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
                progress.advance(counted);
            }
            inChunk = 0;
            counted = 0;
            if (afterCommit != null) {
                afterCommit.run();
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
