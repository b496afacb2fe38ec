package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One share of the gate's work, {@code K/N}: shard K of N runs the cases assigned to it, and
 * N shards together run every case, the resume trials and the self-proof exactly once.
 *
 * <p>The assignment depends only on the gate's configuration (the cases and their sizes), never on
 * the machine, so N agents that each run one shard agree on it without talking to each other.
 * Units are taken largest first, each to the shard with the least work so far (the lowest number
 * on a tie): the classic longest-processing-time rule, which keeps the slowest shard within a third
 * of the ideal split.
 *
 * <p>Public for fork, whose job runs one, and report, which names it; not an API.
 *
 * @param index K, from 1
 * @param count N, at least 1
 */
public record Shard(int index, int count) {

    /** The whole gate, unsharded. */
    public static final Shard ALL = new Shard(1, 1);

    private static final Pattern K_OF_N = Pattern.compile("\\s*(\\d{1,4})\\s*/\\s*(\\d{1,4})\\s*");

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new KmsUsageException(Messages.format(Messages.SHARD_INVALID, index + "/" + count));
        }
    }

    /** {@code K/N} as a user writes it; null or blank is the whole gate. */
    public static Shard parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        Matcher k = K_OF_N.matcher(text);
        if (!k.matches()) {
            throw new KmsUsageException(Messages.format(Messages.SHARD_INVALID, text.strip()));
        }
        int index = Integer.parseInt(k.group(1));
        int count = Integer.parseInt(k.group(2));
        if (count < 1 || index < 1 || index > count) {
            throw new KmsUsageException(Messages.format(Messages.SHARD_INVALID, text.strip()));
        }
        return new Shard(index, count);
    }

    /** Whether this is the whole gate. */
    public boolean all() {
        return count == 1;
    }

    /** {@code shard 2 of 3}. */
    public String label() {
        return String.format(Locale.ROOT, "shard %d of %d", index, count);
    }

    /** What a shard's own report files add to their names: empty for the whole gate, else {@code -shard-2-of-3}. */
    public String fileSuffix() {
        return all() ? "" : String.format(Locale.ROOT, "-shard-%d-of-%d", index, count);
    }

    /**
     * The shard (1 to {@code count}) of each unit of work, by the longest-processing-time rule.
     *
     * @param weights each unit's estimated work (rows to convert and verify), in a fixed order
     */
    static int[] assign(long[] weights, int count) {
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // heaviest first; equal weights in their given order, so the result never depends on the sort
        Arrays.sort(order, (a, b) -> weights[a] != weights[b] ? Long.compare(weights[b], weights[a]) : Integer.compare(a, b));
        long[] load = new long[count];
        int[] shardOf = new int[weights.length];
        for (int unit : order) {
            int least = 0;
            for (int s = 1; s < count; s++) {
                if (load[s] < load[least]) {
                    least = s;
                }
            }
            load[least] += weights[unit];
            shardOf[unit] = least + 1;
        }
        return shardOf;
    }
}
