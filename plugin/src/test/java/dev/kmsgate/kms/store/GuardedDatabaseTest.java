package dev.kmsgate.kms.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * What the capacity guard's tests share: one in-memory database per test class (creating one
 * costs more than all of a class's tests), set to a known state before each test on a fresh raw
 * connection, and a fresh ledger.
 */
abstract class GuardedDatabaseTest {

    @TempDir
    static Path dir;

    static DatabaseAddress address;
    Connection raw;
    TransactionLedger ledger;

    /** Creates the class's database with its tables; call from the subclass's {@code @BeforeAll}. */
    static void createDatabase(String name, String... ddl) throws SQLException {
        address = DatabaseAddress.parse("target", "jdbc:derby:memory:" + name + "-" + UUID.randomUUID(), dir);
        try (Connection connection = Databases.openOrCreate(address, Credentials.NONE);
             Statement statement = connection.createStatement()) {
            for (String sql : ddl) {
                statement.execute(sql);
            }
            connection.commit();
        }
    }

    /** Opens the test's raw connection after running and committing {@code reset}; call from {@code @BeforeEach}. */
    void openAfter(String... reset) throws SQLException {
        raw = Databases.openOrCreate(address, Credentials.NONE);
        try (Statement statement = raw.createStatement()) {
            for (String sql : reset) {
                statement.execute(sql);
            }
        }
        raw.commit();
        ledger = new TransactionLedger();
    }

    @AfterEach
    void closeConnection() throws SQLException {
        if (!raw.isClosed()) {
            raw.rollback();
            raw.close();
        }
    }

    @AfterAll
    static void dropDatabase() {
        Databases.drop(address, Credentials.NONE);
    }
}
