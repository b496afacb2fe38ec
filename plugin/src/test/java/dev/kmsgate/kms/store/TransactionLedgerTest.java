package dev.kmsgate.kms.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the ledger keeps of each transaction, for the report's charts. */
class TransactionLedgerTest {

    @TempDir
    Path dir;

    @Test
    void everyCommittedTransactionIsKeptWithItsSizeAndCommitTimeAndTheRefusedOneWithItsPosition() throws SQLException {
        DatabaseAddress address = DatabaseAddress.parse("target", "jdbc:derby:memory:ledger-" + UUID.randomUUID(), dir);
        TransactionLedger ledger = new TransactionLedger();
        try (Connection raw = Databases.openOrCreate(address, Credentials.NONE)) {
            try (Statement statement = raw.createStatement()) {
                statement.execute("CREATE TABLE T (ID INTEGER NOT NULL PRIMARY KEY)");
            }
            raw.commit();
            Connection guarded = CapacityGuard.guard(raw, 5, ledger);
            int id = 0;
            try (PreparedStatement insert = guarded.prepareStatement("INSERT INTO T VALUES (?)")) {
                for (int size : new int[] {5, 3, 1}) {
                    for (int i = 0; i < size; i++) {
                        insert.setInt(1, id++);
                        insert.executeUpdate();
                    }
                    guarded.commit();
                }
                assertThrows(TransactionCapacityExceededException.class, () -> {
                    for (int i = 0; i < 6; i++) {
                        insert.setInt(1, 100 + i);
                        insert.executeUpdate();
                    }
                });
                insert.setInt(1, 200);
                insert.executeUpdate();
                guarded.commit();
            }
            guarded.close();
        } finally {
            Databases.drop(address, Credentials.NONE);
        }

        TransactionHistory history = ledger.history();
        assertTrue(history.complete());
        assertArrayEquals(new int[] {5, 3, 1, 1}, history.sizes());
        assertEquals(4, history.transactions());
        assertEquals(10, history.rowChanges());
        long[] times = history.commitNanos();
        for (int i = 1; i < times.length; i++) {
            assertTrue(times[i] >= times[i - 1], Arrays.toString(times));
        }
        assertEquals(1, history.refusals().size());
        TransactionHistory.Refusal refusal = history.refusals().get(0);
        assertEquals(6, refusal.attempted());
        assertEquals(3, refusal.afterTransactions());
        assertTrue(refusal.atNanos() >= times[2] && refusal.atNanos() <= times[3]);
        assertEquals(1, history.sizeHistogram().width());
        assertEquals(2, history.sizeHistogram().counts()[1]);
        assertEquals(1, history.sizeHistogram().counts()[3]);
        assertEquals(1, history.sizeHistogram().counts()[5]);
        assertEquals(10, Arrays.stream(history.timeline().counts()).sum());
    }

    @Test
    void beyondTheExactLimitOnlyTheHistogramsGrowAndTheyStillCountEveryTransaction() {
        TransactionLedger ledger = new TransactionLedger();
        int transactions = TransactionLedger.EXACT_LIMIT + 5_000;
        long rows = 0;
        for (int i = 0; i < transactions; i++) {
            int size = 1 + i % 1000;
            ledger.committed(size);
            rows += size;
        }

        TransactionHistory history = ledger.history();
        assertFalse(history.complete());
        assertEquals(TransactionLedger.EXACT_LIMIT, history.sizes().length);
        assertEquals(TransactionLedger.EXACT_LIMIT, history.commitNanos().length);
        assertEquals(transactions, history.transactions());
        assertEquals(rows, history.rowChanges());
        assertEquals(TransactionLedger.BUCKETS, history.sizeHistogram().counts().length);
        // sizes 1..1000 need 64 buckets of width 16 (64 x 16 = 1024)
        assertEquals(16, history.sizeHistogram().width());
        assertEquals(transactions, Arrays.stream(history.sizeHistogram().counts()).sum());
        // each size appears 25 times: sizes 1 to 15 in the first bucket, 992 to 1000 in bucket 62, none in the last
        assertEquals(15 * 25, history.sizeHistogram().counts()[0]);
        assertEquals(9 * 25, history.sizeHistogram().counts()[62]);
        assertEquals(0, history.sizeHistogram().counts()[63]);
        assertEquals(TransactionLedger.BUCKETS, history.timeline().counts().length);
        assertEquals(rows, Arrays.stream(history.timeline().counts()).sum());
    }

    @Test
    void theFirstHundredRefusalsAreKeptEachCountedAsARolledBackTransaction() {
        TransactionLedger ledger = new TransactionLedger();
        ledger.committed(3);
        for (int i = 0; i < TransactionLedger.REFUSALS_KEPT + 20; i++) {
            ledger.refused(10 + i);
        }
        TransactionHistory history = ledger.history();
        assertEquals(TransactionLedger.REFUSALS_KEPT, history.refusals().size());
        assertEquals(10, history.refusals().get(0).attempted());
        assertEquals(1, history.refusals().get(0).afterTransactions());
        assertEquals(10 + TransactionLedger.REFUSALS_KEPT - 1, history.refusals().get(TransactionLedger.REFUSALS_KEPT - 1).attempted());
        assertEquals(TransactionLedger.REFUSALS_KEPT + 20, ledger.refusedTransactions());
        assertEquals(TransactionLedger.REFUSALS_KEPT + 20, ledger.rolledBackTransactions());
        assertEquals(10 + TransactionLedger.REFUSALS_KEPT + 19, ledger.largestTransaction());
        assertEquals("TransactionLedger[committed=1, rolledBack=120, refused=120, rowChanges=3, largest=129]", ledger.toString());
        // a commit or a rollback of nothing is no transaction
        ledger.committed(0);
        ledger.rolledBack(0);
        assertEquals(1, ledger.committedTransactions());
        assertEquals(TransactionLedger.REFUSALS_KEPT + 20, ledger.rolledBackTransactions());
    }
}
