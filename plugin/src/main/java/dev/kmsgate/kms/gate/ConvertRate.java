package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.WorkMeter;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.ConvertSpeed;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * How fast KMS Gate's converter runs on this machine, and how its work grows, measured now: small
 * legacy databases are generated in memory and converted into others ({@link #PROFILE} until the
 * JVM is warm, an empty database for the fixed cost, {@link #LARGER}, four times as many users, and
 * {@link #PROFILE} once more), then all are dropped. What {@code kms:plan} estimates a conversion's
 * time with, instead of a figure measured once on another machine. Nothing touches the disk.
 *
 * <p>Public for maven, whose {@code kms:plan} asks for it; not an API.
 */
public final class ConvertRate {

    /** The measured database: 4,287 source rows (users, certificates, keys, CRL rows), a few dirty ones among them. */
    static final Profile PROFILE = new Profile(1_000, 200, 20, 20, 20, 10, 1L);

    /** The larger measured database, of the same shape: four times the users. */
    static final Profile LARGER = new Profile(4_000, 800, 80, 80, 80, 40, 1L);

    private static final Profile EMPTY = new Profile(0, 0, 0, 0, 0, 0, 1L);

    /** Work below this, in seconds, is measured as this. */
    private static final double FLOOR_SECONDS = 0.001;

    private ConvertRate() {
    }

    /**
     * The speed and growth of KMS Gate's converter at this capacity, on this machine, now. The growth
     * is measured in CPU time as the scaling proof measures it ({@link ScalingProof}, {@link Growth}):
     * the smaller database converted until the JVM is warm, then the empty one, the larger one and the
     * smaller once more; the smaller one's work is the mean of its runs just before and just after
     * the larger one, so that load on the machine weighs on both sizes alike, and the fixed cost
     * taken off both is the empty database's, but never more than half the smaller one's. The speed
     * is the larger database's wall time above the empty one's.
     */
    public static ConvertSpeed speed(int transactionCapacity) {
        Run least = once(transactionCapacity, PROFILE);
        Run before = least;
        for (int run = 2; run <= ScalingProof.WARM_UP_RUNS; run++) {
            before = once(transactionCapacity, PROFILE);
            boolean warming = before.cpu() < least.cpu() * ScalingProof.STILL_WARMING;
            least = before.cpu() < least.cpu() ? before : least;
            if (!warming) {
                break;
            }
        }
        Run empty = once(transactionCapacity, EMPTY);
        Run larger = once(transactionCapacity, LARGER);
        Run after = once(transactionCapacity, PROFILE);
        Growth growth = new Growth("smaller", "larger", rows(PROFILE), rows(LARGER), LARGER.certificates(), seconds(empty.cpu()),
                seconds((before.cpu() + after.cpu()) / 2), seconds(larger.cpu()), null);
        return new ConvertSpeed(rows(LARGER), Math.max(FLOOR_SECONDS, larger.wall() - empty.wall()), growth.exponent(), rows(PROFILE));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** One conversion's wall and CPU seconds ({@link WorkMeter}). */
    private record Run(double wall, double cpu) {
    }

    /** One conversion of a profile, generated in memory first. */
    private static Run once(int transactionCapacity, Profile profile) {
        String name = "kms-gate-rate-" + UUID.randomUUID();
        DatabaseAddress source = DatabaseAddress.parse("database", "jdbc:derby:memory:" + name + "-50", Path.of(""));
        DatabaseAddress target = DatabaseAddress.parse("target", "jdbc:derby:memory:" + name + "-55", Path.of(""));
        try {
            new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(source), profile, true));
            long started = System.nanoTime();
            WorkMeter meter = WorkMeter.start();
            try (meter) {
                new Converter(KmsLog.silent()).convert(ConversionSettings.of(source.as("source"), target, transactionCapacity, Strategy.CHUNKED));
            }
            return new Run((System.nanoTime() - started) / 1e9, meter.work().toNanos() / 1e9);
        } finally {
            Databases.drop(target, Credentials.NONE);
            Databases.drop(source, Credentials.NONE);
        }
    }

    /** The source rows of the measured database. */
    static long rows() {
        return rows(PROFILE);
    }

    static long rows(Profile profile) {
        return profile.users() + profile.certificates() + profile.keys() + profile.crlRows();
    }
}
