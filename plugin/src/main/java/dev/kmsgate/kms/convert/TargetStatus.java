package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.store.ConversionRecord;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a target holds, as {@code kms:status} shows it (Flyway's {@code info} for a KMS 5.5 target):
 * the conversion record (source fingerprint and location, strategy, state, tool version), every
 * run with its capacity, outcome and what the guard measured, and the finished phases. Read-only.
 *
 * <p>Public for maven, whose status goal shows it; not an API.
 */
public final class TargetStatus {

    private static final String RUNS = "SELECT RUN_NO, STARTED_AT, ENDED_AT, OUTCOME, STRATEGY, CAPACITY, ROW_CHANGES, TRANSACTIONS, "
            + "LARGEST_TRANSACTION, MESSAGE FROM KMS55.KMS_CONVERSION_RUN ORDER BY RUN_NO";
    private static final String PHASES = "SELECT PHASE, COMPLETED_AT, ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE ORDER BY COMPLETED_AT, PHASE";
    private static final String TOOL = "SELECT TOOL_VERSION FROM KMS55.KMS_CONVERSION WHERE ID = 1";

    private TargetStatus() {
    }

    /** The status as lines for the log. */
    public static List<String> lines(Database target) {
        try (Lease lease = target.lease(); Connection connection = target.openReadOnly()) {
            List<String> lines = lines(connection, target.display());
            connection.rollback();
            return lines;
        } catch (SQLException e) {
            throw new StoreException("Reading the status of " + target.display(), e);
        }
    }

    private static List<String> lines(Connection target, String display) throws SQLException {
        List<String> lines = new ArrayList<>();
        if (Schemas.tables(target, Kms55Schema.SCHEMA).isEmpty()) {
            lines.add(display + " holds no KMS55 schema: nothing was converted into it.");
            return lines;
        }
        ConversionRecord record = ConversionRecord.read(target);
        if (record == null) {
            lines.add(display + " holds a KMS55 schema without KMS Gate's conversion record (written by another converter, "
                    + "or never started): verify it with checkConversionRecord false.");
            return lines;
        }
        String tool = Sql.queryString(target, TOOL);
        lines.add(String.format(Locale.ROOT, "%s: %s conversion (strategy %s) of %s, source fingerprint %s, started %s%s, by %s.",
                display, record.state(), record.strategy(), record.sourceDescription(), record.shortFingerprint(),
                when(record.startedAt()), record.finishedAt() == null ? "" : ", finished " + when(record.finishedAt()), tool));
        lines.add(String.format(Locale.ROOT, "  %-4s %-20s %-12s %-19s %9s %13s %13s %12s", "run", "started", "outcome", "strategy",
                "capacity", "row changes", "transactions", "largest txn"));
        try (PreparedStatement runs = target.prepareStatement(RUNS); ResultSet rs = runs.executeQuery()) {
            while (rs.next()) {
                lines.add(String.format(Locale.ROOT, "  %-4d %-20s %-12s %-19s %,9d %13s %13s %12s%s", rs.getInt(1),
                        when(rs.getTimestamp(2, Sql.utc())), rs.getString(4), rs.getString(5), rs.getInt(6),
                        number(rs, 7), number(rs, 8), number(rs, 9), rs.getString(10) == null ? "" : "  " + rs.getString(10)));
            }
        }
        List<String> phases = new ArrayList<>();
        try (PreparedStatement query = target.prepareStatement(PHASES); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                phases.add(String.format(Locale.ROOT, "%s (%,d row changes, %s)", rs.getString(1), rs.getLong(3),
                        when(rs.getTimestamp(2, Sql.utc()))));
            }
        }
        lines.add("  phases done: " + (phases.isEmpty() ? "none" : String.join(", ", phases)));
        return lines;
    }

    private static String number(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? "-" : String.format(Locale.ROOT, "%,d", value);
    }

    private static String when(Timestamp at) {
        return at == null ? "-" : at.toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
