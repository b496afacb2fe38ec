package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.store.Databases;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kill soak: hundreds of {@link KillHarness} trials, then its figures. Not part of
 * {@code mvn verify}; run it with
 * {@code mvn -B -ntp -pl plugin -am -Psoak test -Dsoak.trials=200 -Dsoak.seed=1}.
 * Exits 1 if any trial lost or duplicated a row, failed a table check or changed the source.
 *
 * <p>Arguments: {@code [trials] [seed] [work directory]}.
 */
public final class Soak {

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1L;
        Path work = Path.of(args.length > 2 ? args[2] : "target/soak").toAbsolutePath();
        System.setProperty("derby.stream.error.file", work.resolve("derby.log").toString());
        Databases.deleteRecursively(work);
        long started = System.nanoTime();
        KillHarness harness = new KillHarness(work);
        System.out.println("[soak] " + harness.describe());

        int kills = 0;
        int failedTrials = 0;
        long lost = 0;
        long duplicated = 0;
        int checkFailures = 0;
        int sourceChanged = 0;
        Map<String, Integer> stages = new TreeMap<>();
        long[] deciles = new long[11];
        for (int n = 1; n <= trials; n++) {
            KillHarness.Trial trial = harness.run(n, seed * 1_000_003L + n);
            kills += trial.kills().size();
            lost += trial.lost();
            duplicated += trial.duplicated();
            checkFailures += trial.checkProblems().isEmpty() ? 0 : 1;
            sourceChanged += trial.sourceUnchanged() ? 0 : 1;
            for (KillHarness.KillPoint point : trial.kills()) {
                stages.merge(point.stage() + (point.byTime() ? " (timed kill)" : ""), 1, Integer::sum);
                deciles[(int) (10 * point.committedRows() / harness.referenceRows())]++;
            }
            if (!trial.passed()) {
                failedTrials++;
            }
            System.out.printf(Locale.ROOT, "[soak] trial %3d seed %d capacity %d kills %s: %s%n", n, trial.seed(), trial.capacity(),
                    trial.kills(), trial.passed() ? "exact" : "FAILED " + trial);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "[soak] trials:           %d (%d failed) in %.0f s%n", trials, failedTrials,
                (System.nanoTime() - started) / 1e9);
        System.out.printf(Locale.ROOT, "[soak] kills (SIGKILL):  %d%n", kills);
        System.out.println("[soak] kill points by stage:");
        stages.forEach((stage, count) -> System.out.printf(Locale.ROOT, "[soak]   %-34s %d%n", stage, count));
        System.out.println("[soak] kill points by committed data rows (share of " + harness.referenceRows() + "):");
        for (int d = 0; d < 10; d++) {
            System.out.printf(Locale.ROOT, "[soak]   %3d%% - %3d%%  %d%n", d * 10, d * 10 + 10, deciles[d] + (d == 9 ? deciles[10] : 0));
        }
        System.out.printf(Locale.ROOT, "[soak] lost rows:        %d%n", lost);
        System.out.printf(Locale.ROOT, "[soak] duplicated rows:  %d%n", duplicated);
        System.out.printf(Locale.ROOT, "[soak] check-table failures: %d%n", checkFailures);
        System.out.printf(Locale.ROOT, "[soak] source changed:   %d%n", sourceChanged);
        System.exit(failedTrials == 0 ? 0 : 1);
    }
}
