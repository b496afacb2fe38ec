package dev.kmsgate.kms;


import java.time.Duration;
import java.util.Locale;

/**
 * Logs a line every few seconds on long runs: rows done, rate and estimated time left, so a
 * ten-minute conversion is never silent. Checking is a clock read per call; call it per chunk.
 *
 * <p>Public for store, convert, verify and generate, which report progress on long runs;
 * not an API.
 */
public final class Progress {

    private final KmsLog log;
    private final String what;
    private final long total;
    private final long intervalNanos;
    private final long started = System.nanoTime();
    private long lastReport = started;
    private final long base;
    private long done;

    public Progress(KmsLog log, String what, long total, Duration interval) {
        this(log, what, total, 0, interval);
    }

    /**
     * @param alreadyDone rows an earlier run finished: counted in the share done, not in this run's rate
     */
    public Progress(KmsLog log, String what, long total, long alreadyDone, Duration interval) {
        this.log = log;
        this.what = what;
        this.total = total;
        this.base = alreadyDone;
        this.done = alreadyDone;
        this.intervalNanos = interval.toNanos();
    }

    /** Adds finished rows and logs if the interval has passed. */
    public void advance(long rows) {
        done += rows;
        long now = System.nanoTime();
        if (now - lastReport >= intervalNanos) {
            lastReport = now;
            double seconds = (now - started) / 1e9;
            double rate = (done - base) / Math.max(seconds, 1e-9);
            long left = Math.max(0, total - done);
            log.info(String.format(Locale.ROOT, "%s: %,d of %,d rows (%d%%), %,.0f rows/s, about %s left",
                    what, done, total, total == 0 ? 100 : done * 100 / total, rate, eta(left / Math.max(rate, 1e-9))));
        }
    }

    public long done() {
        return done;
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }
}
