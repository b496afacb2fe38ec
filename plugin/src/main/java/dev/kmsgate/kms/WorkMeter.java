package dev.kmsgate.kms;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU time a piece of work takes in user mode: the thread that runs it, plus the helper threads
 * it starts that report to it ({@link #counted}), such as KMS Gate's own read-ahead threads. CPU
 * time, not wall time: another build on the same cores, a disk that syncs slowly or a garbage
 * collection (which runs on threads of its own) does not lengthen it. User time, not the kernel's
 * on the thread's behalf: the kernel's work for each commit's sync of Derby's log grows with the
 * commits, not the rows, and at a small capacity it was most of a small conversion's CPU time
 * (docs/performance.md, tenth round). What it cannot see: threads that work
 * for the measured code without reporting (a converter's own executor), and the JIT compiler's.
 *
 * <p>Public for gate and store, which measure conversions; not an API.
 */
public final class WorkMeter implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final InheritableThreadLocal<WorkMeter> CURRENT = new InheritableThreadLocal<>();

    private final WorkMeter outer;
    private final long started;
    private final AtomicLong helpers = new AtomicLong();
    private long nanos = -1;

    private WorkMeter(WorkMeter outer) {
        this.outer = outer;
        this.started = cpu();
    }

    /** Whether this JVM can measure a thread's CPU time; without it every measure is zero. */
    public static boolean supported() {
        return THREADS.isCurrentThreadCpuTimeSupported();
    }

    /** Starts measuring on this thread; threads it starts from now on report to this meter until it is closed. */
    public static WorkMeter start() {
        WorkMeter meter = new WorkMeter(CURRENT.get());
        CURRENT.set(meter);
        return meter;
    }

    /**
     * A helper thread's body that adds the CPU time it spends to the meter of the thread that
     * created it, if that thread was being measured.
     */
    public static Runnable counted(Runnable body) {
        WorkMeter meter = CURRENT.get();
        if (meter == null) {
            return body;
        }
        return () -> {
            long before = cpu();
            try {
                body.run();
            } finally {
                meter.helpers.addAndGet(cpu() - before);
            }
        };
    }

    /** Stops measuring: what this thread and its reporting helpers have spent since {@link #start}. */
    @Override
    public void close() {
        if (nanos < 0) {
            nanos = cpu() - started + helpers.get();
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The CPU time measured; valid once closed. */
    public Duration work() {
        if (nanos < 0) {
            throw new IllegalStateException("the meter is still running");
        }
        return Duration.ofNanos(nanos);
    }

    private static long cpu() {
        return supported() ? THREADS.getCurrentThreadUserTime() : 0;
    }
}
