package dev.kmsgate.kms.store;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The legacy KMS 5.0 format, schema {@code KMS50}: every statement on it lives here.
 *
 * <p>Public for generate, convert, verify and gate, which write or read the legacy format;
 * not an API.
 */
public final class Kms50Schema {

    public static final String SCHEMA = "KMS50";
    public static final List<String> TABLES = List.of("KM_USER", "KM_CERT", "KM_KEY", "KM_CRL");

    public static final String CREATE_SCHEMA = "CREATE SCHEMA KMS50";
    /** The tables, without their keys: a generator loads them first and then adds {@link #KEYS}. */
    public static final List<String> CREATE_TABLES = List.of(
            "CREATE TABLE KMS50.KM_USER (USER_ID INTEGER NOT NULL, MAILBOX_DN VARCHAR(512) NOT NULL, "
                    + "DISPLAY_NAME VARCHAR(256), ENROLLED_AT TIMESTAMP NOT NULL)",
            "CREATE TABLE KMS50.KM_CERT (SERIAL VARCHAR(40) NOT NULL, USER_ID INTEGER NOT NULL, "
                    + "USAGE CHAR(1) NOT NULL, ISSUER_DN VARCHAR(512) NOT NULL, SUBJECT_DN VARCHAR(512) NOT NULL, "
                    + "NOT_BEFORE TIMESTAMP NOT NULL, NOT_AFTER TIMESTAMP NOT NULL, CERT_DER BLOB NOT NULL)",
            "CREATE TABLE KMS50.KM_KEY (SERIAL VARCHAR(40) NOT NULL, WRAPPED_KEY BLOB NOT NULL)",
            "CREATE TABLE KMS50.KM_CRL (SERIAL VARCHAR(40) NOT NULL, REVOKED_AT TIMESTAMP NOT NULL, REASON SMALLINT NOT NULL)");

    /** The primary keys and the CRL's serial index, each built by one sort of its loaded table. */
    public static final List<String> KEYS = List.of(
            "ALTER TABLE KMS50.KM_USER ADD CONSTRAINT KM_USER_PK PRIMARY KEY (USER_ID)",
            "ALTER TABLE KMS50.KM_CERT ADD CONSTRAINT KM_CERT_PK PRIMARY KEY (SERIAL)",
            "ALTER TABLE KMS50.KM_KEY ADD CONSTRAINT KM_KEY_PK PRIMARY KEY (SERIAL)",
            "CREATE INDEX KMS50.KM_CRL_SERIAL ON KMS50.KM_CRL (SERIAL)");

    public static final String INSERT_USER = "INSERT INTO KMS50.KM_USER (USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT) VALUES (?, ?, ?, ?)";
    public static final String INSERT_CERT = "INSERT INTO KMS50.KM_CERT (SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    public static final String INSERT_KEY = "INSERT INTO KMS50.KM_KEY (SERIAL, WRAPPED_KEY) VALUES (?, ?)";
    public static final String INSERT_CRL = "INSERT INTO KMS50.KM_CRL (SERIAL, REVOKED_AT, REASON) VALUES (?, ?, ?)";

    /** Users in key order. */
    public static final String USERS_ALL = "SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS50.KM_USER ORDER BY USER_ID";
    /** Users in key order, from a key on (exclusive). */
    public static final String USERS_AFTER = "SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS50.KM_USER WHERE USER_ID > ? ORDER BY USER_ID";
    /** Certificates in key order, from a serial on (inclusive). */
    public static final String CERTS_FROM = "SELECT SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER FROM KMS50.KM_CERT WHERE SERIAL >= ? ORDER BY SERIAL";
    /** Keys in key order, from a serial on (inclusive). */
    public static final String KEYS_FROM = "SELECT SERIAL, WRAPPED_KEY FROM KMS50.KM_KEY WHERE SERIAL >= ? ORDER BY SERIAL";
    /** CRL rows by serial, earliest time and smallest reason first: the first row of a serial is its effective revocation. */
    public static final String CRL_FROM = "SELECT SERIAL, REVOKED_AT, REASON FROM KMS50.KM_CRL WHERE SERIAL >= ? ORDER BY SERIAL, REVOKED_AT, REASON";
    /** Every user id, ascending: an index-only scan. */
    public static final String USER_IDS = "SELECT USER_ID FROM KMS50.KM_USER ORDER BY USER_ID";
    public static final String USER_EXISTS = "SELECT 1 FROM KMS50.KM_USER WHERE USER_ID = ?";

    public static final String COUNT_USERS = "SELECT COUNT(*) FROM KMS50.KM_USER";
    public static final String COUNT_CERTS = "SELECT COUNT(*) FROM KMS50.KM_CERT";
    public static final String COUNT_KEYS = "SELECT COUNT(*) FROM KMS50.KM_KEY";
    public static final String COUNT_CRL = "SELECT COUNT(*) FROM KMS50.KM_CRL";
    public static final String COUNT_CRL_SERIALS = "SELECT COUNT(DISTINCT SERIAL) FROM KMS50.KM_CRL";
    public static final String MAX_USER = "SELECT MAX(USER_ID) FROM KMS50.KM_USER";
    public static final String MAX_CERT = "SELECT MAX(SERIAL) FROM KMS50.KM_CERT";
    public static final String MAX_KEY = "SELECT MAX(SERIAL) FROM KMS50.KM_KEY";
    public static final String MAX_CRL = "SELECT MAX(SERIAL) FROM KMS50.KM_CRL";
    public static final String SCHEMA_ID = "SELECT SCHEMAID FROM SYS.SYSSCHEMAS WHERE SCHEMANAME = 'KMS50'";

    private Kms50Schema() {
    }

    /** Creates the schema and its tables, without their keys, on a fresh database: load them, then {@link #addKeys}. */
    public static void create(Connection connection) {
        Sql.execute(connection, CREATE_SCHEMA);
        CREATE_TABLES.forEach(sql -> Sql.execute(connection, sql));
    }

    /** Adds the primary keys and the CRL index to loaded tables (about twice as fast as loading with them in place). */
    public static void addKeys(Connection connection) {
        KEYS.forEach(sql -> Sql.execute(connection, sql));
    }

    /** The KMS50 tables the database lacks; empty when it is a complete legacy database. */
    public static List<String> missingTables(Connection connection) {
        Set<String> present = Schemas.tables(connection, SCHEMA);
        List<String> missing = new ArrayList<>();
        for (String table : TABLES) {
            if (!present.contains(table)) {
                missing.add(SCHEMA + "." + table);
            }
        }
        return missing;
    }
}
