package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads whole tables of a test database as canonical text rows (every column, BLOBs as hex, times
 * in UTC), in key order, so that two databases can be compared row for row. Test-sized databases
 * only: it loads what it reads.
 */
final class Tables {

    /** The legacy tables, each with an ORDER BY that makes its order total. */
    static final Map<String, String> KMS50 = ordered(
            "KMS50.KM_USER", "USER_ID",
            "KMS50.KM_CERT", "SERIAL",
            "KMS50.KM_KEY", "SERIAL",
            "KMS50.KM_CRL", "SERIAL, REVOKED_AT, REASON");

    /** The converted data tables. */
    static final Map<String, String> KMS55_DATA = ordered(
            "KMS55.USERS", "USER_ID",
            "KMS55.CERTIFICATES", "SERIAL",
            "KMS55.QUARANTINED_CERT", "SERIAL",
            "KMS55.KEY_ARCHIVE", "SERIAL",
            "KMS55.QUARANTINED_KEY", "SERIAL",
            "KMS55.UNMATCHED_REVOCATION", "SERIAL");

    /** Every KMS55 table, bookkeeping included. */
    static final Map<String, String> KMS55_ALL;

    static {
        Map<String, String> all = new LinkedHashMap<>(KMS55_DATA);
        all.put("KMS55.KMS_CONVERSION", "ID");
        all.put("KMS55.KMS_CONVERSION_RUN", "RUN_NO");
        all.put("KMS55.KMS_CONVERSION_PHASE", "PHASE");
        all.put("KMS55.KMS_CONVERSION_LOCK", "ID");
        KMS55_ALL = all;
    }

    private Tables() {
    }

    private static Map<String, String> ordered(String... tableAndOrder) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < tableAndOrder.length; i += 2) {
            map.put(tableAndOrder[i], tableAndOrder[i + 1]);
        }
        return map;
    }

    /** Every row of each table, canonical, in key order. */
    static Map<String, List<String>> read(DatabaseAddress database, Map<String, String> tables) {
        try (Connection connection = Fixtures.open(database)) {
            Map<String, List<String>> rows = new LinkedHashMap<>();
            for (Map.Entry<String, String> table : tables.entrySet()) {
                rows.put(table.getKey(), rows(connection, table.getKey(), table.getValue()));
            }
            connection.rollback();
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading " + database, e);
        }
    }

    static List<String> rows(Connection connection, String table, String orderBy) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " ORDER BY " + orderBy)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    if (c > 1) {
                        row.append('|');
                    }
                    Object value = rs.getObject(c);
                    if (value instanceof java.sql.Blob blob) {
                        row.append(HexFormat.of().formatHex(blob.getBytes(1, (int) blob.length())));
                    } else if (value instanceof byte[] bytes) {
                        row.append(HexFormat.of().formatHex(bytes));
                    } else if (value instanceof Timestamp) {
                        row.append(rs.getTimestamp(c, dev.kmsgate.kms.store.Sql.utc()));
                    } else {
                        row.append(value);
                    }
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    /** A SHA-256 over every row of the four legacy tables: equal digests, equal content. */
    static String sourceDigest(DatabaseAddress source) {
        return digest(read(source, KMS50));
    }

    /** A SHA-256 over tables read with {@link #read}. */
    static String digest(Map<String, List<String>> tables) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, List<String>> table : tables.entrySet()) {
                sha.update(table.getKey().getBytes(StandardCharsets.UTF_8));
                for (String row : table.getValue()) {
                    sha.update((byte) '\n');
                    sha.update(row.getBytes(StandardCharsets.UTF_8));
                }
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs Derby's SYSCS_UTIL.SYSCS_CHECK_TABLE on every table of schema KMS55 (it checks that
     * each table and its indexes agree); returns the tables that fail, with Derby's reason.
     */
    static List<String> checkTables(DatabaseAddress database) {
        List<String> problems = new ArrayList<>();
        try (Connection connection = Fixtures.open(database)) {
            Set<String> tables = new TreeSet<>(Schemas.tables(connection, Kms55Schema.SCHEMA));
            for (String table : tables) {
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("VALUES SYSCS_UTIL.SYSCS_CHECK_TABLE('KMS55', '" + table + "')")) {
                    if (!rs.next() || rs.getInt(1) != 1) {
                        problems.add(table + ": check returned no 1");
                    }
                } catch (SQLException e) {
                    problems.add(table + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")");
                }
            }
            if (tables.size() != Kms55Schema.DATA_TABLES.size() + Kms55Schema.BOOKKEEPING_TABLES.size()) {
                problems.add("schema KMS55 has tables " + tables);
            }
            connection.rollback();
        } catch (SQLException e) {
            problems.add("cannot check: " + e.getMessage());
        }
        return problems;
    }
}
