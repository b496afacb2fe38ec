package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transaction-capacity guard on a real in-memory Derby database. */
class CapacityGuardTest extends GuardedDatabaseTest {

    @BeforeAll
    static void createDatabase() throws SQLException {
        createDatabase("guard", "CREATE TABLE T (ID INTEGER NOT NULL PRIMARY KEY)");
    }

    @BeforeEach
    void openEmptyTable() throws SQLException {
        openAfter("DELETE FROM T", "CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('kmsgate.test.marker', NULL)");
    }

    private Connection guard(int capacity) throws SQLException {
        return CapacityGuard.guard(raw, capacity, ledger);
    }

    /** The ids in T as a second, unguarded connection sees them: only what was committed. */
    private List<Integer> committedIds() throws SQLException {
        try (Connection other = Databases.openExisting(address, Credentials.NONE);
             Statement statement = other.createStatement();
             ResultSet rs = statement.executeQuery("SELECT ID FROM T ORDER BY ID")) {
            List<Integer> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
            other.rollback();
            return ids;
        }
    }

    private static void insert(Connection connection, int... ids) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            StringBuilder values = new StringBuilder();
            for (int id : ids) {
                values.append(values.length() == 0 ? "" : ", ").append('(').append(id).append(')');
            }
            statement.executeUpdate("INSERT INTO T (ID) VALUES " + values);
        }
    }

    @Test
    void statementThatWouldExceedTheCapacityFailsNamingCountAndCapacity() throws SQLException {
        Connection guarded = guard(3);
        insert(guarded, 1, 2);

        TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class,
                () -> insert(guarded, 3, 4));

        assertEquals(Messages.format(Messages.CAPACITY_EXCEEDED, 4L, 3), refused.getMessage());
        assertEquals("Transaction capacity exceeded: a transaction reached 4 row changes, but the target accepts at most 3 "
                + "(transactionCapacity); it was rolled back.", refused.getMessage());
        assertEquals("54K01", refused.getSQLState());
        assertEquals(TransactionCapacityExceededException.SQL_STATE, refused.getSQLState());
        assertEquals(4, refused.attempted());
        assertEquals(3, refused.capacity());
    }

    @Test
    void transactionExactlyAtTheCapacityCommits() throws SQLException {
        Connection guarded = guard(3);
        insert(guarded, 1, 2);
        insert(guarded, 3);
        guarded.commit();

        assertEquals(List.of(1, 2, 3), committedIds());
        assertEquals(1, ledger.committedTransactions());
        assertEquals(3, ledger.largestTransaction());
        assertEquals(0, ledger.refusedTransactions());
    }

    @Test
    void refusedTransactionIsRolledBackWholeWhileEarlierCommitsRemain() throws SQLException {
        Connection guarded = guard(3);
        insert(guarded, 1, 2);
        guarded.commit();
        insert(guarded, 3);
        insert(guarded, 4);

        assertThrows(TransactionCapacityExceededException.class, () -> insert(guarded, 5, 6));

        // rows 3 and 4 were written by earlier statements of the refused transaction: gone too
        assertEquals(List.of(1, 2), committedIds());
        try (Statement statement = guarded.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM T")) {
            rs.next();
            assertEquals(2, rs.getInt(1), "the guarded connection itself sees the rollback");
        }
    }

    @Test
    void connectionStartsAFreshCountAfterARefusal() throws SQLException {
        Connection guarded = guard(3);
        insert(guarded, 1, 2, 3);
        assertThrows(TransactionCapacityExceededException.class, () -> insert(guarded, 4));

        insert(guarded, 10, 11, 12);
        guarded.commit();

        assertEquals(List.of(10, 11, 12), committedIds());
        assertEquals(3, ledger.committedRowChanges());
    }

    @Test
    void executeUpdateExecuteAndExecuteBatchAreAllCounted() throws SQLException {
        Connection guarded = guard(6);
        try (Statement statement = guarded.createStatement();
             PreparedStatement batch = guarded.prepareStatement("INSERT INTO T (ID) VALUES (?)")) {
            assertEquals(1, statement.executeUpdate("INSERT INTO T (ID) VALUES (1)"));
            assertFalse(statement.execute("INSERT INTO T (ID) VALUES (2), (3)"));
            batch.setInt(1, 4);
            batch.addBatch();
            batch.setInt(1, 5);
            batch.addBatch();
            assertArrayEquals(new int[] {1, 1}, batch.executeBatch());
            // 5 so far: one more row fits, a second one would not
            batch.setInt(1, 6);
            assertEquals(1, batch.executeUpdate());
            TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class,
                    () -> statement.execute("UPDATE T SET ID = ID + 100 WHERE ID = 1"));
            assertEquals(7, refused.attempted());
        }
        assertEquals(List.of(), committedIds());
    }

    @Test
    void updatesAndDeletesCountEveryRowTheyChange() throws SQLException {
        Connection guarded = guard(4);
        insert(guarded, 1, 2, 3);
        guarded.commit();
        try (Statement statement = guarded.createStatement()) {
            assertEquals(3, statement.executeUpdate("UPDATE T SET ID = ID + 10"));
            TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class,
                    () -> statement.executeUpdate("DELETE FROM T"));
            assertEquals(Messages.format(Messages.CAPACITY_EXCEEDED, 6L, 4), refused.getMessage());
        }
        assertEquals(List.of(1, 2, 3), committedIds());
    }

    @Test
    void statementsThatChangeNoRowCostNothing() throws SQLException {
        Connection guarded = guard(1);
        try (Statement statement = guarded.createStatement()) {
            assertEquals(0, statement.executeUpdate("DELETE FROM T WHERE ID < 0"));
            assertFalse(statement.execute("UPDATE T SET ID = 0 WHERE ID < 0"));
            try (ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM T")) {
                rs.next();
            }
            assertEquals(1, statement.executeUpdate("INSERT INTO T (ID) VALUES (1)"));
        }
        guarded.commit();
        assertEquals(List.of(1), committedIds());
    }

    @Test
    void batchThatCrossesTheCapacityIsRefusedAndRolledBack() throws SQLException {
        Connection guarded = guard(5);
        insert(guarded, 1, 2);
        try (PreparedStatement batch = guarded.prepareStatement("INSERT INTO T (ID) VALUES (?)")) {
            for (int id = 3; id <= 6; id++) {
                batch.setInt(1, id);
                batch.addBatch();
            }
            TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class, batch::executeBatch);
            assertEquals(6, refused.attempted());
            assertEquals(Messages.format(Messages.CAPACITY_EXCEEDED, 6L, 5), refused.getMessage());
        }
        assertEquals(List.of(), committedIds());
        assertEquals(1, ledger.refusedTransactions());
        assertEquals(6, ledger.largestTransaction());
    }

    @Test
    void batchLargerThanTheCapacityOnItsOwnIsRefused() throws SQLException {
        Connection guarded = guard(2);
        try (Statement statement = guarded.createStatement()) {
            statement.addBatch("INSERT INTO T (ID) VALUES (1)");
            statement.addBatch("INSERT INTO T (ID) VALUES (2)");
            statement.addBatch("INSERT INTO T (ID) VALUES (3)");
            TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class, statement::executeBatch);
            assertEquals(3, refused.attempted());
        }
        assertEquals(List.of(), committedIds());
    }

    @Test
    void batchThatFailsPartwayStillCountsTheRowsItChanged() throws SQLException {
        Connection guarded = guard(3);
        insert(guarded, 1);
        guarded.commit();
        try (PreparedStatement batch = guarded.prepareStatement("INSERT INTO T (ID) VALUES (?)")) {
            for (int id : new int[] {2, 3, 1}) { // the third is a duplicate key
                batch.setInt(1, id);
                batch.addBatch();
            }
            assertThrows(BatchUpdateException.class, batch::executeBatch);
        }
        // Derby rolls back only the failing statement: rows 2 and 3 are pending and count
        assertThrows(TransactionCapacityExceededException.class, () -> insert(guarded, 4, 5));
        assertEquals(List.of(1), committedIds());
        assertEquals(4, ledger.largestTransaction());
    }

    @Test
    void ledgerRecordsCommittedRolledBackRefusedAndTheLargestAttempt() throws SQLException {
        Connection guarded = guard(4);
        insert(guarded, 1, 2);
        guarded.commit();                 // committed, 2 row changes
        insert(guarded, 3, 4, 5);
        guarded.rollback();               // rolled back by the writer, 3
        guarded.commit();                 // nothing pending: not a transaction
        insert(guarded, 6, 7, 8, 9);
        guarded.commit();                 // committed, 4
        insert(guarded, 10, 11, 12);
        assertThrows(TransactionCapacityExceededException.class, () -> insert(guarded, 13, 14)); // refused at 5

        assertEquals(2, ledger.committedTransactions());
        assertEquals(6, ledger.committedRowChanges());
        assertEquals(2, ledger.rolledBackTransactions(), "the writer's rollback and the guard's refusal");
        assertEquals(1, ledger.refusedTransactions());
        assertEquals(5, ledger.largestTransaction());
        assertEquals("TransactionLedger[committed=2, rolledBack=2, refused=1, rowChanges=6, largest=5]", ledger.toString());
        assertEquals(List.of(1, 2, 6, 7, 8, 9), committedIds());
    }

    @Test
    void closingWithPendingChangesRollsThemBackAndRecordsIt() throws SQLException {
        Connection guarded = guard(10);
        insert(guarded, 1);
        guarded.commit();
        insert(guarded, 2, 3);
        guarded.close();

        assertTrue(raw.isClosed(), "closing the guard closes the raw connection");
        assertEquals(List.of(1), committedIds());
        assertEquals(1, ledger.rolledBackTransactions());
        assertEquals(2, ledger.largestTransaction());
    }

    @Test
    void guardTurnsAutocommitOffAndRefusesToTurnItOn() throws SQLException {
        raw.setAutoCommit(true);
        Connection guarded = guard(2);
        assertFalse(raw.getAutoCommit());
        assertFalse(guarded.getAutoCommit());

        guarded.setAutoCommit(false);
        SQLFeatureNotSupportedException refused = assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.setAutoCommit(true));
        assertEquals("A guarded connection stays in manual-commit mode: autocommit would hide each transaction from the capacity guard.",
                refused.getMessage());
        assertFalse(raw.getAutoCommit());
    }

    @Test
    void capacityBelowOneIsRefused() {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> CapacityGuard.guard(raw, 0, ledger));
        assertEquals(Messages.format(Messages.CAPACITY_TOO_SMALL, 0), refused.getMessage());
    }

    @Test
    void prepareCallIsRefused() throws SQLException {
        Connection guarded = guard(2);
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.prepareCall("CALL SYSCS_UTIL.SYSCS_CHECKPOINT_DATABASE()"));
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.prepareCall("{call SYSCS_UTIL.SYSCS_CHECKPOINT_DATABASE()}",
                ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY));
    }

    @Test
    void procedureCallsThroughStatementsAreRefusedBeforeTheyRun() throws SQLException {
        Connection guarded = guard(2);
        String call = "CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('kmsgate.test.marker', 'written')";
        try (Statement statement = guarded.createStatement()) {
            SQLFeatureNotSupportedException refused = assertThrows(SQLFeatureNotSupportedException.class, () -> statement.execute(call));
            assertEquals("Procedure calls bypass the transaction capacity guard and are not allowed: " + call, refused.getMessage());
            assertThrows(SQLFeatureNotSupportedException.class, () -> statement.executeUpdate("  call " + call.substring(5)));
            assertThrows(SQLFeatureNotSupportedException.class, () -> statement.execute("{" + call + "}"));
            assertThrows(SQLFeatureNotSupportedException.class, () -> statement.addBatch(call));
            assertThrows(SQLFeatureNotSupportedException.class, () -> statement.execute("/* a comment */ " + call));
            assertThrows(SQLFeatureNotSupportedException.class, () -> statement.execute("-- a comment\n" + call));
        }
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.prepareStatement(call));
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.prepareStatement("--x\n" + call));
        guarded.commit();

        try (Statement statement = raw.createStatement();
             ResultSet rs = statement.executeQuery("VALUES SYSCS_UTIL.SYSCS_GET_DATABASE_PROPERTY('kmsgate.test.marker')")) {
            rs.next();
            assertNull(rs.getString(1), "no refused call ran");
        }
    }

    @Test
    void savepointsAreRefused() throws SQLException {
        Connection guarded = guard(2);
        assertThrows(SQLFeatureNotSupportedException.class, guarded::setSavepoint);
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.setSavepoint("s1"));
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.releaseSavepoint((Savepoint) null));
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.rollback((Savepoint) null));
    }

    @Test
    void rollbackToARealSavepointIsRefusedAndLeavesTheCountIntact() throws SQLException {
        // a savepoint taken on the raw connection before guarding must not let the guard's count drift
        Savepoint savepoint = raw.setSavepoint("before");
        Connection guarded = guard(2);
        insert(guarded, 1, 2);
        assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.rollback(savepoint));
        assertThrows(TransactionCapacityExceededException.class, () -> insert(guarded, 3));
    }

    @Test
    void updatableResultSetsAreRefused() throws SQLException {
        Connection guarded = guard(2);
        assertThrows(SQLFeatureNotSupportedException.class,
                () -> guarded.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE));
        assertThrows(SQLFeatureNotSupportedException.class,
                () -> guarded.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE, ResultSet.CLOSE_CURSORS_AT_COMMIT));
        assertThrows(SQLFeatureNotSupportedException.class,
                () -> guarded.prepareStatement("SELECT ID FROM T", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE));
        SQLFeatureNotSupportedException refused = assertThrows(SQLFeatureNotSupportedException.class,
                () -> guarded.prepareStatement("SELECT ID FROM T", ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_UPDATABLE,
                        ResultSet.HOLD_CURSORS_OVER_COMMIT));
        assertEquals("Updatable result sets bypass the transaction capacity guard and are not allowed.", refused.getMessage());

        // read-only ones are fine
        try (Statement statement = guarded.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM T")) {
            assertTrue(rs.next());
        }
        // RETURN_GENERATED_KEYS is an int argument too, but not a concurrency
        try (PreparedStatement insert = guarded.prepareStatement("INSERT INTO T (ID) VALUES (1)", Statement.RETURN_GENERATED_KEYS)) {
            assertEquals(1, insert.executeUpdate());
        }
    }

    @Test
    void unwrappingIsRefusedAtEveryLevel() throws SQLException {
        Connection guarded = guard(2);
        assertThrows(SQLException.class, () -> guarded.unwrap(Connection.class));
        assertFalse(guarded.isWrapperFor(Connection.class));
        try (Statement statement = guarded.createStatement();
             PreparedStatement prepared = guarded.prepareStatement("SELECT ID FROM T");
             ResultSet rs = statement.executeQuery("SELECT ID FROM T")) {
            assertThrows(SQLException.class, () -> statement.unwrap(Statement.class));
            assertFalse(statement.isWrapperFor(Statement.class));
            assertThrows(SQLException.class, () -> prepared.unwrap(PreparedStatement.class));
            assertThrows(SQLException.class, () -> rs.unwrap(ResultSet.class));
            assertFalse(rs.isWrapperFor(ResultSet.class));
        }
    }

    @Test
    void resultSetsAndStatementsLeadBackOnlyToTheGuardedConnection() throws SQLException {
        Connection guarded = guard(2);
        try (Statement statement = guarded.createStatement();
             PreparedStatement prepared = guarded.prepareStatement("SELECT ID FROM T WHERE ID > ?")) {
            assertSame(guarded, statement.getConnection());
            assertSame(guarded, prepared.getConnection());
            try (ResultSet rs = statement.executeQuery("SELECT ID FROM T")) {
                assertSame(statement, rs.getStatement());
                assertSame(guarded, rs.getStatement().getConnection());
            }
            prepared.setInt(1, 0);
            try (ResultSet rs = prepared.executeQuery()) {
                assertSame(prepared, rs.getStatement());
                assertSame(guarded, rs.getStatement().getConnection());
            }
            assertTrue(statement.execute("SELECT ID FROM T"));
            try (ResultSet rs = statement.getResultSet()) {
                assertSame(guarded, rs.getStatement().getConnection());
            }
            // the way back still counts: a write through it is held to the capacity
            Statement escaped = guarded.createStatement().executeQuery("SELECT ID FROM T").getStatement();
            assertThrows(TransactionCapacityExceededException.class,
                    () -> escaped.getConnection().createStatement().executeUpdate("INSERT INTO T (ID) VALUES (1), (2), (3)"));
            assertThrows(SQLFeatureNotSupportedException.class, () -> escaped.getConnection().setAutoCommit(true));
        }
    }

    @Test
    void metadataLeadsBackOnlyToTheGuardedConnection() throws SQLException {
        Connection guarded = guard(2);
        Connection fromMetadata = guarded.getMetaData().getConnection();
        assertSame(guarded, fromMetadata);
        assertThrows(SQLFeatureNotSupportedException.class, () -> fromMetadata.setAutoCommit(true));
        assertThrows(SQLException.class, () -> guarded.getMetaData().unwrap(java.sql.DatabaseMetaData.class));
        try (ResultSet tables = guarded.getMetaData().getTables(null, null, "T", new String[] {"TABLE"})) {
            assertTrue(tables.next());
            assertNull(tables.getStatement(), "a metadata result set reports no statement, so none leads to the raw connection");
            assertThrows(SQLException.class, () -> tables.unwrap(ResultSet.class));
        }
        assertThrows(TransactionCapacityExceededException.class,
                () -> fromMetadata.createStatement().executeUpdate("INSERT INTO T (ID) VALUES (1), (2), (3)"));
    }
}
