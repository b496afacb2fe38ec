package dev.kmsgate.kms.store;

import dev.kmsgate.kms.Messages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JDBC path that can change rows goes through the capacity guard counted exactly or is
 * refused: each path here crosses the capacity on a real in-memory Derby database. The paths are
 * those a wrapping driver such as P6Spy enumerates on {@code Statement} and
 * {@code PreparedStatement}, plus the JDBC 4.2 large variants, which such wrappers often leave to
 * the interface's defaults.
 */
class CapacityGuardPathsTest extends GuardedDatabaseTest {

    @BeforeAll
    static void createDatabase() throws SQLException {
        createDatabase("guard-paths", "CREATE TABLE G (ID INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY, N INTEGER NOT NULL)");
    }

    @BeforeEach
    void threeCommittedRows() throws SQLException {
        openAfter("DELETE FROM G", "INSERT INTO G (N) VALUES (1), (2), (3)");
    }

    /** A path that changes rows: the three rows of G (five for the prepared batch), as often as it runs. */
    enum Path3 {
        EXECUTE_UPDATE_GENERATED_KEYS(s -> s.executeUpdate("UPDATE G SET N = N + 1", Statement.RETURN_GENERATED_KEYS)),
        EXECUTE_UPDATE_COLUMN_INDEXES(s -> s.executeUpdate("UPDATE G SET N = N + 1", new int[] {1})),
        EXECUTE_UPDATE_COLUMN_NAMES(s -> s.executeUpdate("UPDATE G SET N = N + 1", new String[] {"ID"})),
        EXECUTE_LARGE_UPDATE(s -> s.executeLargeUpdate("UPDATE G SET N = N + 1")),
        EXECUTE_LARGE_UPDATE_GENERATED_KEYS(s -> s.executeLargeUpdate("UPDATE G SET N = N + 1", Statement.RETURN_GENERATED_KEYS)),
        EXECUTE_LARGE_UPDATE_COLUMN_INDEXES(s -> s.executeLargeUpdate("UPDATE G SET N = N + 1", new int[] {1})),
        EXECUTE_LARGE_UPDATE_COLUMN_NAMES(s -> s.executeLargeUpdate("UPDATE G SET N = N + 1", new String[] {"ID"})),
        EXECUTE(s -> s.execute("UPDATE G SET N = N + 1")),
        EXECUTE_GENERATED_KEYS(s -> s.execute("UPDATE G SET N = N + 1", Statement.RETURN_GENERATED_KEYS)),
        EXECUTE_COLUMN_INDEXES(s -> s.execute("UPDATE G SET N = N + 1", new int[] {1})),
        EXECUTE_COLUMN_NAMES(s -> s.execute("UPDATE G SET N = N + 1", new String[] {"ID"})),
        PREPARED_EXECUTE_LARGE_UPDATE(s -> {
            try (PreparedStatement p = s.getConnection().prepareStatement("UPDATE G SET N = N + 1")) {
                p.executeLargeUpdate();
            }
        }),
        PREPARED_EXECUTE(s -> {
            try (PreparedStatement p = s.getConnection().prepareStatement("UPDATE G SET N = N + 1")) {
                p.execute();
            }
        }),
        STATEMENT_BATCH_OF_ONE_MULTI_ROW_ENTRY(s -> {
            s.addBatch("UPDATE G SET N = N + 1");
            assertArrayEquals(new int[] {3}, s.executeBatch());
        }),
        STATEMENT_LARGE_BATCH(s -> {
            s.addBatch("UPDATE G SET N = N WHERE N < 3");
            s.addBatch("UPDATE G SET N = N WHERE N = 3");
            assertArrayEquals(new long[] {2, 1}, s.executeLargeBatch());
        }),
        PREPARED_BATCH_OF_MULTI_ROW_ENTRIES(s -> {
            try (PreparedStatement p = s.getConnection().prepareStatement("UPDATE G SET N = N WHERE N >= ?")) {
                p.setInt(1, 2);
                p.addBatch(); // rows 2 and 3
                p.setInt(1, 100);
                p.addBatch(); // none
                p.setInt(1, 1);
                p.addBatch(); // all three
                assertArrayEquals(new int[] {2, 0, 3}, p.executeBatch());
            }
        }),
        PREPARED_LARGE_BATCH(s -> {
            try (PreparedStatement p = s.getConnection().prepareStatement("UPDATE G SET N = N + 1 WHERE ID > ?")) {
                p.setInt(1, Integer.MIN_VALUE);
                p.addBatch();
                assertArrayEquals(new long[] {3}, p.executeLargeBatch());
            }
        });

        private final Run run;

        Path3(Run run) {
            this.run = run;
        }

        @FunctionalInterface
        interface Run {
            void on(Statement statement) throws SQLException;
        }
    }

    @ParameterizedTest
    @EnumSource(Path3.class)
    void eachPathCountsEveryRowItChangesAndCrossesTheCapacity(Path3 path) throws SQLException {
        int changes = path == Path3.PREPARED_BATCH_OF_MULTI_ROW_ENTRIES ? 5 : 3;
        Connection guarded = CapacityGuard.guard(raw, changes + 1, ledger);
        try (Statement statement = guarded.createStatement()) {
            path.run.on(statement);
        }
        guarded.commit();
        assertEquals(changes, ledger.largestTransaction(), "counted exactly, within the capacity");

        Connection tight = CapacityGuard.guard(Databases.openOrCreate(address, Credentials.NONE), changes - 1, ledger);
        try (Statement statement = tight.createStatement()) {
            TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class, () -> path.run.on(statement));
            assertEquals(Messages.format(Messages.CAPACITY_EXCEEDED, (long) changes, changes - 1), refused.getMessage());
        } finally {
            tight.close();
        }
        assertEquals(1, ledger.refusedTransactions());
    }

    @Test
    void eachFurtherResultIsCountedOnceHoweverOftenItsCountIsRead() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 4, ledger);
        try (Statement statement = guarded.createStatement()) {
            assertFalse(statement.execute("UPDATE G SET N = N + 1"));
            assertEquals(3, statement.getUpdateCount());
            assertEquals(3, statement.getUpdateCount());
            assertFalse(statement.getMoreResults());
            assertEquals(-1, statement.getUpdateCount());
            assertFalse(statement.getMoreResults(Statement.CLOSE_CURRENT_RESULT));
            statement.executeUpdate("INSERT INTO G (N) VALUES (4)");
            TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class,
                    () -> statement.executeUpdate("INSERT INTO G (N) VALUES (5)"));
            assertEquals(5, refused.attempted());
        }
    }

    @Test
    void aPreparedStatementRefusesAddBatchOfTextAndNothingIsCounted() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 1, ledger);
        try (PreparedStatement p = guarded.prepareStatement("UPDATE G SET N = N + 1 WHERE ID = -1")) {
            assertThrows(SQLException.class, () -> p.addBatch("UPDATE G SET N = N + 1"));
            assertArrayEquals(new int[0], p.executeBatch());
        }
        guarded.commit();
        assertEquals(0, ledger.largestTransaction());
    }

    @Test
    void aBatchEntryWithoutAnUpdateCountIsRefusedNotGuessed() {
        assertEquals(RowChanges.UNKNOWN, RowChanges.of(new int[] {1, Statement.SUCCESS_NO_INFO, 1}));
        assertEquals(RowChanges.UNKNOWN, RowChanges.of(new long[] {Statement.SUCCESS_NO_INFO}));
        assertEquals(6, RowChanges.of(new int[] {3, Statement.EXECUTE_FAILED, 0, 2, 1}));
        assertEquals(6, RowChanges.of(new long[] {3, Statement.EXECUTE_FAILED, 0, 2, 1}));
        assertEquals(0, RowChanges.of(new int[0]));
    }

    @Test
    void triggersAndCascadingForeignKeysAreRefusedBeforeTheyRun() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 10, ledger);
        try (Statement statement = guarded.createStatement()) {
            SQLFeatureNotSupportedException trigger = assertThrows(SQLFeatureNotSupportedException.class, () -> statement.execute(
                    "/* audit */ create\n  trigger G_AUDIT AFTER UPDATE ON G FOR EACH ROW INSERT INTO G (N) VALUES (0)"));
            assertEquals("Triggers change rows that no update count shows, which bypasses the transaction capacity guard; they are not allowed: "
                    + "/* audit */ create\n  trigger G_AUDIT AFTER UPDATE ON G FOR EACH ROW INSERT INTO G (N) VALUES (0)", trigger.getMessage());
            assertThrows(SQLFeatureNotSupportedException.class, () -> guarded.prepareStatement(
                    "CREATE TABLE C (G_ID INTEGER REFERENCES G (ID) ON DELETE CASCADE)"));
            assertThrows(SQLFeatureNotSupportedException.class, () -> statement.addBatch(
                    "ALTER TABLE G ADD CONSTRAINT G_SELF FOREIGN KEY (N) REFERENCES G (ID) ON  DELETE\tSET NULL"));
            statement.execute("CREATE TABLE C (G_ID INTEGER REFERENCES G (ID) ON DELETE RESTRICT)");
            statement.execute("DROP TABLE C");
        }
        guarded.commit();
        try (Statement statement = raw.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT COUNT(*) FROM SYS.SYSTRIGGERS")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void aStatementOfNothingButCommentsReachesDerbyWhichRefusesIt() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 1, ledger);
        try (Statement statement = guarded.createStatement()) {
            for (String sql : List.of("-- nothing but a comment", "  /* a comment */  ", "/* unterminated")) {
                SQLException refused = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
                assertTrue(refused.getSQLState().startsWith("42X0"), sql); // Derby's syntax errors, not the guard's
            }
        }
    }

    @Test
    void aLargeBatchThatFailsPartwayStillCountsTheRowsItChanged() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 2, ledger);
        try (Statement statement = guarded.createStatement()) {
            statement.addBatch("UPDATE G SET N = N WHERE N < 3"); // 2 rows
            statement.addBatch("UPDATE G SET N = NULL"); // refused by NOT NULL
            statement.addBatch("UPDATE G SET N = N");
            assertThrows(java.sql.BatchUpdateException.class, statement::executeLargeBatch);
            TransactionCapacityExceededException refused = assertThrows(TransactionCapacityExceededException.class,
                    () -> statement.executeUpdate("UPDATE G SET N = N WHERE N = 3"));
            assertEquals(3, refused.attempted());
        }
    }

    @Test
    void guardedConnectionsAndStatementsAreEqualOnlyToThemselvesAndSayWhatTheyAre() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 2, ledger);
        try (Statement statement = guarded.createStatement(); Statement other = guarded.createStatement()) {
            assertTrue(statement.equals(statement));
            assertFalse(statement.equals(other));
            assertEquals(System.identityHashCode(statement), statement.hashCode());
            assertTrue(statement.toString().startsWith("Guarded"), statement.toString());
            assertTrue(guarded.equals(guarded));
            assertFalse(guarded.equals(raw));
            assertEquals("CapacityGuard[capacity=2, pending=0]", guarded.toString());
        }
    }

    @Test
    void guardedConnectionsMetaDataAndResultSetsHashByIdentityAndAreEqualOnlyToThemselves() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 2, ledger);
        Connection second = CapacityGuard.guard(raw, 2, ledger);
        assertEquals(System.identityHashCode(guarded), guarded.hashCode());
        assertFalse(guarded.equals(second));
        java.sql.DatabaseMetaData metaData = guarded.getMetaData();
        java.sql.DatabaseMetaData otherMetaData = guarded.getMetaData();
        assertEquals(System.identityHashCode(metaData), metaData.hashCode());
        assertTrue(metaData.equals(metaData));
        assertFalse(metaData.equals(otherMetaData));
        try (Statement statement = guarded.createStatement();
             ResultSet rs = statement.executeQuery("SELECT N FROM G");
             ResultSet other = statement.getConnection().createStatement().executeQuery("SELECT N FROM G")) {
            assertEquals(System.identityHashCode(rs), rs.hashCode());
            assertTrue(rs.equals(rs));
            assertFalse(rs.equals(other));
        }
    }

    @Test
    void aRollbackWithNothingPendingIsNoRolledBackTransaction() throws SQLException {
        Connection guarded = CapacityGuard.guard(raw, 2, ledger);
        long before = ledger.rolledBackTransactions();
        guarded.rollback();
        try (Statement statement = guarded.createStatement()) {
            statement.executeQuery("SELECT N FROM G").close();
        }
        guarded.rollback();
        assertEquals(before, ledger.rolledBackTransactions());
        try (Statement statement = guarded.createStatement()) {
            statement.executeUpdate("UPDATE G SET N = N WHERE N = 1");
        }
        guarded.rollback();
        assertEquals(before + 1, ledger.rolledBackTransactions());
        assertEquals(0, ledger.committedTransactions());
    }
}
