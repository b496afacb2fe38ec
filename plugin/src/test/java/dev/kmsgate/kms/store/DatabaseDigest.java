package dev.kmsgate.kms.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Test helper: a SHA-256 of every row of every user table, one digest per table, streamed in a
 * fixed order (all non-LOB columns) so two databases with the same content give the same map,
 * whatever order the rows were inserted in.
 */
public final class DatabaseDigest {

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("SYS", "SYSCAT", "SYSCS_DIAG", "SYSCS_UTIL", "SYSFUN", "SYSIBM", "SYSPROC", "SYSSTAT");

    private DatabaseDigest() {
    }

    /** {@code SCHEMA.TABLE -> digest} of every table outside the system schemas. */
    public static Map<String, String> of(Connection connection) throws SQLException {
        Map<String, String> digests = new TreeMap<>();
        for (String table : tables(connection)) {
            digests.put(table, table(connection, table));
        }
        return digests;
    }

    /** {@code SCHEMA.TABLE -> digest} of the tables of one schema. */
    public static Map<String, String> of(Connection connection, String schema) throws SQLException {
        Map<String, String> digests = new TreeMap<>();
        for (String table : tables(connection)) {
            if (table.startsWith(schema + ".")) {
                digests.put(table, table(connection, table));
            }
        }
        return digests;
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        DatabaseMetaData metaData = connection.getMetaData();
        try (ResultSet rs = metaData.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (!SYSTEM_SCHEMAS.contains(schema)) {
                    tables.add(schema + "." + rs.getString("TABLE_NAME"));
                }
            }
        }
        return tables;
    }

    private static String table(Connection connection, String table) throws SQLException {
        MessageDigest digest = sha256();
        List<Integer> orderable = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet empty = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = empty.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                update(digest, meta.getColumnName(i) + ":" + meta.getColumnType(i));
                if (!isLob(meta.getColumnType(i))) {
                    orderable.add(i);
                }
            }
        }
        String order = orderable.isEmpty() ? "" : " ORDER BY " + String.join(", ", orderable.stream().map(String::valueOf).toList());
        long rows = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM " + table + order)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= columns; i++) {
                    byte[] value = rs.getMetaData().getColumnType(i) == Types.BLOB ? rs.getBytes(i) : bytes(rs.getString(i));
                    if (value == null) {
                        digest.update((byte) 0);
                    } else {
                        digest.update((byte) 1);
                        digest.update(ByteBuffer.allocate(4).putInt(value.length).array());
                        digest.update(value);
                    }
                }
            }
        }
        return rows + " rows, " + HexFormat.of().formatHex(digest.digest());
    }

    private static boolean isLob(int type) {
        return type == Types.BLOB || type == Types.CLOB;
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = bytes(text);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
