package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.fork.GateJob;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.GateTable;
import dev.kmsgate.kms.report.RecordJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The gate with its verdict store: before anything is forked or booted, a passing verdict stored
 * under this build's key is reused (the same table in the log, marked as reused, and the same
 * reports, rendered from its stored record); otherwise the log says in one line why the gate runs,
 * the gate runs, and a passing verdict is stored. A failing verdict is never stored, so it runs
 * again on every build.
 *
 * <p>Public for maven, whose regression goal runs the gate through it; not an API.
 *
 * @param store the store, or null when {@code cache} is false: nothing is stored or reused
 * @param rerun run the gate whatever is stored (a passing run is still stored)
 * @param project {@code groupId:artifactId:execution}, whose last stored key the change line compares against
 */
public record CachedGate(VerdictStore store, boolean rerun, String project, VerdictKey key) {

    /** What runs the gate when no verdict is reused: in a JVM of its own or in this one; it throws for a failing gate. */
    @FunctionalInterface
    public interface Run {
        void gate(GateJob job);
    }

    /**
     * Reuses a stored verdict or runs the gate.
     *
     * @param job the gate's job; its {@code recordFile} is where a run leaves its result for the store
     */
    public void run(GateJob job, Run run, KmsLog log) {
        if (store == null) {
            try {
                run.gate(job);
            } finally {
                deleteQuietly(job.recordFile());
            }
            return;
        }
        job.requireReportsDirectory();
        if (reused(job, log)) {
            return;
        }
        try {
            run.gate(job); // throws for a failing gate, which is never stored
            store(job.recordFile(), log);
        } finally {
            deleteQuietly(job.recordFile());
            store.evict();
        }
    }

    /** Renders a stored verdict for this key, if there is one; otherwise logs why the gate runs. */
    private boolean reused(GateJob job, KmsLog log) {
        if (!key.keyed()) {
            log.info(Messages.format(Messages.VERDICT_UNKEYABLE, key.unkeyable()));
            return false;
        }
        if (rerun) {
            log.info(Messages.VERDICT_RERUN);
            return false;
        }
        boolean held = store.holds(key);
        long reading = System.nanoTime();
        Optional<StoredVerdict> hit = store.find(key); // a damaged one is reported there
        if (hit.isPresent()) {
            log.debug(String.format(Locale.ROOT, "KMS Gate: the stored verdict read in %d ms.", (System.nanoTime() - reading) / 1_000_000));
            long rendering = System.nanoTime();
            GateReport report = hit.get().report().reused(new GateReport.Reuse(key.key()));
            GateTable.print(report, log);
            GateJob.writeReports(job.reportsDirectory(), report, log);
            log.debug(String.format(Locale.ROOT, "KMS Gate: the reused verdict's reports written in %d ms.",
                    (System.nanoTime() - rendering) / 1_000_000));
            return true;
        }
        Optional<StoredVerdict> last = store.last(project);
        if (last.isEmpty()) {
            log.info(Messages.VERDICT_NOT_STORED_YET);
        } else if (last.get().key().equals(key.key())) {
            if (!held) {
                log.info(Messages.VERDICT_GONE);
            }
        } else {
            log.info(Messages.format(Messages.VERDICT_INPUTS_CHANGED, KeyChanges.describe(last.get().inputs(), key.inputs())));
        }
        return false;
    }

    private void store(Path recordFile, KmsLog log) {
        GateReport report;
        try {
            report = RecordJson.readFile(recordFile, GateReport.class);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            log.warn(Messages.format(Messages.VERDICT_RECORD_UNREADABLE, e.getMessage()));
            return;
        }
        store.store(project, key, report);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a record left behind is overwritten by the next run
        }
    }
}
