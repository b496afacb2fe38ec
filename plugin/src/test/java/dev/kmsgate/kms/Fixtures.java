package dev.kmsgate.kms;

import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/** Shared set-up for core tests: real embedded Derby databases in a temporary directory. */
public final class Fixtures {

    /** A small profile with every kind of dirt. */
    public static final Profile DIRTY = new Profile(40, 25, 12, 6, 9, 4, 7L);

    private Fixtures() {
    }

    public static DatabaseAddress address(Path dir, String name) {
        return DatabaseAddress.parse(name, dir.resolve(name).toString(), dir);
    }

    public static DatabaseAddress source(Path dir) {
        return DatabaseAddress.parse("source", dir.resolve("kms50").toString(), dir);
    }

    public static DatabaseAddress target(Path dir) {
        return DatabaseAddress.parse("target", dir.resolve("kms55").toString(), dir);
    }

    public static DatabaseAddress generate(Path dir, Profile profile) {
        DatabaseAddress source = source(dir);
        new Generator(KmsLog.silent()).generate(new Generator.Settings(
                Database.of(source.as("database")), profile, false));
        return source;
    }

    public static ConversionResult convert(DatabaseAddress source, DatabaseAddress target, int capacity, Strategy strategy) {
        return new Converter(KmsLog.silent()).convert(ConversionSettings.of(source, target, capacity, strategy));
    }

    public static VerificationReport verify(DatabaseAddress source, DatabaseAddress target) {
        return new Verifier(KmsLog.silent()).verify(Verifier.Settings.of(source, target));
    }

    /** Verifies the data invariants alone, as for a target another converter wrote (no conversion record required). */
    public static VerificationReport verifyData(DatabaseAddress source, DatabaseAddress target) {
        return new Verifier(KmsLog.silent()).verify(new Verifier.Settings(Database.of(source), Database.of(target),
                Parameters.DEFAULT_MISMATCH_LIMIT, false));
    }

    /** A log that records every info and warning line, in order (thread-safe: the gate logs from its case threads). */
    public static KmsLog logTo(List<String> lines) {
        return new KmsLog() {
            @Override public synchronized void info(String message) { lines.add(message); }
            @Override public synchronized void warn(String message) { lines.add(message); }
            @Override public void debug(String message) { }
        };
    }

    /** A log that records every line of every level, debug included, in order, each with its level as Maven prints it. */
    public static KmsLog levelledLogTo(List<String> lines) {
        return new KmsLog() {
            @Override public synchronized void info(String message) { lines.add("[INFO] " + message); }
            @Override public synchronized void warn(String message) { lines.add("[WARNING] " + message); }
            @Override public synchronized void debug(String message) { lines.add("[DEBUG] " + message); }
        };
    }

    /** Opens a plain writable connection (autocommit off) to tamper with a database in a test. */
    public static Connection open(DatabaseAddress address) {
        return Databases.openExisting(address, Credentials.NONE);
    }

    public static void shutdown(DatabaseAddress... addresses) {
        for (DatabaseAddress address : addresses) {
            Databases.shutdown(address, Credentials.NONE);
        }
    }
}
