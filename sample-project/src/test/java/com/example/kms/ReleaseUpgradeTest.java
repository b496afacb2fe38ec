package com.example.kms;

import dev.kmsgate.kms.api.ConversionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Our upgrade on a small legacy database with the dirt real ones have, on plain in-memory Derby. */
class ReleaseUpgradeTest {

    private static final String SOURCE = "jdbc:derby:memory:release-upgrade-source";
    private static final String TARGET = "jdbc:derby:memory:release-upgrade-target";

    private Connection source;
    private Connection target;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void legacyDatabase() throws SQLException {
        source = DriverManager.getConnection(SOURCE + ";create=true");
        try (Statement sql = source.createStatement()) {
            sql.execute("CREATE SCHEMA KMS50");
            sql.execute("CREATE TABLE KMS50.KM_USER (USER_ID INTEGER PRIMARY KEY, MAILBOX_DN VARCHAR(512) NOT NULL, DISPLAY_NAME VARCHAR(256), ENROLLED_AT TIMESTAMP NOT NULL)");
            sql.execute("CREATE TABLE KMS50.KM_CERT (SERIAL VARCHAR(40) PRIMARY KEY, USER_ID INTEGER NOT NULL, USAGE CHAR(1) NOT NULL, ISSUER_DN VARCHAR(512) NOT NULL, SUBJECT_DN VARCHAR(512) NOT NULL, NOT_BEFORE TIMESTAMP NOT NULL, NOT_AFTER TIMESTAMP NOT NULL, CERT_DER BLOB NOT NULL)");
            sql.execute("CREATE TABLE KMS50.KM_KEY (SERIAL VARCHAR(40) PRIMARY KEY, WRAPPED_KEY BLOB NOT NULL)");
            sql.execute("CREATE TABLE KMS50.KM_CRL (SERIAL VARCHAR(40) NOT NULL, REVOKED_AT TIMESTAMP NOT NULL, REASON SMALLINT NOT NULL)");
            sql.execute("INSERT INTO KMS50.KM_USER VALUES (1, 'cn=a', 'A', '2019-01-01 00:00:00'), (2, 'cn=b', NULL, '2019-01-02 00:00:00')");
            // a1, a2 of user 1; b1 of user 2; d1 of a deleted user 9
            for (String row : new String[] {"'a1', 1", "'a2', 1", "'b1', 2", "'d1', 9"}) {
                sql.execute("INSERT INTO KMS50.KM_CERT VALUES (" + row + ", 'E', 'o=kms', 'cn=x', '2019-01-01 00:00:00', "
                        + "'2029-01-01 00:00:00', CAST(X'3082' AS BLOB))");
            }
            sql.execute("INSERT INTO KMS50.KM_KEY VALUES ('a1', CAST(X'01' AS BLOB)), ('d1', CAST(X'02' AS BLOB)), ('zz', CAST(X'03' AS BLOB))");
            // a1 twice (the earlier wins), b1 twice at one time (the smaller reason wins), d1 quarantined, ff unknown
            sql.execute("INSERT INTO KMS50.KM_CRL VALUES ('a1', '2020-05-01 00:00:00', 1), ('a1', '2020-03-01 00:00:00', 4), "
                    + "('b1', '2021-01-01 00:00:00', 5), ('b1', '2021-01-01 00:00:00', 3), ('d1', '2020-01-01 00:00:00', 1), "
                    + "('ff', '2018-01-01 00:00:00', 2)");
        }
        target = DriverManager.getConnection(TARGET + ";create=true");
        target.setAutoCommit(false);
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        source.close();
        target.rollback();
        target.close();
        for (String url : new String[] {SOURCE, TARGET}) {
            try {
                DriverManager.getConnection(url + ";drop=true");
            } catch (SQLException dropped) {
                // 08006: dropped
            }
        }
    }

    private ConversionContext context(int capacity) {
        return new ConversionContext() {
            @Override public Connection source() { return source; }
            @Override public Connection target() { return target; }
            @Override public String sourceUrl() { return SOURCE; }
            @Override public String targetUrl() { return TARGET; }
            @Override public int transactionCapacity() { return capacity; }
            @Override public void log(String message) { log.add(message); }
        };
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement query = target.createStatement(); ResultSet rs = query.executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.append(i > 1 ? " " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        target.commit();
        return rows;
    }

    @Test
    void everyRowArrivesWithItsEffectiveRevocationAndEveryOrphanIsQuarantined() throws SQLException {
        new ReleaseUpgrade().convert(context(2));

        assertEquals(List.of("a1 R 2020-03-01 00:00:00.0 4", "a2 V null null", "b1 R 2021-01-01 00:00:00.0 3"),
                rows("SELECT SERIAL, STATUS, REVOKED_AT, REVOCATION_REASON FROM KMS55.CERTIFICATES ORDER BY SERIAL"));
        assertEquals(List.of("d1 UNKNOWN_USER"), rows("SELECT SERIAL, CAUSE FROM KMS55.QUARANTINED_CERT"));
        assertEquals(List.of("a1"), rows("SELECT SERIAL FROM KMS55.KEY_ARCHIVE"));
        assertEquals(List.of("d1 CERTIFICATE_QUARANTINED", "zz NO_CERTIFICATE"),
                rows("SELECT SERIAL, CAUSE FROM KMS55.QUARANTINED_KEY ORDER BY SERIAL"));
        assertEquals(List.of("d1 2020-01-01 00:00:00.0 1", "ff 2018-01-01 00:00:00.0 2"),
                rows("SELECT SERIAL, REVOKED_AT, REASON FROM KMS55.UNMATCHED_REVOCATION ORDER BY SERIAL"));
        assertEquals(List.of("1 A", "2 null"), rows("SELECT USER_ID, DISPLAY_NAME FROM KMS55.USERS ORDER BY USER_ID"));
        assertEquals(List.of("Created the KMS55 schema.", "Upgrade finished: 11 rows written in this run."), log);
    }

    @Test
    void aRunAfterAnInterruptedOneGoesOnFromWhatTheTargetHoldsWithoutWritingARowTwice() throws SQLException {
        new ReleaseUpgrade().convert(context(2));
        // as if the first run had stopped after its users and first certificate chunk
        try (Statement undo = target.createStatement()) {
            undo.execute("DELETE FROM KMS55.UNMATCHED_REVOCATION");
            undo.execute("DELETE FROM KMS55.QUARANTINED_KEY");
            undo.execute("DELETE FROM KMS55.KEY_ARCHIVE");
            undo.execute("DELETE FROM KMS55.QUARANTINED_CERT");
            undo.execute("DELETE FROM KMS55.CERTIFICATES WHERE SERIAL > 'a2'");
        }
        target.commit();
        log.clear();

        new ReleaseUpgrade().convert(context(2));

        assertEquals(List.of("Upgrade finished: 7 rows written in this run."), log);
        assertEquals(List.of("3"), rows("SELECT COUNT(*) FROM KMS55.CERTIFICATES"));
        assertEquals(List.of("3 1 2"), rows("SELECT (SELECT COUNT(*) FROM KMS55.KEY_ARCHIVE) + (SELECT COUNT(*) FROM KMS55.QUARANTINED_KEY), "
                + "(SELECT COUNT(*) FROM KMS55.QUARANTINED_CERT), (SELECT COUNT(*) FROM KMS55.UNMATCHED_REVOCATION) FROM SYSIBM.SYSDUMMY1"));
    }
}
