package dev.kmsgate.kms.store;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated crash of the gate's resume trials, as the guard plays it on a real database: the
 * chosen commit is lost, and from then on every guarded object of the run fails as a connection to
 * a dead server would, except {@code close} and {@code isClosed}. Also the ledger's clock, which the
 * report's charts draw on.
 */
class CapacityGuardCrashTest extends GuardedDatabaseTest {

    private static final String LOST = "The connection is gone: KMS Gate simulated a crash of this run (a resume trial). "
            + "Everything not committed before it is lost.";

    @BeforeAll
    static void createDatabase() throws SQLException {
        createDatabase("guard-crash", "CREATE TABLE C (N INTEGER NOT NULL)");
    }

    @BeforeEach
    void empty() throws SQLException {
        openAfter("DELETE FROM C");
    }

    private long rows() throws SQLException {
        try (Statement s = raw.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM C")) {
            rs.next();
            long count = rs.getLong(1);
            raw.commit();
            return count;
        }
    }

    private static void assertLost(Executable call) {
        SQLException e = assertThrows(SQLException.class, call);
        assertEquals(LOST, e.getMessage());
        assertEquals("08006", e.getSQLState());
    }

    @Test
    void theChosenCommitIsLostAndEveryGuardedObjectOfTheRunFailsFromThenOn() throws Exception {
        ledger.crashAtCommit(2);
        Connection guarded = CapacityGuard.guard(raw, 5, ledger);
        Connection other = CapacityGuard.guard(Databases.openOrCreate(address, Credentials.NONE), 5, ledger);
        Statement statement = guarded.createStatement();
        PreparedStatement insert = guarded.prepareStatement("INSERT INTO C VALUES (?)");
        DatabaseMetaData metaData = guarded.getMetaData();
        ResultSet open = statement.executeQuery("SELECT N FROM C");

        insert.setInt(1, 1);
        insert.executeUpdate();
        guarded.commit(); // the first commit with row changes
        guarded.commit(); // nothing pending: not a commit that counts towards the crash
        other.commit();
        assertFalse(ledger.crashed());
        insert.setInt(1, 2);
        insert.executeUpdate();
        insert.setInt(1, 3);
        insert.executeUpdate();
        assertLost(guarded::commit); // the second: lost

        assertTrue(ledger.crashed());
        assertEquals(1, ledger.committedTransactions());
        assertEquals(1, ledger.committedRowChanges());
        assertEquals(1, ledger.rolledBackTransactions());
        assertEquals(2, ledger.largestTransaction());
        // every guarded object of the run fails, on either connection, until it is closed
        assertLost(guarded::createStatement);
        assertLost(guarded::commit);
        assertLost(() -> other.prepareStatement("SELECT N FROM C"));
        assertLost(() -> statement.executeQuery("SELECT N FROM C"));
        assertLost(() -> insert.setInt(1, 4));
        assertLost(() -> metaData.getTables(null, "APP", "C", null));
        assertLost(open::next);
        assertFalse(guarded.isClosed());
        open.close();
        statement.close();
        insert.close();
        guarded.close();
        other.close();
        assertTrue(guarded.isClosed());

        try (Connection check = Databases.openOrCreate(address, Credentials.NONE);
             Statement s = check.createStatement(); ResultSet rs = s.executeQuery("SELECT N FROM C")) {
            assertTrue(rs.next());
            assertEquals(1, rs.getInt(1));
            assertFalse(rs.next(), "the lost commit's rows are in the database");
            check.rollback();
        }
    }

    @Test
    void aLedgerWithoutACrashNeverCrashes() throws Exception {
        ledger.crashAtCommit(0);
        Connection guarded = CapacityGuard.guard(raw, 5, ledger);
        try (PreparedStatement insert = guarded.prepareStatement("INSERT INTO C VALUES (?)")) {
            for (int i = 0; i < 3; i++) {
                insert.setInt(1, i);
                insert.executeUpdate();
                guarded.commit();
            }
        }
        assertFalse(ledger.crashed());
        assertEquals(3, ledger.committedTransactions());
        assertEquals(3, rows());
    }

    @Test
    void commitTimesCountFromTheFirstGuardedConnectionAndLieWithinTheRun() throws Exception {
        long before = System.nanoTime();
        Connection guarded = CapacityGuard.guard(raw, 5, ledger);
        Thread.sleep(100);
        try (PreparedStatement insert = guarded.prepareStatement("INSERT INTO C VALUES (?)")) {
            insert.setInt(1, 1);
            insert.executeUpdate();
            guarded.commit();
            // a later connection of the same ledger does not move the start
            Connection later = CapacityGuard.guard(Databases.openOrCreate(address, Credentials.NONE), 5, ledger);
            later.close();
            insert.setInt(1, 2);
            insert.executeUpdate();
            guarded.commit();
        }
        long wall = System.nanoTime() - before;
        long[] times = ledger.history().commitNanos();
        assertEquals(2, times.length);
        assertTrue(times[0] >= 100_000_000L, "the first commit at " + times[0] + " ns, after a pause of 100 ms");
        assertTrue(times[1] >= times[0] && times[1] <= wall, times[1] + " ns in a run of " + wall + " ns");
    }

    @Test
    void anEmptyHistoryAndTheLastUsedBucket() {
        TransactionHistory none = TransactionHistory.none();
        assertTrue(none.complete());
        assertEquals(List.of(0L, 0L, 0, 0), List.of(none.transactions(), none.rowChanges(), none.sizes().length, none.refusals().size()));
        assertEquals(1, none.sizeHistogram().width());
        assertEquals(1_000_000, none.timeline().width());
        assertArrayEquals(new long[TransactionLedger.BUCKETS], none.sizeHistogram().counts());
        assertEquals(-1, none.sizeHistogram().lastUsed());
        assertEquals(-1, none.timeline().lastUsed());

        long[] counts = new long[TransactionLedger.BUCKETS];
        Consumer<Integer> set = i -> counts[i] = 1;
        set.accept(0);
        assertEquals(0, new TransactionHistory.Histogram(1, counts).lastUsed());
        set.accept(5);
        assertEquals(5, new TransactionHistory.Histogram(1, counts).lastUsed());
        set.accept(TransactionLedger.BUCKETS - 1);
        assertEquals(TransactionLedger.BUCKETS - 1, new TransactionHistory.Histogram(1, counts).lastUsed());
    }
}
