package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.LogLine;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.Formats;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a conversion of a source at a capacity will do, computed from the source alone and writing
 * nothing (the {@code kms:plan} dry run): its row changes and transactions, phase by phase, with
 * the bookkeeping included, exactly as a fresh run of {@link Converter} commits them.
 *
 * <p>Public for maven, whose {@code kms:plan} logs it; not an API.
 *
 * @param serialRows certificates, keys and (chunked) unmatched revocations: phase {@code SERIALS}
 * @param quarantinedCertificates certificates whose user is unknown
 * @param unmatchedRevocations distinct CRL serials that name no converted certificate
 * @param oneTransaction the row changes of the {@code REVOCATIONS} transaction ({@code single-transaction}), else 0
 */
public record ConversionPlan(SourceFacts source, int transactionCapacity, Strategy strategy, long crlSerials,
                             long quarantinedCertificates, long unmatchedRevocations, long serialRows, long rowChanges,
                             long transactions, long largestTransaction, long oneTransaction) {

    /** Bookkeeping of a fresh run: the conversion record, the run row, three phase rows, the finish and the run's end. */
    static final int BOOKKEEPING_TRANSACTIONS = 7;

    private static final String QUARANTINED_CERTS = "SELECT COUNT(*) FROM KMS50.KM_CERT C "
            + "WHERE NOT EXISTS (SELECT 1 FROM KMS50.KM_USER U WHERE U.USER_ID = C.USER_ID)";
    private static final String UNMATCHED = "SELECT COUNT(DISTINCT K.SERIAL) FROM KMS50.KM_CRL K WHERE NOT EXISTS "
            + "(SELECT 1 FROM KMS50.KM_CERT C JOIN KMS50.KM_USER U ON U.USER_ID = C.USER_ID WHERE C.SERIAL = K.SERIAL)";

    /** Plans the conversion of a source, opened read-only. */
    public static ConversionPlan of(Database source, int transactionCapacity, Strategy strategy) {
        Parameters.transactionCapacity(transactionCapacity);
        try (Lease lease = source.lease(); Connection connection = source.openReadOnly()) {
            Formats.requireLegacySource(connection, source.display());
            SourceFacts facts = SourceFacts.read(connection);
            long crlSerials = Sql.count(connection, Kms50Schema.COUNT_CRL_SERIALS);
            long quarantined = Sql.count(connection, QUARANTINED_CERTS);
            long unmatched = Sql.count(connection, UNMATCHED);
            connection.rollback();
            return plan(facts, transactionCapacity, strategy, crlSerials, quarantined, unmatched);
        } catch (SQLException e) {
            throw new StoreException("Planning the conversion of " + source.display(), e);
        }
    }

    static ConversionPlan plan(SourceFacts facts, int capacity, Strategy strategy, long crlSerials, long quarantined, long unmatched) {
        boolean chunked = strategy == Strategy.CHUNKED;
        long perCommit = Math.min(capacity, ConversionRun.MAX_ROWS_PER_COMMIT);
        long serialRows = facts.certificates() + facts.keys() + (chunked ? unmatched : 0);
        long oneTransaction = chunked ? 0 : crlSerials;
        long rowChanges = facts.users() + serialRows + oneTransaction + BOOKKEEPING_TRANSACTIONS + (chunked ? 0 : 1);
        long transactions = chunks(facts.users(), perCommit) + chunks(serialRows, perCommit) + BOOKKEEPING_TRANSACTIONS
                + (chunked ? 0 : (oneTransaction > 0 ? 1 : 0) + 1);
        long largest = Math.max(Math.min(perCommit, Math.max(facts.users(), serialRows)), Math.max(1, oneTransaction));
        return new ConversionPlan(facts, capacity, strategy, crlSerials, quarantined, unmatched, serialRows,
                rowChanges, transactions, largest, oneTransaction);
    }

    private static long chunks(long rows, long perCommit) {
        return (rows + perCommit - 1) / perCommit;
    }

    /** Whether a run of this plan would be refused under the capacity (only the reference defect's can be). */
    public boolean exceedsCapacity() {
        return largestTransaction > transactionCapacity;
    }

    /**
     * The plan as log lines.
     *
     * @param rowsPerSecond the source rows per second to estimate the time with
     */
    public List<String> lines(double rowsPerSecond) {
        return logLines(rowsPerSecond).stream().map(LogLine::text).toList();
    }

    /**
     * The plan as log lines with their severity: the one transaction the guard would refuse warns.
     *
     * @param rowsPerSecond the source rows per second to estimate the time with
     */
    public List<LogLine> logLines(double rowsPerSecond) {
        return logLines(ConvertSpeed.linear(rowsPerSecond));
    }

    /**
     * The plan as log lines with their severity, its time estimated at a measured speed and growth
     * ({@link ConvertSpeed}).
     */
    public List<LogLine> logLines(ConvertSpeed speed) {
        List<LogLine> lines = new ArrayList<>();
        long perCommit = Math.min(transactionCapacity, ConversionRun.MAX_ROWS_PER_COMMIT);
        lines.add(LogLine.info(String.format(Locale.ROOT, "Plan: converting %,d users, %,d certificates, %,d keys and %,d CRL rows (%,d distinct "
                + "serials) at transactionCapacity %,d with strategy %s; nothing is written.", source.users(), source.certificates(),
                source.keys(), source.crlRows(), crlSerials, transactionCapacity, strategy)));
        lines.add(LogLine.info(String.format(Locale.ROOT, "  USERS        %,13d row changes in %,9d transactions", source.users(), chunks(source.users(), perCommit))));
        lines.add(LogLine.info(String.format(Locale.ROOT, "  SERIALS      %,13d row changes in %,9d transactions (%,d certificates, %,d of them quarantined; "
                + "%,d keys; %,d unmatched revocations)", serialRows, chunks(serialRows, perCommit), source.certificates(),
                quarantinedCertificates, source.keys(), strategy == Strategy.CHUNKED ? unmatchedRevocations : 0)));
        lines.add(LogLine.info("  KEYS                     0 row changes: adds the primary and foreign keys in one transaction with its phase record"));
        if (oneTransaction > 0) {
            lines.add(LogLine.of(String.format(Locale.ROOT, "  REVOCATIONS  %,13d row changes in ONE transaction%s", oneTransaction,
                    exceedsCapacity() ? String.format(Locale.ROOT, ": beyond the capacity of %,d, the guard would REFUSE it (the KB Q193567 defect)",
                            transactionCapacity) : ""), exceedsCapacity()));
        }
        lines.add(LogLine.info(String.format(Locale.ROOT, "  bookkeeping  %,13d row changes in %,9d transactions", rowChanges - source.users() - serialRows - oneTransaction,
                transactions - chunks(source.users(), perCommit) - chunks(serialRows, perCommit) - (oneTransaction > 0 ? 1 : 0))));
        lines.add(LogLine.info(String.format(Locale.ROOT, "  total        %,13d row changes in %,9d transactions, the largest %,d (capacity %,d)",
                rowChanges, transactions, largestTransaction, transactionCapacity)));
        long rows = source.users() + source.certificates() + source.keys() + source.crlRows();
        if (speed.smallerRows() == 0) {
            lines.add(LogLine.info(String.format(Locale.ROOT, "  about %.1f s at %,.0f source rows/s (KMS Gate's convert rate, measured on this "
                    + "machine just now)", speed.secondsFor(rows), speed.rowsPerSecond())));
        } else {
            lines.add(LogLine.info(String.format(Locale.ROOT, "  about %.1f s at %,.0f source rows/s, its work growing as n^%.2f (KMS Gate's "
                    + "converter, measured on this machine just now on %,d and %,d rows%s)", speed.secondsFor(rows), speed.rowsPerSecond(),
                    speed.growth(), speed.smallerRows(), speed.rows(), speed.exponent() < 1 ? String.format(Locale.ROOT,
                            "; it measured n^%.2f, and no less than linear is estimated", speed.exponent()) : "")));
        }
        return lines;
    }

}
