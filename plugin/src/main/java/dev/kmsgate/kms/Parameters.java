package dev.kmsgate.kms;

import java.time.Duration;

/**
 * The goals' parameters: each has one name and one user property ({@code kms.<name>}) here, and a
 * parameter that more than one goal takes also has its one default and one validation here. The
 * goals' {@code @Parameter} annotations use these constants, and the core validates with these
 * methods, so a goal and a test can never disagree on a property, a default or a message.
 *
 * <p>Public for maven, whose goals declare the parameters, and the core packages that validate
 * them; not an API.
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
    /** The interval of progress lines when a goal or a test gives the core none. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(DEFAULT_PROGRESS_SECONDS);

    public static final String CONVERTER = "converter";
    public static final String CONVERTER_PROPERTY = PROPERTY_PREFIX + CONVERTER;

    public static final String SKIP = "skip";
    public static final String SKIP_PROPERTY = PROPERTY_PREFIX + SKIP;
    public static final String DEFAULT_SKIP_TEXT = "false";

    // The legacy source and the converted target (convert, verify, plan, status); generate writes its database where the others read the source by default.
    public static final String SOURCE = "source";
    public static final String SOURCE_PROPERTY = PROPERTY_PREFIX + SOURCE;
    public static final String DEFAULT_SOURCE = "${project.build.directory}/kms/kms50";
    public static final String SOURCE_SERVER_ID = "sourceServerId";
    public static final String SOURCE_SERVER_ID_PROPERTY = PROPERTY_PREFIX + SOURCE_SERVER_ID;
    public static final String TARGET = "target";
    public static final String TARGET_PROPERTY = PROPERTY_PREFIX + TARGET;
    public static final String DEFAULT_TARGET = "${project.build.directory}/kms/kms55";
    public static final String TARGET_SERVER_ID = "targetServerId";
    public static final String TARGET_SERVER_ID_PROPERTY = PROPERTY_PREFIX + TARGET_SERVER_ID;

    // kms:generate.
    public static final String DATABASE = "database";
    public static final String DATABASE_PROPERTY = PROPERTY_PREFIX + DATABASE;
    public static final String DATABASE_SERVER_ID = "databaseServerId";
    public static final String DATABASE_SERVER_ID_PROPERTY = PROPERTY_PREFIX + DATABASE_SERVER_ID;
    public static final String USERS = "users";
    public static final String USERS_PROPERTY = PROPERTY_PREFIX + USERS;
    public static final String REVOKED = "revoked";
    public static final String REVOKED_PROPERTY = PROPERTY_PREFIX + REVOKED;
    public static final String DUPLICATE_REVOCATIONS = "duplicateRevocations";
    public static final String DUPLICATE_REVOCATIONS_PROPERTY = PROPERTY_PREFIX + DUPLICATE_REVOCATIONS;
    public static final String ORPHAN_REVOCATIONS = "orphanRevocations";
    public static final String ORPHAN_REVOCATIONS_PROPERTY = PROPERTY_PREFIX + ORPHAN_REVOCATIONS;
    public static final String ORPHAN_CERTIFICATES = "orphanCertificates";
    public static final String ORPHAN_CERTIFICATES_PROPERTY = PROPERTY_PREFIX + ORPHAN_CERTIFICATES;
    public static final String ORPHAN_KEYS = "orphanKeys";
    public static final String ORPHAN_KEYS_PROPERTY = PROPERTY_PREFIX + ORPHAN_KEYS;
    public static final String OVERWRITE = "overwrite";
    public static final String OVERWRITE_PROPERTY = PROPERTY_PREFIX + OVERWRITE;

    // kms:convert.
    public static final String RESTART = "restart";
    public static final String RESTART_PROPERTY = PROPERTY_PREFIX + RESTART;

    // kms:verify.
    public static final String CHECK_CONVERSION_RECORD = "checkConversionRecord";
    public static final String CHECK_CONVERSION_RECORD_PROPERTY = PROPERTY_PREFIX + CHECK_CONVERSION_RECORD;

    // kms:regression.
    public static final String THREADS = "threads";
    public static final String THREADS_PROPERTY = PROPERTY_PREFIX + THREADS;
    public static final String LARGE_MULTIPLE = "largeMultiple";
    public static final String LARGE_MULTIPLE_PROPERTY = PROPERTY_PREFIX + LARGE_MULTIPLE;
    public static final String WORK_DIRECTORY = "workDirectory";
    public static final String WORK_DIRECTORY_PROPERTY = PROPERTY_PREFIX + WORK_DIRECTORY;
    public static final String RESUME_TRIALS = "resumeTrials";
    public static final String RESUME_TRIALS_PROPERTY = PROPERTY_PREFIX + RESUME_TRIALS;
    public static final String SCALING_PROOF = "scalingProof";
    public static final String SCALING_PROOF_PROPERTY = PROPERTY_PREFIX + SCALING_PROOF;
    public static final String SHARD = "shard";
    public static final String SHARD_PROPERTY = PROPERTY_PREFIX + SHARD;
    public static final String FORK = "fork";
    public static final String FORK_PROPERTY = PROPERTY_PREFIX + FORK;
    public static final String ARG_LINE = "argLine";
    public static final String ARG_LINE_PROPERTY = PROPERTY_PREFIX + ARG_LINE;
    public static final String CACHE_DIRECTORY = "cacheDirectory";
    public static final String CACHE_DIRECTORY_PROPERTY = PROPERTY_PREFIX + CACHE_DIRECTORY;
    public static final String CACHE = "cache";
    public static final String CACHE_PROPERTY = PROPERTY_PREFIX + CACHE;
    public static final String RERUN = "rerun";
    public static final String RERUN_PROPERTY = PROPERTY_PREFIX + RERUN;
    public static final String CACHE_SIZE_LIMIT = "cacheSizeLimit";
    public static final String CACHE_SIZE_LIMIT_PROPERTY = PROPERTY_PREFIX + CACHE_SIZE_LIMIT;

    // kms:report, run alone: where it writes its page.
    public static final String OUTPUT_DIRECTORY = "outputDirectory";
    public static final String OUTPUT_DIRECTORY_PROPERTY = PROPERTY_PREFIX + OUTPUT_DIRECTORY;

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
