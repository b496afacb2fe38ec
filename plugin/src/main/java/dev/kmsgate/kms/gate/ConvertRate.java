package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;

import java.nio.file.Path;
import java.util.UUID;

/**
 * How fast KMS Gate's converter runs on this machine, measured now: a small legacy database is
 * generated in memory and converted into another, twice (the first run warms the JVM, the second is
 * timed), then both are dropped. What {@code kms:plan} estimates a conversion's time with, instead of
 * a figure measured once on another machine. Nothing touches the disk.
 *
 * <p>Public for maven, whose {@code kms:plan} asks for it; not an API.
 */
public final class ConvertRate {

    /** The measured database: 4,287 source rows (users, certificates, keys, CRL rows), a few dirty ones among them. */
    static final Profile PROFILE = new Profile(1_000, 200, 20, 20, 20, 10, 1L);

    private ConvertRate() {
    }

    /** Source rows per second of a conversion at this capacity, on this machine, now. */
    public static double measure(int transactionCapacity) {
        double rate = 0;
        for (int run = 0; run < 2; run++) {
            rate = once(transactionCapacity);
        }
        return rate;
    }

    private static double once(int transactionCapacity) {
        String name = "kms-gate-rate-" + UUID.randomUUID();
        DatabaseAddress source = DatabaseAddress.parse("database", "jdbc:derby:memory:" + name + "-50", Path.of(""));
        DatabaseAddress target = DatabaseAddress.parse("target", "jdbc:derby:memory:" + name + "-55", Path.of(""));
        try {
            new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(source), PROFILE, true));
            long started = System.nanoTime();
            new Converter(KmsLog.silent()).convert(ConversionSettings.of(source.as("source"), target, transactionCapacity, Strategy.CHUNKED));
            double seconds = (System.nanoTime() - started) / 1e9;
            return rows() / seconds;
        } finally {
            Databases.drop(target, Credentials.NONE);
            Databases.drop(source, Credentials.NONE);
        }
    }

    /** The source rows of the measured database. */
    static long rows() {
        return PROFILE.users() + PROFILE.certificates() + PROFILE.keys() + PROFILE.crlRows();
    }
}
