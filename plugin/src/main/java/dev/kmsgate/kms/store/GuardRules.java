package dev.kmsgate.kms.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;

/** What the {@link CapacityGuard} refuses before a statement runs, because it could not count its row changes. */
final class GuardRules {

    private GuardRules() {
    }

    static void refuseUpdatable(Object[] args) throws SQLException {
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof Integer concurrency && concurrency == ResultSet.CONCUR_UPDATABLE && isConcurrencyArgument(args, i)) {
                    throw new SQLFeatureNotSupportedException("Updatable result sets bypass the transaction capacity guard and are not allowed.");
                }
            }
        }
    }

    private static boolean isConcurrencyArgument(Object[] args, int index) {
        // createStatement(type, concurrency[, holdability]) and prepareStatement(sql, type, concurrency[, holdability])
        return args[0] instanceof String ? index == 2 : index == 1;
    }

    /**
     * Refuses a statement whose row changes no update count would show: a procedure call, and DDL
     * that makes later statements change rows beyond their own counts (a trigger's actions, a
     * foreign key's cascading deletes and nulls).
     */
    static void refuseUncounted(String sql) throws SQLException {
        String head = withoutLeadingComments(sql).toUpperCase(Locale.ROOT);
        if (head.startsWith("CALL") || head.startsWith("{")) {
            throw new SQLFeatureNotSupportedException("Procedure calls bypass the transaction capacity guard and are not allowed: " + sql);
        }
        String words = head.replaceAll("\\s+", " ");
        if (words.startsWith("CREATE TRIGGER")) {
            throw new SQLFeatureNotSupportedException("Triggers change rows that no update count shows, which bypasses the transaction "
                    + "capacity guard; they are not allowed: " + sql);
        }
        if (words.contains("ON DELETE CASCADE") || words.contains("ON DELETE SET NULL")) {
            throw new SQLFeatureNotSupportedException("Cascading foreign keys change rows that no update count shows, which bypasses the "
                    + "transaction capacity guard; they are not allowed: " + sql);
        }
    }

    /** The statement text after leading white space, line comments and (nested) bracketed comments. */
    private static String withoutLeadingComments(String sql) {
        int i = 0;
        while (i < sql.length()) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (sql.startsWith("--", i)) {
                while (i < sql.length() && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                    i++;
                }
            } else if (sql.startsWith("/*", i)) {
                int depth = 0;
                do {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                    } else {
                        i++;
                    }
                } while (depth > 0 && i < sql.length());
            } else {
                break;
            }
        }
        return sql.substring(Math.min(i, sql.length()));
    }
}
