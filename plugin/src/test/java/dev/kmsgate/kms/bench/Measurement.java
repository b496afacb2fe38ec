package dev.kmsgate.kms.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one benchmark step measures in its own JVM: wall time, peak heap (the most the heap held),
 * peak live heap (the most still in use right after a garbage collection: what memory really
 * grows with), and peak resident set size from /proc.
 */
final class Measurement {

    private final long started = System.nanoTime();
    private final AtomicLong liveAfterGc = new AtomicLong();

    Measurement() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                .filter(e -> isHeap(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                        liveAfterGc.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }
    }

    private static boolean isHeap(String pool) {
        for (MemoryPoolMXBean bean : ManagementFactory.getMemoryPoolMXBeans()) {
            if (bean.getName().equals(pool)) {
                return bean.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }

    /** One parseable line: {@code RESULT step=convert rows=... seconds=... peakHeapMb=... liveHeapMb=... rssMb=...}. */
    String result(String step, long rows, String extra) {
        double seconds = (System.nanoTime() - started) / 1e9;
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage peak = pool.getPeakUsage();
                peakHeap += peak == null ? 0 : peak.getUsed();
            }
        }
        return String.format(Locale.ROOT, "RESULT step=%s rows=%d seconds=%.3f peakHeapMb=%.1f liveHeapMb=%.1f rssMb=%.1f%s",
                step, rows, seconds, peakHeap / 1048576.0, liveAfterGc.get() / 1048576.0, peakRssKb() / 1024.0,
                extra == null ? "" : " " + extra);
    }

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
