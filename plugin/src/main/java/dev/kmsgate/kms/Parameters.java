package dev.kmsgate.kms;

import java.time.Duration;

/**
 * The parameters that more than one goal takes: each has one name, one user property, one default
 * and one validation, here. The goals' {@code @Parameter} annotations use these constants, and the
 * core validates with these methods, so a goal and a test can never disagree on a default or a
 * message.
 */
public final class Parameters {

    /** Every parameter's user property is this prefix and its name: {@code kms.transactionCapacity}. */
    public static final String PROPERTY_PREFIX = "kms.";

    public static final String TRANSACTION_CAPACITY = "transactionCapacity";
    public static final String TRANSACTION_CAPACITY_PROPERTY = PROPERTY_PREFIX + TRANSACTION_CAPACITY;
    /** The default capacity: what one transaction of the KMS 5.0 store was sized for in the sample. */
    public static final int DEFAULT_TRANSACTION_CAPACITY = 1000;
    public static final String DEFAULT_TRANSACTION_CAPACITY_TEXT = "" + DEFAULT_TRANSACTION_CAPACITY;

    public static final String STRATEGY = "strategy";
    public static final String STRATEGY_PROPERTY = PROPERTY_PREFIX + STRATEGY;
    /** Strategy {@code chunked}: transactions of at most the capacity. Also what {@code KMS_CONVERSION.STRATEGY} records. */
    public static final String STRATEGY_CHUNKED = "chunked";
    /** Strategy {@code single-transaction}: the reference defect, every revocation in one transaction. */
    public static final String STRATEGY_SINGLE_TRANSACTION = "single-transaction";
    public static final String DEFAULT_STRATEGY = STRATEGY_CHUNKED;

    public static final String MISMATCH_LIMIT = "mismatchLimit";
    public static final String MISMATCH_LIMIT_PROPERTY = PROPERTY_PREFIX + MISMATCH_LIMIT;
    /** How many differing keys each failed invariant lists by default. */
    public static final int DEFAULT_MISMATCH_LIMIT = 10;
    public static final String DEFAULT_MISMATCH_LIMIT_TEXT = "" + DEFAULT_MISMATCH_LIMIT;

    public static final String REPORTS_DIRECTORY = "reportsDirectory";
    public static final String REPORTS_DIRECTORY_PROPERTY = PROPERTY_PREFIX + REPORTS_DIRECTORY;
    public static final String DEFAULT_REPORTS_DIRECTORY = "${project.build.directory}/kms-reports";

    public static final String SEED = "seed";
    public static final String SEED_PROPERTY = PROPERTY_PREFIX + SEED;
    public static final long DEFAULT_SEED = 1;
    public static final String DEFAULT_SEED_TEXT = "" + DEFAULT_SEED;

    public static final String PROGRESS_SECONDS = "progressSeconds";
    public static final String PROGRESS_SECONDS_PROPERTY = PROPERTY_PREFIX + PROGRESS_SECONDS;
    /** Seconds between progress lines of a long goal. */
    public static final int DEFAULT_PROGRESS_SECONDS = 5;
    public static final String DEFAULT_PROGRESS_SECONDS_TEXT = "" + DEFAULT_PROGRESS_SECONDS;

    public static final String CONVERTER = "converter";
    public static final String CONVERTER_PROPERTY = PROPERTY_PREFIX + CONVERTER;

    public static final String SKIP_PROPERTY = PROPERTY_PREFIX + "skip";

    private Parameters() {
    }

    /** A valid {@code transactionCapacity}, or the message that names the element, the value and the fix. */
    public static int transactionCapacity(int value) {
        if (value < 1) {
            throw new KmsUsageException(Messages.format(Messages.CAPACITY_TOO_SMALL, value));
        }
        return value;
    }

    /** The interval of {@code progressSeconds}: at least a second. */
    public static Duration progressInterval(int seconds) {
        return Duration.ofSeconds(Math.max(1, seconds));
    }

    /** A valid {@code mismatchLimit}. */
    public static int mismatchLimit(int value) {
        if (value < 1) {
            throw new KmsUsageException(Messages.format(Messages.MISMATCH_LIMIT_TOO_SMALL, value));
        }
        return value;
    }
}
