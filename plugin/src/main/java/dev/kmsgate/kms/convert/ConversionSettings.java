package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.TransactionLedger;

import java.time.Duration;
import java.util.Objects;

/**
 * What to convert, where to, and how.
 *
 * @param transactionCapacity the most row changes one transaction of the target may hold
 * @param restart discard an existing conversion in the target and start over
 * @param ledger where the capacity guard records every transaction (the gate reads it)
 * @param progressInterval how often a long run logs its progress
 */
public record ConversionSettings(DatabaseAddress source, Credentials sourceCredentials,
                                 DatabaseAddress target, Credentials targetCredentials,
                                 int transactionCapacity, Strategy strategy, boolean restart,
                                 TransactionLedger ledger, Duration progressInterval) {

    /** The default capacity: what one transaction of the KMS 5.0 store was sized for in the sample. */
    public static final int DEFAULT_CAPACITY = 1000;

    public ConversionSettings {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(strategy, "strategy");
        sourceCredentials = sourceCredentials == null ? Credentials.NONE : sourceCredentials;
        targetCredentials = targetCredentials == null ? Credentials.NONE : targetCredentials;
        ledger = ledger == null ? new TransactionLedger() : ledger;
        progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
        requireCapacity(transactionCapacity);
    }

    /** Settings with the defaults: no credentials, no restart, a fresh ledger, progress every 5 s. */
    public static ConversionSettings of(DatabaseAddress source, DatabaseAddress target, int capacity, Strategy strategy) {
        return new ConversionSettings(source, null, target, null, capacity, strategy, false, null, null);
    }

    /** Checks a capacity, with the message that names the POM element. */
    public static void requireCapacity(int capacity) {
        if (capacity < 1) {
            throw new KmsUsageException(Messages.format(Messages.CAPACITY_TOO_SMALL, capacity));
        }
    }

    public ConversionSettings withLedger(TransactionLedger newLedger) {
        return new ConversionSettings(source, sourceCredentials, target, targetCredentials, transactionCapacity,
                strategy, restart, newLedger, progressInterval);
    }

    public ConversionSettings withRestart(boolean newRestart) {
        return new ConversionSettings(source, sourceCredentials, target, targetCredentials, transactionCapacity,
                strategy, newRestart, ledger, progressInterval);
    }
}
