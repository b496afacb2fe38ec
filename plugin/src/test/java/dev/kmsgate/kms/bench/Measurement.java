package dev.kmsgate.kms.bench;


import java.io.IOException;
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
 * peak live heap (the most still in use right after a full collection, sampled every two
 * seconds: what memory really grows with), and peak resident set size from /proc.
 */
final class Measurement {

    private final long started = System.nanoTime();
    private final AtomicLong liveAfterGc = new AtomicLong();

    Measurement() {
        // The live set is what is still in use right after a full collection. Sampling it every
        // two seconds costs a few full collections of a small heap, under 2 % of a run.
        Thread sampler = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                sampleLiveHeap();
            }
        }, "live-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sampleLiveHeap() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        liveAfterGc.accumulateAndGet(used, Math::max);
    }

    /** One parseable line (samples the live heap once more first, so short steps have a figure too): {@code RESULT step=convert rows=... seconds=... peakHeapMb=... liveHeapMb=... rssMb=...}. */
    String result(String step, long rows, String extra) {
        double seconds = (System.nanoTime() - started) / 1e9;
        sampleLiveHeap();
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
