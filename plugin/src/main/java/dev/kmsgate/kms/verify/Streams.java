package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.OrderedCursor;
import dev.kmsgate.kms.store.ReadAhead;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What the verifier's passes share: the connections (each reader thread has its own), the
 * progress line, and the count of rows streamed from both sides.
 *
 * @param lookups a source connection for point look-ups on the calling thread
 * @param keySource a source connection for the key and CRL reader thread
 * @param targetLookups a target connection for point look-ups on the calling thread
 */
record Streams(Connection source, Connection target, Connection lookups, Connection keySource, Connection targetLookups,
               Progress progress, AtomicLong rowsStreamed) {

    static final int READ_BATCH = 256;
    static final int READ_DEPTH = 4;

    /**
     * A reader thread that streams every row of a query through an ordered cursor with unique keys.
     *
     * @param parameters the query's parameters, in order
     */
    <T, K extends Comparable<K>> ReadAhead<T> stream(String thread, Connection connection, String sql, String table,
                                                     OrderedCursor.Reader<T> reader, Function<T, K> key, Object... parameters) {
        return open(thread, connection, sql, table, reader, key, true, parameters);
    }

    /**
     * A reader thread that streams every row of a query in key order, a key repeated or not: for the
     * target, whose repeated keys the checks report (a key that goes backwards still stops the run).
     */
    <T, K extends Comparable<K>> ReadAhead<T> streamRepeating(String thread, Connection connection, String sql, String table,
                                                              OrderedCursor.Reader<T> reader, Function<T, K> key) {
        return open(thread, connection, sql, table, reader, key, false);
    }

    private <T, K extends Comparable<K>> ReadAhead<T> open(String thread, Connection connection, String sql, String table,
                                                           OrderedCursor.Reader<T> reader, Function<T, K> key, boolean unique,
                                                           Object... parameters) {
        return new ReadAhead<>(thread, READ_BATCH, READ_DEPTH, sink -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    query.setObject(i + 1, parameters[i]);
                }
                try (OrderedCursor<T, K> cursor = OrderedCursor.open(table, query, reader, key, unique)) {
                    for (T row = cursor.take(); row != null; row = cursor.take()) {
                        sink.accept(row);
                    }
                    rowsStreamed.addAndGet(cursor.rows());
                }
            }
        });
    }

    /** Takes the next read-ahead item, turning the reader's failures back into what they were. */
    static <T> T next(ReadAhead<T> stream) throws SQLException {
        return stream.nextRow(() -> new KmsUsageException(Messages.VERIFICATION_INTERRUPTED));
    }
}
