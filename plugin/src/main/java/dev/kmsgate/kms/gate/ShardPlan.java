package dev.kmsgate.kms.gate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one shard of the gate runs, and in which order it starts it. The units are the cases, the
 * self-proof, and the resume trials, which go with the case they interrupt (they need its
 * uninterrupted run). The cases that the trials interrupt (the largest boundary case and the dirty
 * one) form one unit with their trials, so that one shard runs every trial and writes their one
 * test suite. A unit's weight is the rows its databases hold: a generated case's from its profile;
 * a case of an existing database, whose size is unknown until it is opened, counts as heavy as the
 * heaviest generated case; the self-proof as two conversions of its case (it is converted once and
 * verified twice); the trials as one more run of their case each; the scaling proof as its runs.
 */
final class ShardPlan {

    /** The self-proof's unit in {@link #heaviestFirst()}; cases are their index in {@link #cases()}. */
    static final int PROOF = -1;

    /** The scaling proof's unit in {@link #heaviestFirst()}. */
    static final int SCALING = -2;

    private final List<GateCase> cases;
    private final int allCases;
    private final boolean proves;
    private final boolean trials;
    private final boolean scales;
    private final List<Integer> heaviestFirst;

    private ShardPlan(List<GateCase> cases, int allCases, boolean proves, boolean trials, boolean scales, List<Integer> heaviestFirst) {
        this.cases = List.copyOf(cases);
        this.allCases = allCases;
        this.proves = proves;
        this.trials = trials;
        this.scales = scales;
        this.heaviestFirst = List.copyOf(heaviestFirst);
    }

    /**
     * @param everyCase the gate's cases, in its order
     * @param trialCases the cases the resume trials interrupt, empty when there are none
     * @param scalingCases the scaling proof's cases, smaller first, or empty when it is off
     */
    static ShardPlan of(Shard shard, List<GateCase> everyCase, GateCase proofCase, List<GateCase> trialCases, int resumeTrials,
                        List<GateCase> scalingCases) {
        long heaviest = everyCase.stream().filter(c -> c.profile() != null).mapToLong(ShardPlan::rows).max().orElse(1);
        boolean scaling = !scalingCases.isEmpty();
        int units = everyCase.size() + (scaling ? 2 : 1);
        int scalingUnit = everyCase.size() + 1;
        long[] weights = new long[units];
        for (int i = 0; i < everyCase.size(); i++) {
            GateCase gateCase = everyCase.get(i);
            weights[i] = gateCase.profile() != null ? rows(gateCase) : heaviest;
            if (trialCases.contains(gateCase)) {
                weights[i] *= 1 + resumeTrials;
            }
        }
        weights[everyCase.size()] = 2 * rows(proofCase);
        if (scaling) {
            // at least three runs of the smaller case and one of the empty one (which pays the fixed cost), then the larger
            weights[scalingUnit] = 4 * rows(scalingCases.get(0)) + rows(scalingCases.get(1));
        }
        // the trial cases are assigned as one unit: the first carries the weight of all, the others follow it
        long[] assigned = weights.clone();
        int lead = -1;
        for (int i = 0; i < everyCase.size(); i++) {
            if (trialCases.contains(everyCase.get(i))) {
                if (lead < 0) {
                    lead = i;
                } else {
                    assigned[lead] += assigned[i];
                    assigned[i] = 0;
                }
            }
        }
        int[] shardOf = Shard.assign(assigned, shard.count());
        for (int i = 0; i < everyCase.size(); i++) {
            if (lead >= 0 && trialCases.contains(everyCase.get(i))) {
                shardOf[i] = shardOf[lead];
            }
        }
        List<GateCase> mine = new ArrayList<>();
        List<Integer> own = new ArrayList<>();
        for (int i = 0; i < everyCase.size(); i++) {
            if (shardOf[i] == shard.index()) {
                own.add(i);
                mine.add(everyCase.get(i));
            }
        }
        boolean proves = shardOf[everyCase.size()] == shard.index();
        boolean scales = scaling && shardOf[scalingUnit] == shard.index();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) {
            order.add(i);
        }
        if (proves) {
            order.add(PROOF);
        }
        if (scales) {
            order.add(SCALING);
        }
        // the heaviest start first, so that the longest unit never starts last; ties keep the gate's order
        order.sort(Comparator.comparingLong((Integer unit) -> weights[unit == PROOF ? everyCase.size() : unit == SCALING ? scalingUnit
                : own.get(unit)]).reversed());
        return new ShardPlan(mine, everyCase.size(), proves, mine.stream().anyMatch(trialCases::contains), scales, order);
    }

    private static long rows(GateCase gateCase) {
        CaseSize size = CaseSize.of(gateCase.profile());
        return Math.max(1, size.users() + size.certificates() + size.revocations());
    }

    /** This shard's cases, in the gate's order. */
    List<GateCase> cases() {
        return cases;
    }

    /** How many cases the whole gate has. */
    int allCases() {
        return allCases;
    }

    /** Whether this shard runs the self-proof. */
    boolean proves() {
        return proves;
    }

    /** Whether this shard runs the scaling proof. */
    boolean scales() {
        return scales;
    }

    /** Whether this shard runs the resume trials. */
    boolean trials() {
        return trials;
    }

    /** The units to start, heaviest first. */
    List<Integer> heaviestFirst() {
        return heaviestFirst;
    }

    /**
     * The order the units start in: heaviest first, except the scaling proof, which starts once the
     * first {@code threads} units have (or last, when there are fewer). Those run while the JVM is
     * cold, and the JIT compiles Derby's and the converter's code meanwhile; started cold, the proof
     * ran its smaller case three and four times over before a run stopped getting faster (2.9 s of
     * CPU time for the proof at capacity 1,000, against 1.7 s started third).
     */
    static List<Integer> startOrder(List<Integer> heaviestFirst, int threads) {
        List<Integer> order = new ArrayList<>(heaviestFirst);
        if (order.remove(Integer.valueOf(SCALING))) {
            order.add(Math.min(threads, order.size()), SCALING);
        }
        return order;
    }
}
