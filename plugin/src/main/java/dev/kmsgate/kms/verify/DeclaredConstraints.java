package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.StoreException;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The format's keys and constraints that a target's schema does not declare: its primary and
 * foreign keys ({@link Kms55Schema#missingKeys}), its NOT NULL columns and the CHECK on
 * {@code STATUS}. A finding of its own, not a failure: the verifier checks each of them on the data.
 */
final class DeclaredConstraints {

    private DeclaredConstraints() {
    }

    /** Each undeclared constraint, in the format's order: {@code USERS_PK (PRIMARY KEY (USER_ID))}, {@code NOT NULL USERS.MAILBOX_DN}. */
    static List<String> undeclared(Connection target) {
        List<String> undeclared = new ArrayList<>();
        for (Kms55Schema.Key key : Kms55Schema.missingKeys(target)) {
            undeclared.add(key.name() + " (" + key.ddl().replaceFirst("^ALTER TABLE \\S+ ADD CONSTRAINT \\S+ ", "") + ")");
        }
        try {
            Set<String> nullable = nullableColumns(target.getMetaData());
            for (Map.Entry<String, List<String>> table : Kms55Schema.NOT_NULL.entrySet()) {
                for (String column : table.getValue()) {
                    if (nullable.contains(table.getKey() + "." + column)) {
                        undeclared.add("NOT NULL " + table.getKey() + "." + column);
                    }
                }
            }
            if (!hasCheck(target)) {
                undeclared.add("CHECK on " + Kms55Schema.STATUS_CHECK_TABLE
                        + " (STATUS is V or R, REVOKED_AT and REVOCATION_REASON set exactly when R)");
            }
        } catch (SQLException e) {
            throw new StoreException("Reading the constraints of the KMS55 tables", e);
        }
        return undeclared;
    }

    /** {@code TABLE.COLUMN} of every nullable column of the KMS55 data tables. */
    private static Set<String> nullableColumns(DatabaseMetaData metaData) throws SQLException {
        Set<String> nullable = new HashSet<>();
        try (ResultSet rs = metaData.getColumns(null, Kms55Schema.SCHEMA, "%", "%")) {
            while (rs.next()) {
                if (rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls) {
                    nullable.add(rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME"));
                }
            }
        }
        return nullable;
    }

    private static boolean hasCheck(Connection target) throws SQLException {
        try (Statement statement = target.createStatement(); ResultSet rs = statement.executeQuery(Kms55Schema.CONSTRAINTS)) {
            while (rs.next()) {
                if (Kms55Schema.STATUS_CHECK_TABLE.equals(rs.getString(1)) && "C".equals(rs.getString(3).trim())) {
                    return true;
                }
            }
        }
        return false;
    }
}
