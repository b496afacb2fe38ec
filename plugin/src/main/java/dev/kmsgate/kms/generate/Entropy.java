package dev.kmsgate.kms.generate;

import java.util.SplittableRandom;

/**
 * Seeded randomness for one entity: the same (seed, kind, index) always gives the same numbers,
 * whatever order entities are generated in, so generation can be split across threads and a
 * profile always gives the same content.
 */
final class Entropy {

    private final SplittableRandom random;

    Entropy(long seed, int kind, long index) {
        this.random = new SplittableRandom(mix(mix(seed) ^ (kind * 0x9E3779B97F4A7C15L)) ^ mix(index + 0x632BE59BD9B4E019L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    long nextLong(long bound) {
        return random.nextLong(bound);
    }

    void nextBytes(byte[] bytes) {
        random.nextBytes(bytes);
    }
}
