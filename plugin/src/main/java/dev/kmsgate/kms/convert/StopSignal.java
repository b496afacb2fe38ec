package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.KmsLog;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a JVM shutdown (Ctrl-C, {@code kill} with SIGTERM) stop a conversion between two
 * transactions instead of in the middle of one. A shutdown hook only raises a flag and waits; the
 * converter's own thread sees the flag right after its next commit, records the run as
 * {@code INTERRUPTED} and stops. No database work ever happens on the hook's thread, so nothing
 * can interleave with a transaction in flight. If the converter does not reach a commit within
 * {@link #GRACE_MILLIS} the JVM exits anyway, which is no worse than a kill: every committed chunk
 * is kept and a new run resumes after it.
 */
final class StopSignal implements AutoCloseable {

    static final long GRACE_MILLIS = 10_000;

    /** Thrown on the converter's thread at the first commit after a stop was requested. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped by a shutdown signal between two transactions", null, false, false);
        }
    }

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private StopSignal(KmsLog log, String target) {
        this.hook = new Thread(() -> {
            requested = true;
            log.warn("Stop requested (Ctrl-C or a termination signal): the conversion into " + target
                    + " stops after the chunk it is writing.");
            try {
                stopped.await(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kms-convert-stop");
    }

    /** Registers the shutdown hook for the length of one run. */
    static StopSignal install(KmsLog log, String target) {
        StopSignal signal = new StopSignal(log, target);
        try {
            Runtime.getRuntime().addShutdownHook(signal.hook);
        } catch (IllegalStateException e) {
            signal.requested = true; // the JVM is already shutting down: do not start
        }
        return signal;
    }

    /** Stops the run if a stop was requested; call it right after a commit. */
    void check() {
        if (requested) {
            throw new Stopped();
        }
    }

    /** The run is over (finished, failed or stopped): let the hook return and remove it. */
    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and returns now
        }
    }
}
