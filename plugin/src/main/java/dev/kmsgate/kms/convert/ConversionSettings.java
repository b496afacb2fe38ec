package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.TransactionLedger;

import java.time.Duration;
import java.util.Objects;

/**
 * What to convert, where to, and how.
 *
 * <p>Public for gate and maven, which say what to convert and how; not an API.
 *
 * @param transactionCapacity the most row changes one transaction of the target may hold
 * @param restart discard an existing conversion in the target and start over
 * @param ledger where the capacity guard records every transaction (the gate reads it)
 * @param progressInterval how often a long run logs its progress
 */
public record ConversionSettings(Database source, Database target, int transactionCapacity, Strategy strategy,
                                 boolean restart, TransactionLedger ledger, Duration progressInterval) {

    public ConversionSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(strategy, "strategy");
        ledger = ledger == null ? new TransactionLedger() : ledger;
        progressInterval = progressInterval == null ? Parameters.DEFAULT_PROGRESS_INTERVAL : progressInterval;
        Parameters.transactionCapacity(transactionCapacity);
    }

    /** Settings with the defaults: no credentials, no restart, a fresh ledger, progress every 5 s. */
    public static ConversionSettings of(DatabaseAddress source, DatabaseAddress target, int transactionCapacity, Strategy strategy) {
        return new ConversionSettings(Database.of(source), Database.of(target), transactionCapacity, strategy, false, null, null);
    }
}
