package dev.kmsgate.kms.store;

import java.util.Set;
import java.util.IdentityHashMap;
import java.util.Deque;
import java.util.Collections;
import java.util.ArrayDeque;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Calendar;
import java.util.TimeZone;

/**
 * Small JDBC helpers shared by every package. Timestamps are always read and written through a
 * UTC calendar, so that a zone-less {@code TIMESTAMP} round-trips unchanged whatever the JVM's
 * time zone (no daylight-saving gap can shift it).
 *
 * <p>Public for every package that runs SQL; not an API.
 */
public final class Sql {

    private Sql() {
    }

    /** A fresh UTC calendar: calendars are mutable, so each single-threaded user keeps its own. */
    public static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    }

    /** The most specific SQLState in a chain: Derby wraps the real cause (XSDB6, XBM06, ...) in XJ040. */
    public static String rootState(SQLException e) {
        String state = e.getSQLState();
        for (Throwable t = e; t != null; ) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                state = s.getSQLState();
            }
            Throwable next = t instanceof SQLException s && s.getNextException() != null ? s.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return state;
    }

    /** Whether any exception in the chain has the SQLState. */
    public static boolean hasState(SQLException e, String sqlState) {
        for (Throwable t = e; t != null; ) {
            if (t instanceof SQLException s && sqlState.equals(s.getSQLState())) {
                return true;
            }
            Throwable next = t instanceof SQLException s && s.getNextException() != null ? s.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return false;
    }

    /**
     * Whether a failure is the file system running out of space: Derby's XSDG1 (a page could not be
     * written: disk full, quota or file-size limit) or an {@link java.io.IOException} saying so
     * anywhere in the chain (Derby wraps it in XSDF1 when a new container file cannot be created,
     * in XSLA4 when the log cannot be written).
     */
    public static boolean isDiskFull(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException s && "XSDG1".equals(s.getSQLState())) {
                return true;
            }
            if (t instanceof java.io.IOException && t.getMessage() != null) {
                String message = t.getMessage().toLowerCase(java.util.Locale.ROOT);
                if (message.contains("no space left on device") || message.contains("not enough space on the disk")
                        || message.contains("disk quota exceeded")) {
                    return true;
                }
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            if (t instanceof SQLException s && s.getNextException() != null) {
                pending.add(s.getNextException());
            }
        }
        return false;
    }

    /** Whether the connection reaches an engine inside this JVM rather than a server ({@code jdbc:derby://host...}). */
    public static boolean isEmbedded(Connection connection) throws SQLException {
        String url = connection.getMetaData().getURL();
        return url == null || !url.matches("jdbc:[^:]+://.*");
    }

    /** Runs DDL or a plain statement, naming it on failure. */
    public static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    /** Reads a single long ({@code COUNT(*)}, {@code MAX(...)}); null for SQL NULL or no row. */
    /** A {@code COUNT(*)}-like query's number: 0 where it returns no row or NULL. */
    public static long count(Connection connection, String sql, Object... parameters) {
        Long count = queryLong(connection, sql, parameters);
        return count == null ? 0 : count;
    }

    public static Long queryLong(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long value = rs.getLong(1);
                return rs.wasNull() ? null : value;
            }
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    /** Reads a single string; null for SQL NULL or no row. */
    public static String queryString(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    /** Executes one change, naming the statement on failure; returns the update count. */
    public static int update(Connection connection, String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(sql, e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] instanceof java.sql.Timestamp ts) {
                statement.setTimestamp(i + 1, ts, utc());
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
    }

    /** Commits, naming what was being committed on failure. */
    public static void commit(Connection connection, String what) {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Commit of " + what, e);
        }
    }

    /** Rolls back after a failure without hiding it: a rollback error is added as suppressed. */
    public static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            if (!connection.isClosed() && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
