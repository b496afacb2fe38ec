package dev.kmsgate.kms.store;

import dev.kmsgate.kms.Parameters;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The KMS 5.5 format, schema {@code KMS55}, with the converter's bookkeeping tables: every
 * statement on it lives here.
 *
 * <p>Bookkeeping (all in schema KMS55, documented in the README):
 * <ul>
 *   <li>{@code KMS_CONVERSION}: one row, the conversion this target holds: the source's
 *       fingerprint, strategy, state ({@code CONVERTING} or {@code FINISHED}) and times.</li>
 *   <li>{@code KMS_CONVERSION_RUN}: one row per run (a first run and each resume), with what the
 *       capacity guard measured and how the run ended.</li>
 *   <li>{@code KMS_CONVERSION_PHASE}: one row per finished phase.</li>
 *   <li>{@code KMS_CONVERSION_LOCK}: no rows; a running converter holds an exclusive lock on it.</li>
 * </ul>
 * Checkpoints are not separate rows: rows are written in key order and committed as a prefix, so
 * the greatest key committed in a phase's tables is its checkpoint, always in the same transaction
 * as the data it covers, and it costs no extra row change (a capacity of 1 still works).
 *
 * <p>The data tables are created without their primary and foreign keys, loaded, and given their
 * {@link #KEYS} in the last phase ({@code KEYS}); a finished target has every table and key the
 * format names.
 *
 * <p>Public for convert and verify, which write and check the KMS 5.5 format; not an API.
 */
public final class Kms55Schema {

    public static final String SCHEMA = "KMS55";
    public static final List<String> DATA_TABLES = List.of(
            "USERS", "CERTIFICATES", "KEY_ARCHIVE", "QUARANTINED_CERT", "QUARANTINED_KEY", "UNMATCHED_REVOCATION");
    public static final List<String> BOOKKEEPING_TABLES = List.of(
            "KMS_CONVERSION", "KMS_CONVERSION_RUN", "KMS_CONVERSION_PHASE", "KMS_CONVERSION_LOCK");
    /** Every table {@link #create} makes: the data tables, then the bookkeeping ones. */
    public static final Set<String> TABLES = Set.copyOf(concat(DATA_TABLES, BOOKKEEPING_TABLES));
    /** Drop order: children before parents. */
    public static final List<String> DROP_ORDER = List.of(
            "KEY_ARCHIVE", "CERTIFICATES", "USERS", "QUARANTINED_CERT", "QUARANTINED_KEY", "UNMATCHED_REVOCATION",
            "KMS_CONVERSION_RUN", "KMS_CONVERSION_PHASE", "KMS_CONVERSION_LOCK", "KMS_CONVERSION");

    /** {@code QUARANTINED_CERT.CAUSE}: the certificate's {@code USER_ID} names no user. */
    public static final String CAUSE_UNKNOWN_USER = "UNKNOWN_USER";
    /** {@code QUARANTINED_KEY.CAUSE}: the key's certificate was quarantined. */
    public static final String CAUSE_CERTIFICATE_QUARANTINED = "CERTIFICATE_QUARANTINED";
    /** {@code QUARANTINED_KEY.CAUSE}: no certificate has the key's serial. */
    public static final String CAUSE_NO_CERTIFICATE = "NO_CERTIFICATE";

    /** Every {@code CAUSE} word of KMS Gate's: a target that uses one must use it for its meaning. */
    public static final Set<String> CAUSES = Set.of(CAUSE_UNKNOWN_USER, CAUSE_CERTIFICATE_QUARANTINED, CAUSE_NO_CERTIFICATE);

    /** Version of the bookkeeping layout, stored with each conversion. */
    public static final int FORMAT_VERSION = 1;

    private static final String CERT_COLUMNS_DDL = "SERIAL VARCHAR(40) NOT NULL, USER_ID INTEGER NOT NULL, USAGE CHAR(1) NOT NULL, "
            + "ISSUER_DN VARCHAR(512) NOT NULL, SUBJECT_DN VARCHAR(512) NOT NULL, NOT_BEFORE TIMESTAMP NOT NULL, "
            + "NOT_AFTER TIMESTAMP NOT NULL, CERT_DER BLOB NOT NULL";

    public static final List<String> CREATE = List.of(
            "CREATE SCHEMA KMS55",
            "CREATE TABLE KMS55.USERS (USER_ID INTEGER NOT NULL, MAILBOX_DN VARCHAR(512) NOT NULL, "
                    + "DISPLAY_NAME VARCHAR(256), ENROLLED_AT TIMESTAMP NOT NULL)",
            "CREATE TABLE KMS55.CERTIFICATES (" + CERT_COLUMNS_DDL + ", STATUS CHAR(1) NOT NULL, REVOKED_AT TIMESTAMP, "
                    + "REVOCATION_REASON SMALLINT, "
                    + "CONSTRAINT CERTIFICATES_STATUS CHECK ((STATUS = 'V' AND REVOKED_AT IS NULL AND REVOCATION_REASON IS NULL) "
                    + "OR (STATUS = 'R' AND REVOKED_AT IS NOT NULL AND REVOCATION_REASON IS NOT NULL)))",
            "CREATE TABLE KMS55.KEY_ARCHIVE (SERIAL VARCHAR(40) NOT NULL, WRAPPED_KEY BLOB NOT NULL)",
            "CREATE TABLE KMS55.QUARANTINED_CERT (" + CERT_COLUMNS_DDL + ", CAUSE VARCHAR(64) NOT NULL)",
            "CREATE TABLE KMS55.QUARANTINED_KEY (SERIAL VARCHAR(40) NOT NULL, WRAPPED_KEY BLOB NOT NULL, CAUSE VARCHAR(64) NOT NULL)",
            "CREATE TABLE KMS55.UNMATCHED_REVOCATION (SERIAL VARCHAR(40) NOT NULL, REVOKED_AT TIMESTAMP NOT NULL, "
                    + "REASON SMALLINT NOT NULL)",
            "CREATE TABLE KMS55.KMS_CONVERSION (ID SMALLINT NOT NULL, FORMAT_VERSION INTEGER NOT NULL, "
                    + "SOURCE_FINGERPRINT VARCHAR(64) NOT NULL, SOURCE_DESCRIPTION VARCHAR(1024) NOT NULL, "
                    + "STRATEGY VARCHAR(32) NOT NULL, STATE VARCHAR(16) NOT NULL, STARTED_AT TIMESTAMP NOT NULL, "
                    + "FINISHED_AT TIMESTAMP, TOOL_VERSION VARCHAR(32) NOT NULL, "
                    + "CONSTRAINT KMS_CONVERSION_PK PRIMARY KEY (ID), CONSTRAINT KMS_CONVERSION_ONE CHECK (ID = 1))",
            "CREATE TABLE KMS55.KMS_CONVERSION_RUN (RUN_NO INTEGER NOT NULL, STARTED_AT TIMESTAMP NOT NULL, "
                    + "ENDED_AT TIMESTAMP, OUTCOME VARCHAR(16) NOT NULL, STRATEGY VARCHAR(32) NOT NULL, CAPACITY INTEGER NOT NULL, "
                    + "ROW_CHANGES BIGINT, TRANSACTIONS BIGINT, LARGEST_TRANSACTION BIGINT, MESSAGE VARCHAR(1024), "
                    + "CONSTRAINT KMS_CONVERSION_RUN_PK PRIMARY KEY (RUN_NO))",
            "CREATE TABLE KMS55.KMS_CONVERSION_PHASE (PHASE VARCHAR(32) NOT NULL, COMPLETED_AT TIMESTAMP NOT NULL, "
                    + "ROW_CHANGES BIGINT NOT NULL, CONSTRAINT KMS_CONVERSION_PHASE_PK PRIMARY KEY (PHASE))",
            "CREATE TABLE KMS55.KMS_CONVERSION_LOCK (ID SMALLINT NOT NULL)");

    /**
     * The keys of the data tables, added by the converter's {@code KEYS} phase once every row is in:
     * Derby builds each index by one sort of the loaded table instead of one B-tree insertion and one
     * parent look-up per row (about twice as fast as loading with the keys in place). Adding a key
     * changes no row. A finished target has every one of them.
     */
    public record Key(String name, String table, char type, String ddl) {
    }

    public static final List<Key> KEYS = List.of(
            primaryKey("USERS_PK", "USERS", "USER_ID"),
            primaryKey("CERTIFICATES_PK", "CERTIFICATES", "SERIAL"),
            primaryKey("KEY_ARCHIVE_PK", "KEY_ARCHIVE", "SERIAL"),
            primaryKey("QUARANTINED_CERT_PK", "QUARANTINED_CERT", "SERIAL"),
            primaryKey("QUARANTINED_KEY_PK", "QUARANTINED_KEY", "SERIAL"),
            primaryKey("UNMATCHED_REVOCATION_PK", "UNMATCHED_REVOCATION", "SERIAL"),
            new Key("CERTIFICATES_USER_FK", "CERTIFICATES", 'F', "ALTER TABLE KMS55.CERTIFICATES ADD CONSTRAINT CERTIFICATES_USER_FK "
                    + "FOREIGN KEY (USER_ID) REFERENCES KMS55.USERS (USER_ID)"),
            new Key("KEY_ARCHIVE_CERT_FK", "KEY_ARCHIVE", 'F', "ALTER TABLE KMS55.KEY_ARCHIVE ADD CONSTRAINT KEY_ARCHIVE_CERT_FK "
                    + "FOREIGN KEY (SERIAL) REFERENCES KMS55.CERTIFICATES (SERIAL)"));

    private static Key primaryKey(String name, String table, String column) {
        return new Key(name, table, 'P', "ALTER TABLE KMS55." + table + " ADD CONSTRAINT " + name + " PRIMARY KEY (" + column + ")");
    }

    /** Constraints of the KMS55 tables by table and type ({@code P} primary, {@code F} foreign, ...). */
    public static final String CONSTRAINTS = "SELECT T.TABLENAME, C.CONSTRAINTNAME, C.TYPE FROM SYS.SYSCONSTRAINTS C "
            + "JOIN SYS.SYSTABLES T ON T.TABLEID = C.TABLEID JOIN SYS.SYSSCHEMAS S ON S.SCHEMAID = T.SCHEMAID "
            + "WHERE S.SCHEMANAME = 'KMS55'";

    // --- conversion record -----------------------------------------------------------------------
    public static final String INSERT_CONVERSION = "INSERT INTO KMS55.KMS_CONVERSION (ID, FORMAT_VERSION, SOURCE_FINGERPRINT, "
            + "SOURCE_DESCRIPTION, STRATEGY, STATE, STARTED_AT, TOOL_VERSION) VALUES (1, ?, ?, ?, ?, 'CONVERTING', ?, ?)";
    public static final String SELECT_CONVERSION = "SELECT SOURCE_FINGERPRINT, STATE, STRATEGY, SOURCE_DESCRIPTION, STARTED_AT, FINISHED_AT "
            + "FROM KMS55.KMS_CONVERSION WHERE ID = 1";
    public static final String FINISH_CONVERSION = "UPDATE KMS55.KMS_CONVERSION SET STATE = 'FINISHED', FINISHED_AT = ? WHERE ID = 1";
    public static final String STATE_CONVERTING = "CONVERTING";
    public static final String STATE_FINISHED = "FINISHED";
    /** The table of the conversion record. */
    public static final String CONVERSION_TABLE = "KMS_CONVERSION";

    public static final String NEXT_RUN = "SELECT COALESCE(MAX(RUN_NO), 0) + 1 FROM KMS55.KMS_CONVERSION_RUN";
    public static final String INSERT_RUN = "INSERT INTO KMS55.KMS_CONVERSION_RUN (RUN_NO, STARTED_AT, OUTCOME, STRATEGY, CAPACITY) VALUES (?, ?, 'RUNNING', ?, ?)";
    public static final String STALE_RUNS = "SELECT RUN_NO FROM KMS55.KMS_CONVERSION_RUN WHERE OUTCOME = 'RUNNING' ORDER BY RUN_NO";
    public static final String MARK_INTERRUPTED = "UPDATE KMS55.KMS_CONVERSION_RUN SET OUTCOME = 'INTERRUPTED' WHERE RUN_NO = ?";
    public static final String END_RUN = "UPDATE KMS55.KMS_CONVERSION_RUN SET ENDED_AT = ?, OUTCOME = ?, ROW_CHANGES = ?, "
            + "TRANSACTIONS = ?, LARGEST_TRANSACTION = ?, MESSAGE = ? WHERE RUN_NO = ?";

    /** Conversion phases, as {@code KMS_CONVERSION_PHASE.PHASE} records them. */
    public static final String PHASE_USERS = "USERS";
    public static final String PHASE_SERIALS = "SERIALS";
    public static final String PHASE_KEYS = "KEYS";
    public static final String PHASE_REVOCATIONS = "REVOCATIONS";

    /** The phases a finished conversion of a strategy has recorded, in order. */
    public static List<String> phasesOf(String strategy) {
        return Parameters.STRATEGY_SINGLE_TRANSACTION.equals(strategy)
                ? List.of(PHASE_USERS, PHASE_SERIALS, PHASE_KEYS, PHASE_REVOCATIONS) : List.of(PHASE_USERS, PHASE_SERIALS, PHASE_KEYS);
    }

    public static final String PHASE_DONE = "SELECT COUNT(*) FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = ?";

    /** Whether {@code KMS_CONVERSION_PHASE} records the phase as finished. */
    public static boolean phaseDone(Connection target, String phase) {
        Long done = Sql.queryLong(target, PHASE_DONE, phase);
        return done != null && done > 0;
    }
    public static final String INSERT_PHASE = "INSERT INTO KMS55.KMS_CONVERSION_PHASE (PHASE, COMPLETED_AT, ROW_CHANGES) VALUES (?, ?, ?)";

    public static final String LOCK = "LOCK TABLE KMS55.KMS_CONVERSION_LOCK IN EXCLUSIVE MODE";
    public static final String LOCK_HELD = "SELECT COUNT(*) FROM SYSCS_DIAG.LOCK_TABLE WHERE TABLENAME = 'KMS_CONVERSION_LOCK'";

    // --- data ------------------------------------------------------------------------------------
    public static final String INSERT_USER = "INSERT INTO KMS55.USERS (USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT) VALUES (?, ?, ?, ?)";
    public static final String INSERT_CERT = "INSERT INTO KMS55.CERTIFICATES (SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, "
            + "NOT_BEFORE, NOT_AFTER, CERT_DER, STATUS, REVOKED_AT, REVOCATION_REASON) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    public static final String INSERT_QUARANTINED_CERT = "INSERT INTO KMS55.QUARANTINED_CERT (SERIAL, USER_ID, USAGE, ISSUER_DN, "
            + "SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER, CAUSE) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    public static final String INSERT_KEY = "INSERT INTO KMS55.KEY_ARCHIVE (SERIAL, WRAPPED_KEY) VALUES (?, ?)";
    public static final String INSERT_QUARANTINED_KEY = "INSERT INTO KMS55.QUARANTINED_KEY (SERIAL, WRAPPED_KEY, CAUSE) VALUES (?, ?, ?)";
    public static final String INSERT_UNMATCHED = "INSERT INTO KMS55.UNMATCHED_REVOCATION (SERIAL, REVOKED_AT, REASON) VALUES (?, ?, ?)";
    /** The reference defect's revocation pass: one update per revoked serial. */
    public static final String REVOKE = "UPDATE KMS55.CERTIFICATES SET STATUS = 'R', REVOKED_AT = ?, "
            + "REVOCATION_REASON = CAST(? AS SMALLINT) WHERE SERIAL = ?";

    public static final String COUNT_REVOKED = "SELECT COUNT(*) FROM KMS55.CERTIFICATES WHERE STATUS = 'R'";
    public static final String MAX_USER = "SELECT MAX(USER_ID) FROM KMS55.USERS";
    public static final String MAX_CERT = "SELECT MAX(SERIAL) FROM KMS55.CERTIFICATES";
    public static final String MAX_QUARANTINED_CERT = "SELECT MAX(SERIAL) FROM KMS55.QUARANTINED_CERT";
    public static final String MAX_KEY = "SELECT MAX(SERIAL) FROM KMS55.KEY_ARCHIVE";
    public static final String MAX_QUARANTINED_KEY = "SELECT MAX(SERIAL) FROM KMS55.QUARANTINED_KEY";
    public static final String MAX_UNMATCHED = "SELECT MAX(SERIAL) FROM KMS55.UNMATCHED_REVOCATION";

    // --- verification reads, in key order --------------------------------------------------------
    public static final String USERS_IN_ORDER = "SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS55.USERS ORDER BY USER_ID";
    public static final String CERTS_IN_ORDER = "SELECT SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER, "
            + "STATUS, REVOKED_AT, REVOCATION_REASON FROM KMS55.CERTIFICATES ORDER BY SERIAL";
    public static final String QUARANTINED_CERTS_IN_ORDER = "SELECT SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, "
            + "NOT_AFTER, CERT_DER, CAUSE FROM KMS55.QUARANTINED_CERT ORDER BY SERIAL";
    public static final String KEYS_IN_ORDER = "SELECT SERIAL, WRAPPED_KEY FROM KMS55.KEY_ARCHIVE ORDER BY SERIAL";
    public static final String QUARANTINED_KEYS_IN_ORDER = "SELECT SERIAL, WRAPPED_KEY, CAUSE FROM KMS55.QUARANTINED_KEY ORDER BY SERIAL";
    public static final String UNMATCHED_IN_ORDER = "SELECT SERIAL, REVOKED_AT, REASON FROM KMS55.UNMATCHED_REVOCATION ORDER BY SERIAL";

    // --- verification of any target, whatever constraints it declares ---------------------------
    // Rows with a NULL key cannot be merged in key order: the streams leave them out and
    // nullKeys(table) counts them, so that a target another converter wrote is judged on its data.
    public static final String USERS_KEYED_IN_ORDER = keyed(USERS_IN_ORDER, "USER_ID");
    public static final String CERTS_KEYED_IN_ORDER = keyed(CERTS_IN_ORDER, "SERIAL");
    public static final String QUARANTINED_CERTS_KEYED_IN_ORDER = keyed(QUARANTINED_CERTS_IN_ORDER, "SERIAL");
    public static final String KEYS_KEYED_IN_ORDER = keyed(KEYS_IN_ORDER, "SERIAL");
    public static final String QUARANTINED_KEYS_KEYED_IN_ORDER = keyed(QUARANTINED_KEYS_IN_ORDER, "SERIAL");
    public static final String UNMATCHED_KEYED_IN_ORDER = keyed(UNMATCHED_IN_ORDER, "SERIAL");

    /** A query in key order, without the rows whose key is NULL. */
    private static String keyed(String inOrder, String key) {
        return inOrder.replace(" ORDER BY ", " WHERE " + key + " IS NOT NULL ORDER BY ");
    }

    /** A point look-up of a target user, for user ids beyond what the verifier holds as bits. */
    public static final String TARGET_USER_EXISTS = "SELECT 1 FROM KMS55.USERS WHERE USER_ID = ?";

    /** The key column of a data table: {@code USER_ID} for {@code USERS}, {@code SERIAL} for the others. */
    public static String keyColumn(String table) {
        return "USERS".equals(table) ? "USER_ID" : "SERIAL";
    }

    /** Counts a data table's rows whose key is NULL. */
    public static String nullKeys(String table) {
        return "SELECT COUNT(*) FROM KMS55." + table + " WHERE " + keyColumn(table) + " IS NULL";
    }

    /** The columns the format declares NOT NULL, by data table (keys included). */
    public static final Map<String, List<String>> NOT_NULL = notNull();

    /** The table of the format's CHECK constraint on {@code STATUS} and the revocation columns. */
    public static final String STATUS_CHECK_TABLE = "CERTIFICATES";

    private static Map<String, List<String>> notNull() {
        List<String> cert = List.of("SERIAL", "USER_ID", "USAGE", "ISSUER_DN", "SUBJECT_DN", "NOT_BEFORE", "NOT_AFTER", "CERT_DER");
        Map<String, List<String>> columns = new LinkedHashMap<>();
        columns.put("USERS", List.of("USER_ID", "MAILBOX_DN", "ENROLLED_AT"));
        columns.put("CERTIFICATES", concat(cert, "STATUS"));
        columns.put("KEY_ARCHIVE", List.of("SERIAL", "WRAPPED_KEY"));
        columns.put("QUARANTINED_CERT", concat(cert, "CAUSE"));
        columns.put("QUARANTINED_KEY", List.of("SERIAL", "WRAPPED_KEY", "CAUSE"));
        columns.put("UNMATCHED_REVOCATION", List.of("SERIAL", "REVOKED_AT", "REASON"));
        return Collections.unmodifiableMap(columns);
    }

    private static List<String> concat(List<String> columns, String last) {
        return concat(columns, List.of(last));
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    private Kms55Schema() {
    }

    /** Creates the schema and every table, the data tables without their {@link #KEYS} (DDL only: no row changes). */
    public static void create(Connection connection) {
        CREATE.forEach(sql -> Sql.execute(connection, sql));
    }

    /**
     * The {@link #KEYS} a target lacks. A primary or foreign key counts as present when its table has
     * one of that type, whatever its name, so a target another converter wrote is judged fairly.
     */
    public static List<Key> missingKeys(Connection connection) {
        Set<String> present = new HashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(CONSTRAINTS)) {
            while (rs.next()) {
                present.add(rs.getString(1) + "/" + rs.getString(3).trim());
            }
        } catch (SQLException e) {
            throw new StoreException("Reading the keys of the KMS55 tables", e);
        }
        List<Key> missing = new ArrayList<>();
        for (Key key : KEYS) {
            if (!present.contains(key.table() + "/" + key.type())) {
                missing.add(key);
            }
        }
        return missing;
    }

    /** Drops every KMS55 table and the schema (DDL only: no row changes). */
    public static void drop(Connection connection) {
        var present = Schemas.tables(connection, SCHEMA);
        for (String table : DROP_ORDER) {
            if (present.contains(table)) {
                Sql.execute(connection, "DROP TABLE KMS55." + table);
            }
        }
        Sql.execute(connection, "DROP SCHEMA KMS55 RESTRICT");
    }
}
