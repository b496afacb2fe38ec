package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The target's user ids as bits in a window from the smallest id, looked up in {@code USERS} beyond it. */
class TargetUserIdsTest {

    @TempDir
    Path dir;

    @FunctionalInterface
    private interface Check {
        void run(TargetUserIds ids) throws SQLException;
    }

    /** Runs the check on ids added in order, with a window of 100, over a target whose USERS holds them. */
    private void withTargetUsers(String name, int[] users, Check check) throws SQLException {
        DatabaseAddress address = DatabaseAddress.parse("target", "jdbc:derby:memory:" + name, dir);
        try (Connection target = Databases.openOrCreate(address, Credentials.NONE)) {
            Sql.execute(target, "CREATE SCHEMA KMS55");
            Sql.execute(target, "CREATE TABLE KMS55.USERS (USER_ID INTEGER)");
            for (int id : users) {
                Sql.update(target, "INSERT INTO KMS55.USERS VALUES (?)", id);
            }
            try (TargetUserIds ids = new TargetUserIds(target, 100)) {
                for (int id : users) {
                    ids.add(id);
                }
                check.run(ids);
            }
            target.rollback();
        } finally {
            Databases.drop(address, Credentials.NONE);
        }
    }

    @Test
    void idsInTheWindowAreAnsweredFromBitsAndIdsBeyondItFromTheTarget() throws SQLException {
        withTargetUsers("target-user-ids", new int[] {-5, -4, 2, 95, 96, 1000}, ids -> {
                assertTrue(ids.contains(-5));
                assertTrue(ids.contains(2), "in the window of 100 ids from -5: -5 to 94");
                assertFalse(ids.contains(-6), "below the smallest id");
                assertFalse(ids.contains(3));
                assertTrue(ids.contains(95), "the first id beyond the window, looked up");
                assertTrue(ids.contains(96), "looked up");
                assertTrue(ids.contains(1000), "looked up");
                assertFalse(ids.contains(999), "looked up, absent");
                assertFalse(ids.contains(Integer.MAX_VALUE));
        });
    }

    @Test
    void withNoIdBeyondTheWindowNothingIsLookedUpAndAnEmptyTableHoldsNoId() throws SQLException {
        try (TargetUserIds ids = new TargetUserIds(null, 100)) { // a look-up would fail on the null connection
            assertFalse(ids.contains(1), "no user at all");
            ids.add(1);
            ids.add(100);
            assertTrue(ids.contains(100));
            assertFalse(ids.contains(101));
            assertFalse(ids.contains(5000));
        }
    }

    @Test
    void anIdRightAfterTheWindowIsLookedUpEvenWhenNoneLiesFurther() throws SQLException {
        // offset 100: the first id past a window of 100, and the last id
        withTargetUsers("target-user-ids-edge", new int[] {0, 100}, ids -> {
            assertTrue(ids.contains(0));
            assertTrue(ids.contains(100), "the id right after the window");
            assertFalse(ids.contains(99));
            assertFalse(ids.contains(101));
        });
    }
}
