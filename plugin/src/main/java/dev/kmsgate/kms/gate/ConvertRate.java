package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.KmsLog;
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
import java.util.UUID;

/**
 * How fast KMS Gate's converter runs on this machine, and how its work grows, measured now: small
 * legacy databases are generated in memory and converted into others (first a warm-up run, then an
 * empty database for the fixed cost, then {@link #PROFILE} and {@link #LARGER}, four times as many
 * users), then all are dropped. What {@code kms:plan} estimates a conversion's time with, instead of
 * a figure measured once on another machine. Nothing touches the disk.
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

    /** The speed and growth of KMS Gate's converter at this capacity, on this machine, now. */
    public static ConvertSpeed speed(int transactionCapacity) {
        once(transactionCapacity, PROFILE);
        double fixed = once(transactionCapacity, EMPTY);
        double smaller = Math.max(FLOOR_SECONDS, once(transactionCapacity, PROFILE) - fixed);
        double larger = Math.max(FLOOR_SECONDS, once(transactionCapacity, LARGER) - fixed);
        double exponent = Math.log(larger / smaller) / Math.log((double) rows(LARGER) / rows(PROFILE));
        return new ConvertSpeed(rows(LARGER), larger, exponent, rows(PROFILE));
    }

    /** The seconds one conversion of a profile takes, generated in memory first. */
    private static double once(int transactionCapacity, Profile profile) {
        String name = "kms-gate-rate-" + UUID.randomUUID();
        DatabaseAddress source = DatabaseAddress.parse("database", "jdbc:derby:memory:" + name + "-50", Path.of(""));
        DatabaseAddress target = DatabaseAddress.parse("target", "jdbc:derby:memory:" + name + "-55", Path.of(""));
        try {
            new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(source), profile, true));
            long started = System.nanoTime();
            new Converter(KmsLog.silent()).convert(ConversionSettings.of(source.as("source"), target, transactionCapacity, Strategy.CHUNKED));
            return (System.nanoTime() - started) / 1e9;
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
