package dev.kmsgate.kms.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tables a database holds, asked through {@link DatabaseMetaData} (plain JDBC).
 *
 * <p>Public for convert, generate and gate, which ask which tables a database holds; not an API.
 */
public final class Schemas {

    private Schemas() {
    }

    /** The names of the base tables in a schema, upper case; empty if there is no such schema. */
    public static Set<String> tables(Connection connection, String schema) {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = connection.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
        } catch (SQLException e) {
            throw new StoreException("Listing the tables of schema " + schema, e);
        }
        return tables;
    }

    /**
     * Rows in every user table of the database, whatever its schema: what a writer put there. A
     * target holding more rows than the row changes the capacity guard counted was written around it.
     */
    public static long totalRows(Connection connection) {
        long rows = 0;
        for (String table : otherTables(connection, Set.of())) {
            int dot = table.indexOf('.');
            String sql = "SELECT COUNT(*) FROM \"" + table.substring(0, dot).replace("\"", "\"\"") + "\".\""
                    + table.substring(dot + 1).replace("\"", "\"\"") + "\"";
            rows += Sql.count(connection, sql);
        }
        return rows;
    }

    /** The schemas holding user tables, other than the given ones. */
    public static Set<String> otherTables(Connection connection, Set<String> ignoredSchemas) {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = connection.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (!ignoredSchemas.contains(schema)) {
                    tables.add(schema + "." + rs.getString("TABLE_NAME"));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Listing the tables of the database", e);
        }
        return tables;
    }
}
