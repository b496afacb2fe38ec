package dev.kmsgate.kms;

/**
 * The core's own tiny logging interface. The Maven goals adapt it to {@code getLog()}; tests and
 * command-line tools use {@link #silent()} or their own. Nothing logged here may carry a
 * secret: wrapped keys and passwords are never passed to a logger.
 *
 * <p>Public for every package that logs, and maven, which adapts it to the goal's log; not an API.
 */
public interface KmsLog {

    void info(String message);

    void warn(String message);

    void debug(String message);

    /** A log that drops everything. */
    static KmsLog silent() {
        return new KmsLog() {
            @Override public void info(String message) { }
            @Override public void warn(String message) { }
            @Override public void debug(String message) { }
        };
    }

    /** The same log, every line after a prefix; thread-safe if the log is. */
    static KmsLog prefixed(KmsLog log, String prefix) {
        return new KmsLog() {
            @Override public void info(String message) { log.info(prefix + message); }
            @Override public void warn(String message) { log.warn(prefix + message); }
            @Override public void debug(String message) { log.debug(prefix + message); }
        };
    }
}
