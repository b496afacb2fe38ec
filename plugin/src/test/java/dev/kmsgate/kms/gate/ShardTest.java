package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.generate.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -Dkms.shard=K/N}: what a user may write, and how the work is split. */
class ShardTest {

    @Test
    void kOfNIsParsedAndNamed() {
        Shard shard = Shard.parse(" 2 / 3 ");
        assertEquals(new Shard(2, 3), shard);
        assertEquals("shard 2 of 3", shard.label());
        assertEquals("-shard-2-of-3", shard.fileSuffix());
        assertFalse(shard.all());
    }

    @Test
    void unsetOrOneOfOneIsTheWholeGate() {
        assertEquals(Shard.ALL, Shard.parse(null));
        assertEquals(Shard.ALL, Shard.parse(""));
        assertEquals(Shard.ALL, Shard.parse("1/1"));
        assertTrue(Shard.ALL.all());
        assertEquals("", Shard.ALL.fileSuffix());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/3", "4/3", "3", "2of3", "-1/3", "1/0", "a/b", "1/2/3"})
    void anythingButKOfNIsRefusedNamingTheValueAndTheFix(String text) {
        KmsUsageException e = assertThrows(KmsUsageException.class, () -> Shard.parse(text));
        assertEquals("<shard> is '" + text + "', but must be K/N with 1 <= K <= N, e.g. 2/3 for the second of three shares of "
                + "the cases. Run every K from 1 to N, one per CI agent: together they run the whole gate.", e.getMessage());
        assertEquals(Messages.format(Messages.SHARD_INVALID, text), e.getMessage());
    }

    @Test
    void theHeaviestGoFirstEachToTheLeastLoadedShard() {
        // 10 and 9 open the two shards, then 5 joins 9 (14 against 10), 4 joins 10, 1 joins 14
        assertArrayEquals(new int[] {1, 2, 2, 1, 1}, Shard.assign(new long[] {10, 9, 5, 4, 1}, 2));
        assertArrayEquals(new int[] {1, 1, 1}, Shard.assign(new long[] {3, 2, 1}, 1));
        // equal weights: in their order, round the shards
        assertArrayEquals(new int[] {1, 2, 3, 1}, Shard.assign(new long[] {7, 7, 7, 7}, 3));
        // more shards than units: the last shards get none
        assertArrayEquals(new int[] {1, 2}, Shard.assign(new long[] {5, 5}, 4));
    }

    /** Every unit of the real gate is run by exactly one shard of N, for every N, and the trials go with their case. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 9, 12})
    void everyCaseTheSelfProofTheScalingProofAndTheTrialsRunInExactlyOneShard(int count) {
        List<GateCase> cases = new ArrayList<>(GateCase.boundaryCases(1000, 10, 1));
        cases.add(new GateCase("mine", new Profile(300, 40, 0, 0, 0, 0, 1)));
        GateCase proof = cases.get(4);
        List<GateCase> trialCases = List.of(cases.get(6), cases.get(7));
        List<GateCase> union = new ArrayList<>();
        int proving = 0;
        int scaling = 0;
        int withTrials = 0;
        for (int k = 1; k <= count; k++) {
            ShardPlan plan = ShardPlan.of(new Shard(k, count), cases, proof, trialCases, 3, ScalingProof.cases(1));
            scaling += plan.scales() ? 1 : 0;
            assertEquals(cases.size(), plan.allCases());
            union.addAll(plan.cases());
            proving += plan.proves() ? 1 : 0;
            if (plan.trials()) {
                withTrials++;
                assertTrue(plan.cases().containsAll(trialCases), "the trials run where their cases run, both in one shard");
            } else {
                assertTrue(plan.cases().stream().noneMatch(trialCases::contains), "a shard without trials runs none of their cases");
            }
            assertEquals(plan.cases().size() + (plan.proves() ? 1 : 0) + (plan.scales() ? 1 : 0), plan.heaviestFirst().size());
            assertEquals(plan.scales(), plan.heaviestFirst().contains(ShardPlan.SCALING));
        }
        union.sort((a, b) -> Integer.compare(cases.indexOf(a), cases.indexOf(b)));
        assertEquals(cases, union);
        assertEquals(1, proving);
        assertEquals(1, scaling, "the scaling proof runs in exactly one shard");
        assertEquals(1, withTrials);
    }

    @Test
    void theTrialCasesWithTheirTrialsHaveAShardOfTheirOwnAndTheHeaviestStartsFirst() {
        List<GateCase> cases = GateCase.boundaryCases(1000, 10, 1);
        List<GateCase> trialCases = List.of(cases.get(6), cases.get(7));
        ShardPlan first = ShardPlan.of(new Shard(1, 2), cases, cases.get(4), trialCases, 3, List.of());
        ShardPlan second = ShardPlan.of(new Shard(2, 2), cases, cases.get(4), trialCases, 3, List.of());
        assertEquals(List.of("10C", "dirty"), first.cases().stream().map(GateCase::name).toList());
        assertTrue(first.trials());
        assertEquals(List.of("0", "1", "C-1", "C", "C+1", "2C+1"), second.cases().stream().map(GateCase::name).toList());
        assertTrue(second.proves());
        assertFalse(second.trials());
        // in shard 2, the self-proof (two runs of C+1) and 2C+1 start before the small cases
        assertEquals(List.of(ShardPlan.PROOF, 5, 4, 3, 2, 1, 0), second.heaviestFirst());
        assertEquals(Arrays.asList(0, 1), first.heaviestFirst());
    }

    @Test
    void theScalingProofStartsOnceAsManyUnitsAsThreadsHaveStarted() {
        int scaling = ShardPlan.SCALING;
        int proof = ShardPlan.PROOF;
        // at capacity 37 the proof is the heaviest unit; it starts third on two threads, second on one
        assertEquals(List.of(6, proof, scaling, 5, 0), ShardPlan.startOrder(List.of(scaling, 6, proof, 5, 0), 2));
        assertEquals(List.of(6, scaling, proof, 5, 0), ShardPlan.startOrder(List.of(scaling, 6, proof, 5, 0), 1));
        // fewer units than threads: it starts last; alone, it starts at once
        assertEquals(List.of(6, scaling), ShardPlan.startOrder(List.of(scaling, 6), 4));
        assertEquals(List.of(scaling), ShardPlan.startOrder(List.of(scaling), 2));
        // without the proof the order is the plan's
        assertEquals(List.of(6, proof, 5), ShardPlan.startOrder(List.of(6, proof, 5), 2));
    }

    @Test
    void theAssignmentDependsOnTheConfigurationOnly() {
        List<GateCase> cases = GateCase.boundaryCases(37, 10, 5);
        for (int k = 1; k <= 3; k++) {
            ShardPlan once = ShardPlan.of(new Shard(k, 3), cases, cases.get(4), List.of(cases.get(6), cases.get(7)), 3, List.of());
            ShardPlan again = ShardPlan.of(new Shard(k, 3), List.copyOf(cases), cases.get(4), List.of(cases.get(6), cases.get(7)), 3, List.of());
            assertEquals(once.cases(), again.cases());
            assertEquals(once.heaviestFirst(), again.heaviestFirst());
        }
    }
}
