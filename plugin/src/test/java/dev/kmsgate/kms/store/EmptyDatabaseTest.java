package dev.kmsgate.kms.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** New plain databases are copies of one empty database: each a whole, independent Derby database. */
class EmptyDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void onlyDatabasesThatNeedNothingAtCreationAreCopies() {
        DatabaseAddress plain = DatabaseAddress.parse("target", dir.resolve("a").toString(), dir);
        assertTrue(EmptyDatabase.serves(plain, Credentials.NONE));
        assertFalse(EmptyDatabase.serves(plain, new Credentials(null, null, "boot secret", "test")), "encrypted: created with its own key");
        assertFalse(EmptyDatabase.serves(plain, new Credentials("alice", null, null, "test")), "the creating user owns the database");
        assertFalse(EmptyDatabase.serves(plain, new Credentials(null, "pw", null, "test")));
        assertFalse(EmptyDatabase.serves(DatabaseAddress.parse("target", "jdbc:derby:" + dir.resolve("b") + ";territory=de_DE", dir),
                Credentials.NONE), "a territory is fixed at creation");
        assertFalse(EmptyDatabase.serves(DatabaseAddress.parse("target", "jdbc:derby:memory:m", dir), Credentials.NONE));
    }

    @Test
    void twoCopiesAreIndependentDatabasesThatBootAgainAfterAShutdown() throws SQLException {
        DatabaseAddress first = DatabaseAddress.parse("target", dir.resolve("first").toString(), dir);
        DatabaseAddress second = DatabaseAddress.parse("target", dir.resolve("second").toString(), dir);
        try (Connection a = Databases.openOrCreate(first, Credentials.NONE); Connection b = Databases.openOrCreate(second, Credentials.NONE)) {
            Sql.execute(a, "CREATE TABLE ONLY_IN_FIRST (ID INT PRIMARY KEY)");
            Sql.update(a, "INSERT INTO ONLY_IN_FIRST VALUES (?)", 1);
            a.commit();
            assertFalse(hasTable(b, "ONLY_IN_FIRST"));
            b.rollback();
        } finally {
            Databases.shutdown(first, Credentials.NONE);
            Databases.shutdown(second, Credentials.NONE);
        }
        assertTrue(Files.isRegularFile(dir.resolve("first/service.properties")));
        assertFalse(Files.exists(dir.resolve("first/db.lck")), "shut down cleanly");
        try (Connection a = Databases.openExisting(first, Credentials.NONE)) {
            assertEquals(1L, Sql.queryLong(a, "SELECT COUNT(*) FROM ONLY_IN_FIRST"));
            a.rollback();
        } finally {
            Databases.shutdown(first, Credentials.NONE);
        }
        // and the next new database is empty again: the template never sees what its copies hold
        DatabaseAddress third = DatabaseAddress.parse("target", dir.resolve("third").toString(), dir);
        try (Connection c = Databases.openOrCreate(third, Credentials.NONE)) {
            assertFalse(hasTable(c, "ONLY_IN_FIRST"));
            c.rollback();
        } finally {
            Databases.shutdown(third, Credentials.NONE);
        }
    }

    @Test
    void theFirstJvmKeepsItsEmptyDatabaseForTheNextBeforeSettingItsCredentials() throws Exception {
        Path kept = dir.resolve("kept");
        Path made = EmptyDatabase.made(kept, EmptyDatabase.GATE, true, true);

        Path keptCopy = kept.resolve(EmptyDatabase.keptName(true));
        assertEquals(List.of(keptCopy), list(kept), "kept whole, under its name, nothing staged beside it");
        assertEquals("08004", refusal(made), "the JVM's own copy requires its credentials");
        opened(keptCopy, Credentials.NONE, c -> assertEquals(Kms55Schema.TABLES, Schemas.tables(c, Kms55Schema.SCHEMA),
                "the kept one requires none"));
    }

    @Test
    void theNextJvmCopiesTheKeptEmptyDatabaseAndSetsItsOwnCredentials() throws Exception {
        Path kept = dir.resolve("kept");
        EmptyDatabase.made(kept, EmptyDatabase.GATE, true, true);
        opened(kept.resolve(EmptyDatabase.keptName(true)), Credentials.NONE, c -> {
            Sql.execute(c, "CREATE TABLE APP.ONLY_IN_THE_KEPT_ONE (ID INT)");
            c.commit();
        });

        Path made = EmptyDatabase.made(kept, EmptyDatabase.GATE, true, true);

        assertEquals("08004", refusal(made));
        opened(made, EmptyDatabase.GATE, c -> {
            assertTrue(hasTable(c, "ONLY_IN_THE_KEPT_ONE"), "a copy of the kept one, not a new one");
            assertEquals(Kms55Schema.TABLES, Schemas.tables(c, Kms55Schema.SCHEMA));
        });
    }

    @Test
    void everyKeptEmptyDatabaseHoldsTheMetadataQueriesCompiled() throws Exception {
        Path kept = dir.resolve("kept");
        EmptyDatabase.made(kept, Credentials.NONE, false, false);
        EmptyDatabase.made(kept, EmptyDatabase.GATE, true, true);

        for (boolean kms55 : new boolean[] {false, true}) {
            opened(kept.resolve(EmptyDatabase.keptName(kms55)), Credentials.NONE, c -> assertEquals(
                    List.of("getColumns true", "getTables true"), storedStatements(c), "Derby compiles neither again in a copy"));
        }
        // a database Derby creates holds them, not compiled: what every copy saves
        DatabaseAddress created = DatabaseAddress.parse("database", dir.resolve("created").toString(), dir);
        try (Connection c = Databases.connect(created, Credentials.NONE, ";create=true")) {
            assertEquals(List.of("getColumns false", "getTables false"), storedStatements(c));
        } finally {
            Databases.shutdown(created, Credentials.NONE);
        }
    }

    /** Derby's stored metadata queries behind getTables and getColumns, and whether each is stored compiled. */
    private static List<String> storedStatements(Connection c) throws Exception {
        List<String> statements = new java.util.ArrayList<>();
        try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
                "SELECT STMTNAME, VALID FROM SYS.SYSSTATEMENTS WHERE STMTNAME IN ('getTables', 'getColumns') ORDER BY STMTNAME")) {
            while (rs.next()) {
                statements.add(rs.getString(1) + " " + rs.getBoolean(2));
            }
        }
        return statements;
    }

    @Test
    void aKeptEmptyDatabaseThatDoesNotBootIsMadeAgain() throws Exception {
        Path kept = dir.resolve("kept");
        EmptyDatabase.made(kept, Credentials.NONE, false, false);
        Path keptCopy = kept.resolve(EmptyDatabase.keptName(false));
        Databases.deleteRecursively(keptCopy.resolve("seg0"));

        Path made = EmptyDatabase.made(kept, Credentials.NONE, false, false);

        assertTrue(Files.isDirectory(keptCopy.resolve("seg0")), "the broken kept one was replaced");
        for (Path database : List.of(made, keptCopy)) {
            opened(database, Credentials.NONE, c -> assertFalse(hasTable(c, "ANY")));
        }
    }

    /** What a test checks in a database it opened. */
    private interface Check {
        void on(Connection connection) throws Exception;
    }

    /** Boots the database, runs the check and shuts it down again. */
    private void opened(Path database, Credentials credentials, Check check) throws Exception {
        DatabaseAddress address = DatabaseAddress.parse("database", database.toString(), dir);
        try (Connection c = Databases.openExisting(address, credentials)) {
            check.on(c);
            c.rollback();
        } finally {
            Databases.shutdown(address, credentials);
        }
    }

    private static String refusal(Path database) {
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:derby:" + database).close());
        return refused.getSQLState();
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        }
    }

    private static boolean hasTable(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        try (ResultSet tables = meta.getTables(null, null, table, null)) {
            return tables.next();
        }
    }
}
