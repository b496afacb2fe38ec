package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * Streams a query's rows in key order with one row of look-ahead, for merge joins. It checks the
 * order as it goes: a key that goes backwards (a collation that does not sort like Java strings)
 * or repeats where keys must be unique stops the run rather than giving a wrong answer.
 *
 * <p>Public for convert and verify, which merge-join the source's tables; not an API.
 *
 * @param <T> the row type
 * @param <K> the key type
 */
public final class OrderedCursor<T, K extends Comparable<K>> implements AutoCloseable {

    /** Reads one row from the current position of a result set. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final String what;
    private final ResultSet rs;
    private final Reader<T> reader;
    private final Function<T, K> key;
    private final boolean unique;
    private T head;
    private K lastKey;
    private long rows;

    private OrderedCursor(String what, ResultSet rs, Reader<T> reader, Function<T, K> key, boolean unique) {
        this.what = what;
        this.rs = rs;
        this.reader = reader;
        this.key = key;
        this.unique = unique;
    }

    /**
     * Opens a cursor over an executed statement's result. The statement stays owned by the caller.
     *
     * @param what the table, for messages
     * @param unique whether keys must strictly increase (true) or may repeat (false)
     */
    public static <T, K extends Comparable<K>> OrderedCursor<T, K> open(String what, PreparedStatement statement,
                                                                           Reader<T> reader, Function<T, K> key, boolean unique) {
        try {
            statement.setFetchSize(256);
            OrderedCursor<T, K> cursor = new OrderedCursor<>(what, statement.executeQuery(), reader, key, unique);
            cursor.advance();
            return cursor;
        } catch (SQLException e) {
            throw new StoreException("Reading " + what, e);
        }
    }

    /** The next row's key, or null at the end. */
    public K peekKey() {
        return head == null ? null : key.apply(head);
    }

    /** Takes the next row (null at the end). */
    public T take() {
        T row = head;
        if (row != null) {
            advance();
        }
        return row;
    }

    /** Takes the next row if its key equals {@code k}, otherwise returns null and keeps it. */
    public T takeIf(K k) {
        return head != null && key.apply(head).compareTo(k) == 0 ? take() : null;
    }

    /** Rows taken so far (including the one at the head). */
    public long rows() {
        return rows;
    }

    private void advance() {
        try {
            if (!rs.next()) {
                head = null;
                return;
            }
            T row = reader.read(rs);
            K k = key.apply(row);
            if (lastKey != null) {
                int order = k.compareTo(lastKey);
                if (order < 0 || (unique && order == 0)) {
                    throw new KmsUsageException(what + " does not come back in key order (" + lastKey + " then " + k
                            + "): the database's collation does not sort keys as KMS Gate expects. Use a database with the default UCS_BASIC collation.");
                }
            }
            lastKey = k;
            head = row;
            rows++;
        } catch (SQLException e) {
            throw new StoreException("Reading " + what, e);
        }
    }

    /** The smallest of the keys that several merged cursors offer next, null ones (exhausted) left out; null if all are. */
    public static String smallest(String... keys) {
        String smallest = null;
        for (String key : keys) {
            if (key != null && (smallest == null || key.compareTo(smallest) < 0)) {
                smallest = key;
            }
        }
        return smallest;
    }

    @Override
    public void close() {
        try {
            rs.close();
        } catch (SQLException e) {
            throw new StoreException("Closing the cursor over " + what, e);
        }
    }
}
