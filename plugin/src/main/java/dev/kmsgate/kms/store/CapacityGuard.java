package dev.kmsgate.kms.store;

import dev.kmsgate.kms.Parameters;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a connection behave like the KMS 5.0 storage engine: a transaction holds at most
 * {@code capacity} row changes (inserts, updates, deletes; bookkeeping rows included). The
 * statement that would exceed it fails with {@link TransactionCapacityExceededException} and the
 * whole transaction is rolled back.
 *
 * <p>Every writer of a target goes through this guard, so no code path can bypass it: the guarded
 * connection stays in manual-commit mode, refuses updatable result sets, stored procedure calls,
 * savepoints and unwrapping, and hands out only guarded statements. Row changes are counted from
 * the update counts the engine reports, after each statement; a refused transaction is recorded in
 * the {@link TransactionLedger} with the count it reached.
 *
 * <p>The paths that can change rows, each counted exactly or refused: {@code executeUpdate} and
 * {@code executeLargeUpdate} (every overload, on statements and prepared statements);
 * {@code execute} (every overload) and each further result reached by {@code getMoreResults};
 * {@code executeBatch} and {@code executeLargeBatch}, entry by entry, also when the batch fails
 * partway (a batch entry whose count the driver reports as {@code SUCCESS_NO_INFO} is refused:
 * its rows cannot be counted, and Derby never reports it); procedure calls, updatable result sets
 * and savepoints are refused, and so is DDL whose later statements would change rows the update
 * counts never show: triggers and cascading foreign keys ({@link GuardRules}).
 *
 * <p>Public for convert, which puts every connection to a target under it; not an API.
 */
public final class CapacityGuard {

    private final Connection raw;
    private final int capacity;
    private final TransactionLedger ledger;
    private long pending;
    /** The pending row changes by the table they change, for the ledger's work by phase. */
    private final Map<String, Long> pendingByTable = new HashMap<>();

    private CapacityGuard(Connection raw, int capacity, TransactionLedger ledger) {
        this.raw = raw;
        this.capacity = capacity;
        this.ledger = ledger;
    }

    /**
     * Wraps a connection. Closing the guarded connection closes the raw one.
     *
     * @param raw a connection the guard now owns
     * @param capacity the most row changes a transaction may hold, at least 1
     * @param ledger where each transaction is recorded
     */
    public static Connection guard(Connection raw, int capacity, TransactionLedger ledger) throws SQLException {
        CapacityGuard guard = new CapacityGuard(raw, Parameters.transactionCapacity(capacity), ledger);
        raw.setAutoCommit(false);
        ledger.opened();
        return proxy(Connection.class, guard.new ConnectionHandler());
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(CapacityGuard.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** What every guarded object throws once the run's simulated crash has happened. */
    private SQLException crash() {
        return new SQLException("The connection is gone: KMS Gate simulated a crash of this run (a resume trial). "
                + "Everything not committed before it is lost.", "08006");
    }

    private void failIfCrashed(String method) throws SQLException {
        if (ledger.crashed() && !method.equals("close") && !method.equals("isClosed")) {
            throw crash();
        }
    }

    private void count(long rowChanges, String table) throws SQLException {
        if (rowChanges <= 0) {
            return;
        }
        pending += rowChanges;
        pendingByTable.merge(table, rowChanges, Long::sum);
        if (pending > capacity) {
            refuse(new TransactionCapacityExceededException(pending, capacity));
        }
    }

    /** Counts a batch's row changes, or refuses the batch when the driver did not say how many it changed. */
    private void countBatch(long rowChanges, String table) throws SQLException {
        if (rowChanges == RowChanges.UNKNOWN) {
            refuse(new SQLException(RowChanges.NO_INFO_REFUSED));
        }
        count(rowChanges, table);
    }

    /** The transaction ended: its row changes by table are forgotten (a commit has handed them to the ledger). */
    private void ended() {
        pending = 0;
        pendingByTable.clear();
    }

    /** Rolls the transaction back, records it as refused with the count it reached, and throws the refusal. */
    private void refuse(SQLException refusal) throws SQLException {
        long attempted = pending;
        ended();
        try {
            raw.rollback();
        } catch (SQLException e) {
            refusal.addSuppressed(e);
        }
        ledger.refused(attempted);
        throw refusal;
    }

    private final class ConnectionHandler implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            failIfCrashed(method.getName());
            switch (method.getName()) {
                case "createStatement" -> {
                    GuardRules.refuseUpdatable(args);
                    Statement statement = (Statement) CapacityGuard.invoke(raw, method, args);
                    return proxy(Statement.class, new StatementHandler(statement, (Connection) proxy, PhaseWork.UNKNOWN));
                }
                case "prepareStatement" -> {
                    GuardRules.refuseUpdatable(args);
                    GuardRules.refuseUncounted((String) args[0]);
                    PreparedStatement statement = (PreparedStatement) CapacityGuard.invoke(raw, method, args);
                    return proxy(PreparedStatement.class, new StatementHandler(statement, (Connection) proxy, PhaseWork.tableOf((String) args[0])));
                }
                case "getMetaData" -> {
                    DatabaseMetaData metaData = (DatabaseMetaData) CapacityGuard.invoke(raw, method, args);
                    return proxy(DatabaseMetaData.class, new MetaDataHandler(metaData, (Connection) proxy));
                }
                case "prepareCall" -> throw new SQLFeatureNotSupportedException("Procedure calls bypass the transaction capacity guard and are not allowed.");
                case "setSavepoint", "releaseSavepoint" -> throw new SQLFeatureNotSupportedException("Savepoints are not supported through the transaction capacity guard.");
                case "setAutoCommit" -> {
                    if (Boolean.TRUE.equals(args[0])) {
                        throw new SQLFeatureNotSupportedException("A guarded connection stays in manual-commit mode: autocommit would hide each transaction from the capacity guard.");
                    }
                    return null;
                }
                case "commit" -> {
                    if (pending > 0 && ledger.crashesNow()) {
                        raw.rollback();
                        ledger.rolledBack(pending);
                        ended();
                        throw crash();
                    }
                    raw.commit();
                    ledger.committed(pending, pendingByTable);
                    ended();
                    return null;
                }
                case "rollback" -> {
                    if (args != null && args.length > 0) {
                        throw new SQLFeatureNotSupportedException("Savepoints are not supported through the transaction capacity guard.");
                    }
                    raw.rollback();
                    ledger.rolledBack(pending);
                    ended();
                    return null;
                }
                case "unwrap" -> throw new SQLException("A guarded connection cannot be unwrapped: that would bypass the transaction capacity guard.");
                case "isWrapperFor" -> {
                    return false;
                }
                case "close" -> {
                    // Always roll back what is uncommitted, row changes or not: Derby refuses to close a
                    // connection inside a transaction (25001), and a failed close would leak the
                    // connection with its locks (a DDL statement that failed on a full disk, say).
                    SQLException rollbackFailure = null;
                    if (!raw.isClosed()) {
                        try {
                            raw.rollback();
                        } catch (SQLException e) {
                            rollbackFailure = e;
                        }
                        ledger.rolledBack(pending);
                        ended();
                    }
                    try {
                        raw.close();
                    } catch (SQLException e) {
                        if (rollbackFailure != null) {
                            e.addSuppressed(rollbackFailure);
                        }
                        throw e;
                    }
                    return null;
                }
                case "toString" -> {
                    return "CapacityGuard[capacity=" + capacity + ", pending=" + pending + "]";
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                default -> {
                    return CapacityGuard.invoke(raw, method, args);
                }
            }
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement statement;
        private final Connection connection;
        /** The table the statement last wrote or was prepared to write, for the ledger's work by phase. */
        private String table;

        StatementHandler(Statement statement, Connection connection, String table) {
            this.statement = statement;
            this.connection = connection;
            this.table = table;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            failIfCrashed(name);
            if (args != null && args.length > 0 && args[0] instanceof String sql
                    && (name.startsWith("execute") || name.equals("addBatch"))) {
                GuardRules.refuseUncounted(sql);
                table = PhaseWork.tableOf(sql);
            }
            switch (name) {
                case "executeUpdate" -> {
                    int count = (Integer) CapacityGuard.invoke(statement, method, args);
                    count(count, table);
                    return count;
                }
                case "executeLargeUpdate" -> {
                    long count = (Long) CapacityGuard.invoke(statement, method, args);
                    count(count, table);
                    return count;
                }
                case "execute", "getMoreResults" -> {
                    // each result of a statement is counted once: the first by execute, every next
                    // one by the getMoreResults that moves to it (getUpdateCount only reads it again)
                    boolean resultSet = (Boolean) CapacityGuard.invoke(statement, method, args);
                    if (!resultSet) {
                        count(statement.getUpdateCount(), table);
                    }
                    return resultSet;
                }
                case "executeBatch" -> {
                    try {
                        int[] counts = (int[]) CapacityGuard.invoke(statement, method, args);
                        countBatch(RowChanges.of(counts), table);
                        return counts;
                    } catch (BatchUpdateException e) {
                        countBatch(RowChanges.of(e.getUpdateCounts()), table);
                        throw e;
                    }
                }
                case "executeLargeBatch" -> {
                    try {
                        long[] counts = (long[]) CapacityGuard.invoke(statement, method, args);
                        countBatch(RowChanges.of(counts), table);
                        return counts;
                    } catch (BatchUpdateException e) {
                        countBatch(RowChanges.of(e.getLargeUpdateCounts()), table);
                        throw e;
                    }
                }
                case "executeQuery", "getResultSet", "getGeneratedKeys" -> {
                    ResultSet rs = (ResultSet) CapacityGuard.invoke(statement, method, args);
                    return rs == null ? null : proxy(ResultSet.class, new ResultSetHandler(rs, (Statement) proxy));
                }
                case "getConnection" -> {
                    return connection;
                }
                case "unwrap" -> throw new SQLException("A guarded statement cannot be unwrapped: that would bypass the transaction capacity guard.");
                case "isWrapperFor" -> {
                    return false;
                }
                case "toString" -> {
                    return "Guarded" + statement;
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                default -> {
                    return CapacityGuard.invoke(statement, method, args);
                }
            }
        }
    }

    /** Hands back the guarded connection, never the raw one, and result sets that do not lead to it either. */
    private final class MetaDataHandler implements InvocationHandler {
        private final DatabaseMetaData metaData;
        private final Connection connection;

        MetaDataHandler(DatabaseMetaData metaData, Connection connection) {
            this.metaData = metaData;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            failIfCrashed(method.getName());
            return switch (method.getName()) {
                case "getConnection" -> connection;
                case "unwrap" -> throw new SQLException("Guarded database metadata cannot be unwrapped.");
                case "isWrapperFor" -> false;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> {
                    Object result = CapacityGuard.invoke(metaData, method, args);
                    // JDBC: a result set produced by DatabaseMetaData may report no statement
                    yield result instanceof ResultSet rs ? proxy(ResultSet.class, new ResultSetHandler(rs, null)) : result;
                }
            };
        }
    }

    /** Hands back the guarded statement, never the raw one, and refuses unwrapping. */
    private final class ResultSetHandler implements InvocationHandler {
        private final ResultSet resultSet;
        private final Statement statement;

        ResultSetHandler(ResultSet resultSet, Statement statement) {
            this.resultSet = resultSet;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            failIfCrashed(method.getName());
            return switch (method.getName()) {
                case "getStatement" -> statement;
                case "unwrap" -> throw new SQLException("A guarded result set cannot be unwrapped.");
                case "isWrapperFor" -> false;
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> CapacityGuard.invoke(resultSet, method, args);
            };
        }
    }
}
