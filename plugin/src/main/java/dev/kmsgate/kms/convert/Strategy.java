package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How revocations reach the target.
 *
 * <p>Public for gate, fork and maven, which choose one; not an API.
 */
public enum Strategy {

    /** Every transaction holds at most {@code transactionCapacity} row changes; revocations are merged into the certificate rows. */
    CHUNKED(Parameters.STRATEGY_CHUNKED),

    /**
     * The reference defect of KB Q193567: certificates are moved first, then every revocation is
     * applied in ONE transaction, which fails as soon as there are more than the capacity.
     */
    SINGLE_TRANSACTION(Parameters.STRATEGY_SINGLE_TRANSACTION);

    private final String id;

    Strategy(String id) {
        this.id = id;
    }

    /** The name used in the POM and in reports. */
    public String id() {
        return id;
    }

    /** Parses the POM value, naming the allowed ones on error. */
    public static Strategy parse(String value) {
        for (Strategy strategy : values()) {
            if (strategy.id.equals(value == null ? null : value.trim())) {
                return strategy;
            }
        }
        throw new KmsUsageException(Messages.format(Messages.UNKNOWN_STRATEGY, value, allowed()));
    }

    static String allowed() {
        return Arrays.stream(values()).map(Strategy::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
