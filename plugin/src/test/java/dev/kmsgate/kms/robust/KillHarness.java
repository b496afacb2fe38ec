package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.Sql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Kills a conversion with SIGKILL at seeded random moments and checks that resuming it gives
 * exactly the result of an uninterrupted run.
 *
 * <p>Set-up (once): a legacy source is generated and converted without interruption by a child
 * JVM; that run is the reference, and it tells how long a child takes to start and how many
 * chunks it commits. A trial then starts {@link ConvertMain} into a fresh target one or more times
 * and kills each child with {@link Process#destroyForcibly()}: either after a random time from
 * its start (so that start-up, database creation and schema creation are hit too), or after a
 * random number of committed chunks plus a random sub-millisecond delay (so that a kill lands
 * inside a transaction). After each kill it records where the conversion stood (the kill point).
 * Finally it resumes the conversion to completion and compares every KMS55 data table with the
 * reference row for row (BLOBs included), runs SYSCS_CHECK_TABLE on every KMS55 table, and checks
 * that the source's four tables are unchanged.
 */
final class KillHarness {

    /** A few hundred certificates with every kind of dirt. */
    static final Profile PROFILE = new Profile(150, 60, 15, 8, 12, 5, 11L);

    /** Where a conversion stood when it was killed. */
    record KillPoint(String stage, long committedRows, boolean byTime) {
        @Override
        public String toString() {
            return stage + "@" + committedRows + (byTime ? "(t)" : "");
        }
    }

    /** What one trial found. */
    record Trial(int number, long seed, int capacity, List<KillPoint> kills, long lost, long duplicated,
                 List<String> checkProblems, boolean sourceUnchanged, String failure) {
        boolean passed() {
            return failure == null && lost == 0 && duplicated == 0 && checkProblems.isEmpty() && sourceUnchanged;
        }
    }

    private final Path work;
    private final DatabaseAddress source;
    private final String sourceDigest;
    private final Map<String, List<String>> reference;
    private final long referenceRows;
    private final long startupMillis;
    private final long conversionMillis;
    private final int referenceCapacity = 5;
    private final int referenceChunks;

    /** Generates the source and the reference conversion under {@code work}. */
    KillHarness(Path work) throws Exception {
        this.work = work;
        Files.createDirectories(work);
        this.source = Fixtures.generate(work, PROFILE);
        Fixtures.shutdown(source);
        this.sourceDigest = Tables.sourceDigest(source);
        Fixtures.shutdown(source);

        DatabaseAddress referenceTarget = Fixtures.address(work, "reference");
        Databases.deleteRecursively(referenceTarget.directory().orElseThrow());
        long started = System.nanoTime();
        try (ChildJvm child = ChildJvm.start(ConvertMain.class, work.resolve("derby-child.log"),
                source.display(), referenceTarget.display(), Integer.toString(referenceCapacity))) {
            child.awaitLines(line -> line.startsWith(ConvertMain.PROGRESS), 1, 120_000);
            this.startupMillis = (System.nanoTime() - started) / 1_000_000;
            int status = child.waitFor(300_000);
            this.conversionMillis = (System.nanoTime() - started) / 1_000_000 - startupMillis;
            List<String> lines = child.lines();
            if (status != 0 || lines.stream().noneMatch(l -> l.equals(ConvertMain.DONE + ConversionResult.Outcome.CONVERTED))) {
                throw new IllegalStateException("The reference conversion failed (exit " + status + "): " + lines);
            }
            this.referenceChunks = (int) lines.stream().filter(l -> l.startsWith(ConvertMain.PROGRESS)).count();
        }
        this.reference = Tables.read(referenceTarget, Tables.KMS55_DATA);
        this.referenceRows = reference.values().stream().mapToLong(List::size).sum();
        Fixtures.shutdown(referenceTarget, source);
    }

    long referenceRows() {
        return referenceRows;
    }

    String describe() {
        return String.format("source %s (%d certificates, %d keys, %d CRL rows); reference: %d rows in %d chunks of %d, "
                        + "child start-up %d ms, conversion %d ms",
                source.display(), PROFILE.certificates(), PROFILE.keys(), PROFILE.crlRows(), referenceRows, referenceChunks,
                referenceCapacity, startupMillis, conversionMillis);
    }

    /** One trial: 1 to 3 kills, a resume to completion, and the checks. */
    Trial run(int number, long seed) throws Exception {
        Random random = new Random(seed);
        int capacity = 3 + random.nextInt(5);
        DatabaseAddress target = Fixtures.address(work, "trial-" + number);
        Path directory = target.directory().orElseThrow();
        Databases.deleteRecursively(directory);
        int killCount = 1 + random.nextInt(3);
        List<KillPoint> kills = new ArrayList<>();
        String failure = null;
        long committed = 0;
        for (int k = 0; k < killCount && failure == null; k++) {
            boolean byTime = random.nextInt(5) == 0;
            try (ChildJvm child = ChildJvm.start(ConvertMain.class, work.resolve("derby-child.log"),
                    source.display(), target.display(), Integer.toString(capacity))) {
                if (byTime) {
                    Thread.sleep(random.nextInt((int) Math.max(1, startupMillis)));
                } else {
                    long chunksLeft = Math.max(1, (referenceRows - committed) / capacity);
                    int chunks = 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE, chunksLeft));
                    child.awaitLines(line -> line.startsWith(ConvertMain.PROGRESS), chunks, 120_000);
                    LockSupport.parkNanos(random.nextInt(3_000_000));
                }
                child.kill();
                boolean finished = child.lines().stream().anyMatch(l -> l.startsWith(ConvertMain.DONE));
                KillPoint point = inspect(target, byTime, finished);
                kills.add(point);
                committed = point.committedRows();
                if (point.stage().startsWith("unreadable")) {
                    failure = "after kill " + (k + 1) + " the target cannot be read: " + point.stage();
                }
                if (child.lines().stream().anyMatch(l -> l.startsWith(ConvertMain.FAILED))) {
                    failure = "the child failed before it was killed: " + child.lines();
                }
            }
        }
        long lost = 0;
        long duplicated = 0;
        List<String> problems = List.of();
        if (failure == null) {
            try {
                new Converter(KmsLog.silent()).convert(ConversionSettings.of(source, target, capacity, Strategy.CHUNKED));
                Map<String, List<String>> actual = Tables.read(target, Tables.KMS55_DATA);
                for (String table : reference.keySet()) {
                    Map<String, Integer> difference = new HashMap<>();
                    reference.get(table).forEach(row -> difference.merge(row, 1, Integer::sum));
                    actual.get(table).forEach(row -> difference.merge(row, -1, Integer::sum));
                    for (int d : difference.values()) {
                        if (d > 0) {
                            lost += d;
                        } else {
                            duplicated -= d;
                        }
                    }
                }
                problems = Tables.checkTables(target);
            } catch (RuntimeException e) {
                failure = "the resumed conversion failed: " + e;
            }
        }
        Fixtures.shutdown(target, source);
        boolean sourceUnchanged = sourceDigest.equals(Tables.sourceDigest(source));
        Fixtures.shutdown(source);
        Trial trial = new Trial(number, seed, capacity, kills, lost, duplicated, problems, sourceUnchanged, failure);
        if (trial.passed()) {
            Databases.deleteRecursively(directory);
        }
        return trial;
    }

    /** Where the conversion in a killed child's target stood. */
    private static KillPoint inspect(DatabaseAddress target, boolean byTime, boolean finished) {
        Path directory = target.directory().orElseThrow();
        if (!Files.exists(directory)) {
            try (var siblings = Files.list(directory.getParent())) {
                boolean staging = siblings.anyMatch(p -> p.getFileName().toString().startsWith("." + directory.getFileName() + ".creating-"));
                return new KillPoint(staging ? "creating-database" : "no-database", 0, byTime);
            } catch (java.io.IOException e) {
                return new KillPoint("no-database", 0, byTime);
            }
        }
        if (!target.existsOnDisk()) {
            return new KillPoint("half-created-directory", 0, byTime);
        }
        try (Connection c = Fixtures.open(target)) {
            if (Schemas.tables(c, Kms55Schema.SCHEMA).isEmpty()) {
                c.rollback();
                return new KillPoint("empty-database", 0, byTime);
            }
            long rows = 0;
            for (String table : Kms55Schema.DATA_TABLES) {
                rows += Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55." + table);
            }
            boolean usersDone = Sql.queryLong(c, Kms55Schema.PHASE_DONE, "USERS") > 0;
            boolean serialsDone = Sql.queryLong(c, Kms55Schema.PHASE_DONE, "SERIALS") > 0;
            boolean keysDone = Sql.queryLong(c, Kms55Schema.PHASE_DONE, "KEYS") > 0;
            String state = Sql.queryString(c, "SELECT STATE FROM KMS55.KMS_CONVERSION WHERE ID = 1");
            c.rollback();
            String stage = Kms55Schema.STATE_FINISHED.equals(state) ? (finished ? "completed" : "finishing")
                    : keysDone ? "finishing" : serialsDone ? "KEYS" : usersDone ? "SERIALS" : "USERS";
            return new KillPoint(stage, rows, byTime);
        } catch (Exception e) {
            return new KillPoint("unreadable: " + e.getMessage(), 0, byTime);
        } finally {
            Fixtures.shutdown(target);
        }
    }
}
