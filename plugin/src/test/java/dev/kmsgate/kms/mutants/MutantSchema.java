package dev.kmsgate.kms.mutants;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The KMS55 data tables as an outside converter writes them, with the format's keys, NOT NULL
 * columns and CHECK, or without any constraint (the schema some converters ship, and the only one
 * Derby lets several of the bugs write). No bookkeeping tables: these converters keep none.
 */
final class MutantSchema {

    private static final String CERT_COLUMNS = "SERIAL VARCHAR(40)%1$s, USER_ID INTEGER%1$s, USAGE CHAR(1)%1$s, "
            + "ISSUER_DN VARCHAR(512)%1$s, SUBJECT_DN VARCHAR(512)%1$s, NOT_BEFORE TIMESTAMP%1$s, NOT_AFTER TIMESTAMP%1$s, "
            + "CERT_DER BLOB%1$s";

    private MutantSchema() {
    }

    static boolean exists(Connection target) throws SQLException {
        try (ResultSet rs = target.getMetaData().getTables(null, "KMS55", "USERS", null)) {
            return rs.next();
        }
    }

    static void create(Connection target, boolean constraints) throws SQLException {
        String nn = constraints ? " NOT NULL" : "";
        String cert = String.format(CERT_COLUMNS, nn);
        List<String> ddl = List.of(
                "CREATE SCHEMA KMS55",
                "CREATE TABLE KMS55.USERS (USER_ID INTEGER" + nn + ", MAILBOX_DN VARCHAR(512)" + nn + ", DISPLAY_NAME VARCHAR(256), "
                        + "ENROLLED_AT TIMESTAMP" + nn + (constraints ? ", PRIMARY KEY (USER_ID)" : "") + ")",
                "CREATE TABLE KMS55.CERTIFICATES (" + cert + ", STATUS CHAR(1)" + nn + ", REVOKED_AT TIMESTAMP, REVOCATION_REASON SMALLINT"
                        + (constraints ? ", PRIMARY KEY (SERIAL), FOREIGN KEY (USER_ID) REFERENCES KMS55.USERS (USER_ID), "
                        + "CHECK ((STATUS = 'V' AND REVOKED_AT IS NULL AND REVOCATION_REASON IS NULL) "
                        + "OR (STATUS = 'R' AND REVOKED_AT IS NOT NULL AND REVOCATION_REASON IS NOT NULL))" : "") + ")",
                "CREATE TABLE KMS55.KEY_ARCHIVE (SERIAL VARCHAR(40)" + nn + ", WRAPPED_KEY BLOB" + nn
                        + (constraints ? ", PRIMARY KEY (SERIAL), FOREIGN KEY (SERIAL) REFERENCES KMS55.CERTIFICATES (SERIAL)" : "") + ")",
                "CREATE TABLE KMS55.QUARANTINED_CERT (" + cert + ", CAUSE VARCHAR(64)" + nn + (constraints ? ", PRIMARY KEY (SERIAL)" : "") + ")",
                "CREATE TABLE KMS55.QUARANTINED_KEY (SERIAL VARCHAR(40)" + nn + ", WRAPPED_KEY BLOB" + nn + ", CAUSE VARCHAR(64)" + nn
                        + (constraints ? ", PRIMARY KEY (SERIAL)" : "") + ")",
                "CREATE TABLE KMS55.UNMATCHED_REVOCATION (SERIAL VARCHAR(40)" + nn + ", REVOKED_AT TIMESTAMP" + nn + ", REASON SMALLINT" + nn
                        + (constraints ? ", PRIMARY KEY (SERIAL)" : "") + ")");
        try (Statement statement = target.createStatement()) {
            for (String sql : ddl) {
                statement.executeUpdate(sql);
            }
        }
        target.commit();
    }
}
