package dev.kmsgate.kms.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user-id set, inside and beyond its window, on a real in-memory Derby KMS50 database. */
class UserIdsTest {

    @TempDir
    Path dir;

    private Connection database(int... userIds) throws SQLException {
        DatabaseAddress address = DatabaseAddress.parse("source", "jdbc:derby:memory:users-" + UUID.randomUUID(), dir);
        Connection connection = Databases.openOrCreate(address, Credentials.NONE);
        Kms50Schema.create(connection);
        try (PreparedStatement insert = connection.prepareStatement(Kms50Schema.INSERT_USER)) {
            for (int id : userIds) {
                insert.setInt(1, id);
                insert.setString(2, "/o=KMS Gate/cn=user" + id);
                insert.setString(3, null);
                insert.setTimestamp(4, new java.sql.Timestamp(0));
                insert.executeUpdate();
            }
        }
        Kms50Schema.addKeys(connection);
        connection.commit();
        return connection;
    }

    @Test
    void answersFromTheWindowAndLooksUpBeyondIt() throws SQLException {
        int first = -5;
        int beyond = first + UserIds.WINDOW; // the first id outside the bitmap
        try (Connection connection = database(first, 0, 7, 1_000_000, beyond, beyond + 2, Integer.MAX_VALUE);
             UserIds ids = UserIds.read(connection)) {
            for (int present : new int[] {first, 0, 7, 1_000_000, beyond, beyond + 2, Integer.MAX_VALUE}) {
                assertTrue(ids.contains(present), "user " + present + " exists");
            }
            for (int absent : new int[] {Integer.MIN_VALUE, first - 1, -4, 1, 6, 8, 999_999, beyond - 1, beyond + 1, Integer.MAX_VALUE - 1}) {
                assertFalse(ids.contains(absent), "user " + absent + " does not exist");
            }
            connection.rollback();
        }
    }

    @Test
    void anEmptyUserTableHasNoUsers() throws SQLException {
        try (Connection connection = database(); UserIds ids = UserIds.read(connection)) {
            assertFalse(ids.contains(0));
            assertFalse(ids.contains(1));
            assertFalse(ids.contains(Integer.MAX_VALUE));
            connection.rollback();
        }
    }
}
