package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsException;
import dev.kmsgate.kms.WorkMeter;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.FileClaim;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.PhaseWork;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The scaling proof: whether the converter's work grows with its data no faster than linearly.
 * KB Q193567's defect is one way upgrade code passes a test database and fails a production one;
 * work that grows faster than the data is the other: a test database converts in seconds, a
 * production one in days.
 *
 * <p>It measures the CPU time the converter spends ({@link WorkMeter}), not wall time, so a busy
 * machine does not make a correct converter look slow, on three databases of one shape, sized by
 * work and never by the capacity, so that it has the same power at every capacity: an empty one
 * (the converter's fixed cost: connections, its schema, its statements), one of
 * {@link #SMALL_USERS} users, and one of {@link #RATIO} times as many. One slot runs them in turn,
 * once the gate's first units have warmed the JVM up ({@link ShardPlan#startOrder}): the
 * smaller case as an ordinary case, then again until the JVM is warm ({@link #warm}; once, in a
 * JVM the gate has warmed), the empty one (the fixed cost), the larger case, and the smaller once
 * more, each into a target of its own, with the sources booted throughout. The smaller case's work
 * is the mean of its runs just before and just after the larger one, so that load on the machine
 * weighs on both sizes alike: the least of many short runs would catch a quiet moment that the one
 * long run could not. The two sized cases are ordinary cases too: converted under the capacity,
 * judged and verified, in the table and the reports. Growth beyond the limit is measured again (the
 * larger case stopped once it has taken as long as its first run, the smaller once more after it),
 * and the gentler of the two measurements counts.
 */
final class ScalingProof {

    /** How many times the smaller case's users the larger one has. */
    static final int RATIO = 8;

    /** The smaller case's users. */
    static final int SMALL_USERS = 500;

    /** The most runs of the smaller case, its ordinary run included, that warm the JVM up before the larger case runs. */
    static final int WARM_UP_RUNS = 5;

    /** A run of the smaller case that takes less than this share of the least before it shows the JVM still warming. */
    static final double STILL_WARMING = 0.85;

    private final CaseRunner runner;
    private final GateCase empty;
    private final GateCase small;
    private final GateCase large;

    ScalingProof(CaseRunner runner, long seed) {
        this.runner = runner;
        this.empty = new GateCase("scale-0", new Profile(0, 0, 0, 0, 0, 0, seed), null, GateCase.Kind.SCALING);
        this.small = sized(SMALL_USERS, 1, seed);
        this.large = sized(SMALL_USERS * RATIO, RATIO, seed);
    }

    /** The proof's two ordinary cases, smaller first. */
    static List<GateCase> cases(long seed) {
        return List.of(sized(SMALL_USERS, 1, seed), sized(SMALL_USERS * RATIO, RATIO, seed));
    }

    /**
     * A case of the proof's shape: every user's two certificates, half of them revoked, and a
     * fiftieth as much of each kind of dirt (duplicate and orphan revocations, certificates of
     * deleted users, orphan keys), so every phase of a conversion grows with it.
     */
    private static GateCase sized(int users, int times, long seed) {
        int dirt = users / 50;
        return new GateCase("scale-" + times + "x", new Profile(users, users, dirt, dirt, dirt, dirt, seed), null, GateCase.Kind.SCALING);
    }

    /** The rows a case's source holds, as the proof counts them: users, certificates, keys and CRL rows. */
    static long rows(GateCase gateCase) {
        Profile profile = gateCase.profile();
        return profile.users() + profile.certificates() + profile.keys() + profile.crlRows();
    }

    /** The sized cases' results, smaller first, and the growth measured between them. */
    record Outcome(CaseResult small, CaseResult large, Growth growth) {
    }

    Outcome run() {
        if (!WorkMeter.supported()) {
            return new Outcome(runner.run(small), runner.run(large), unmeasured("this JVM cannot measure a thread's CPU time; "
                    + "run the gate on a JVM that can (HotSpot and OpenJ9 on Linux, macOS and Windows do), or set <scalingProof>false"));
        }
        // the sources stay booted from the first run of each to the last
        try (FileClaim smallClaim = runner.claimSource(small); Lease smallSource = runner.sourceOf(small).lease();
             FileClaim emptyClaim = runner.claimSource(empty); Lease emptySource = runner.sourceOf(empty).lease()) {
            return measure();
        }
    }

    private Outcome measure() {
        CaseResult smallResult = runner.run(small);
        if (smallResult.conversionProblem() != null) {
            return new Outcome(smallResult, runner.run(large), unmeasured("case " + small.name() + " did not convert"));
        }
        Duration before;
        Duration fixed;
        try {
            before = warm(smallResult.work());
            fixed = runner.work(empty, "fixed");
        } catch (KmsException e) {
            return new Outcome(smallResult, runner.run(large), unmeasured("the converter failed on an empty database: " + e.getMessage()));
        }
        CaseResult largeResult = runner.run(large);
        if (largeResult.conversionProblem() != null) {
            return new Outcome(smallResult, largeResult, unmeasured("case " + large.name() + " did not convert"));
        }
        Duration after = runner.work(small, "after");
        Growth.Phase fastest = fastest(smallResult.phases(), largeResult.phases());
        Growth growth = growth(fixed, mean(before, after), largeResult.work(), fastest);
        if (!growth.passed()) {
            // a verdict against the converter is measured twice, and the gentler measurement counts
            try {
                // the larger case's second run counts only if it takes less than its first: it is stopped there
                Duration secondLarge = min(largeResult.work(), runner.work(large, "second", largeResult.work()));
                Duration again = runner.work(small, "again");
                Growth second = growth(fixed, mean(after, again), secondLarge, fastest);
                growth = second.exponent() < growth.exponent() ? second : growth;
            } catch (KmsException e) {
                // the ordinary runs converted: what the first measurement found stands
            }
        }
        return new Outcome(smallResult, largeResult, growth);
    }

    /**
     * Runs the smaller case until the JVM is warm: in a cold JVM the first runs take up to three
     * times as long, while the JIT compiles the converter's and Derby's code, and so would the
     * larger case's. It is run again while a run takes less than {@link #STILL_WARMING} of the
     * least before it, {@link #WARM_UP_RUNS} times at most in all.
     *
     * @param first the work of the smaller case's ordinary run
     * @return the work of the last run, warm
     */
    private Duration warm(Duration first) {
        Duration least = first;
        Duration last = first;
        for (int run = 2; run <= WARM_UP_RUNS; run++) {
            last = runner.work(small, "warm-" + run);
            boolean warming = last.toNanos() < least.toNanos() * STILL_WARMING;
            least = min(least, last);
            if (!warming) {
                break;
            }
        }
        return last;
    }

    private Growth growth(Duration fixed, Duration smallWork, Duration largeWork, Growth.Phase fastest) {
        return new Growth(small.name(), large.name(), rows(small), rows(large), large.profile().certificates(), fixed, smallWork, largeWork,
                null, fastest);
    }

    /** The share of the larger case's work by table below which a table is too small to name. */
    static final double NAMED_SHARE = 0.1;

    /**
     * The table whose work grew fastest between the two ordinary runs, among those that grew in
     * rows and took at least {@link #NAMED_SHARE} of the larger run's work by table; null when the
     * converter wrote fewer than two tables (nothing to tell apart).
     */
    static Growth.Phase fastest(List<PhaseWork> smaller, List<PhaseWork> larger) {
        long total = larger.stream().mapToLong(PhaseWork::cpuNanos).sum();
        List<Growth.Phase> phases = new ArrayList<>();
        for (PhaseWork late : larger) {
            for (PhaseWork early : smaller) {
                if (early.table().equals(late.table()) && early.rows() > 0 && late.rows() > early.rows()
                        && late.cpuNanos() >= total * NAMED_SHARE) {
                    phases.add(new Growth.Phase(late.table(), early.rows(), late.rows(), early.cpuNanos(), late.cpuNanos()));
                }
            }
        }
        boolean phased = larger.stream().filter(phase -> phase.rows() > 0).count() >= 2;
        return phased ? phases.stream().max(Comparator.comparingDouble(Growth.Phase::exponent)).orElse(null) : null;
    }

    private Growth unmeasured(String problem) {
        return unmeasured(List.of(small, large), problem);
    }

    /** The growth of the proof on these cases (smaller first) that could not measure it, saying why. */
    static Growth unmeasured(List<GateCase> cases, String problem) {
        GateCase small = cases.get(0);
        GateCase large = cases.get(1);
        return Growth.unmeasured(small.name(), large.name(), rows(small), rows(large), large.profile().certificates(), problem);
    }

    private static Duration mean(Duration a, Duration b) {
        return a.plus(b).dividedBy(2);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
