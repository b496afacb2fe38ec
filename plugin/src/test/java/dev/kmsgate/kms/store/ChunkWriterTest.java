package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.LoopbackServer;
import dev.kmsgate.kms.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commit boundaries of {@link ChunkWriter}, on an embedded database (each row executed as it is
 * added) and through a real Network Server on loopback (rows in JDBC batches): whatever the path,
 * exactly every {@code rowsPerCommit} rows are committed together, parents before children.
 */
class ChunkWriterTest {

    private static final String PARENT = "INSERT INTO P (ID) VALUES (?)";
    private static final String CHILD = "INSERT INTO C (ID, PARENT) VALUES (?, ?)";

    @TempDir
    Path dir;

    @Test
    void embeddedRowsAreCommittedEveryRowsPerCommit() throws Exception {
        String url = "jdbc:derby:" + dir.resolve("db") + ";create=true";
        try (Connection writer = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url)) {
            assertTrue(Sql.isEmbedded(writer));
            assertCommitsEvery(writer, reader);
        } finally {
            shutdown("jdbc:derby:" + dir.resolve("db"));
        }
    }

    @Test
    void networkRowsGoInBatchesAndAreCommittedEveryRowsPerCommit() throws Exception {
        try (LoopbackServer server = LoopbackServer.start()) {
            String url = server.url("127.0.0.1", dir.resolve("db")) + ";create=true";
            try (Connection writer = DriverManager.getConnection(url); Connection reader = DriverManager.getConnection(url)) {
                assertFalse(Sql.isEmbedded(writer));
                assertCommitsEvery(writer, reader);
            }
        }
    }

    /**
     * 7 parents, each with a child, committed every 3 rows: 4 commits of 3 rows; rolling back then
     * loses only the 2 rows of the open chunk. Then 2 more pairs and a flush: all committed.
     */
    private static void assertCommitsEvery(Connection writer, Connection reader) throws SQLException {
        Sql.execute(writer, "CREATE TABLE P (ID INTEGER NOT NULL PRIMARY KEY)");
        Sql.execute(writer, "CREATE TABLE C (ID INTEGER NOT NULL, PARENT INTEGER NOT NULL REFERENCES P (ID))");
        writer.setAutoCommit(false);
        AtomicInteger commits = new AtomicInteger();
        Progress progress = new Progress(KmsLog.silent(), "test", 18, Duration.ofHours(1));
        try (ChunkWriter rows = new ChunkWriter(writer, 3, progress, commits::incrementAndGet, PARENT, CHILD)) {
            addPairs(rows, 1, 7);
            assertEquals(4, commits.get());
            assertEquals(12, progress.done());
        }
        writer.rollback();
        assertEquals(12, committedRows(reader), "the four full chunks, and nothing of the open one");
        try (ChunkWriter rows = new ChunkWriter(writer, 3, progress, commits::incrementAndGet, PARENT, CHILD)) {
            addPairs(rows, 101, 102);
            assertEquals(5, commits.get());
            rows.flush();
            assertEquals(6, commits.get());
            assertEquals(16, progress.done());
        }
        assertEquals(16, committedRows(reader));
    }

    private static void addPairs(ChunkWriter rows, int from, int to) throws SQLException {
        for (int id = from; id <= to; id++) {
            rows.statement(0).setInt(1, id);
            rows.add(0);
            rows.statement(1).setInt(1, id);
            rows.statement(1).setInt(2, id);
            rows.add(1);
        }
    }

    private static long committedRows(Connection reader) {
        return Sql.queryLong(reader, "SELECT COUNT(*) FROM P") + Sql.queryLong(reader, "SELECT COUNT(*) FROM C");
    }

    private static void shutdown(String url) {
        try {
            DriverManager.getConnection(url + ";shutdown=true");
        } catch (SQLException expected) {
            // 08006: the database was shut down
        }
    }
}
