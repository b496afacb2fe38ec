package dev.kmsgate.kms.generate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

/**
 * Builds a legacy {@code KMS50} database from a {@link Profile}: real DER certificates whose serial
 * and subject match their row, escrowed keys for encryption certificates, and a CRL with the dirt
 * real ones had ({@link ProfileRows}). Rows are produced in blocks and inserted one at a time
 * ({@link ProfileWriter}), so memory does not grow with the profile. The tables are loaded without
 * their keys, which are added at the end (one sort per index instead of one B-tree insertion per
 * row). Every timestamp is a UTC wall-clock time.
 *
 * <p>Every certificate is issued by one generated CA, whose certificate is kept beside a directory
 * database ({@link CaFile}): its subject is every row's {@code ISSUER_DN}.
 *
 * <p>The profile is recorded in the bookkeeping table {@code KMS50.KMS_GATE_PROFILE}, written last,
 * so that a database generated from the same profile is recognised and reused, and an interrupted
 * generation is never mistaken for a complete one.
 *
 * <p>Public for gate, which generates its cases' sources, and maven, whose generate goal runs it;
 * not an API.
 */
public final class Generator {

    static final String PROFILE_TABLE = "KMS_GATE_PROFILE";
    static final String CREATE_PROFILE_TABLE = "CREATE TABLE KMS50.KMS_GATE_PROFILE (PROFILE VARCHAR(1024) NOT NULL)";
    static final String INSERT_PROFILE = "INSERT INTO KMS50.KMS_GATE_PROFILE (PROFILE) VALUES (?)";
    static final String SELECT_PROFILE = "SELECT PROFILE FROM KMS50.KMS_GATE_PROFILE";

    /** Where to generate what. */
    public record Settings(Database database, Profile profile, boolean overwrite) {
    }

    /** What was generated, or that an identical database was reused. */
    public record Result(Profile profile, boolean reused, long users, long certificates, long keys, long crlRows, Duration elapsed) {
    }

    private final KmsLog log;

    public Generator(KmsLog log) {
        this.log = log;
    }

    /**
     * Whether the database already holds exactly this profile, as {@link #generate} would reuse it,
     * without writing its CA file again: building the CA of a seed costs a cold JVM about 0.2 s of
     * BouncyCastle, which a gate reusing its kept sources has no use for.
     */
    public static boolean holds(Database database, Profile profile) {
        try (Lease lease = database.lease()) {
            return Databases.exists(database.address(), database.credentials())
                    && profile.key().equals(recordedProfile(database.address(), database.credentials()));
        }
    }

    /** Generates the database, or reuses it if it already holds exactly this profile. */
    public Result generate(Settings settings) {
        try (Lease lease = settings.database().lease()) {
            return generateLeased(settings);
        }
    }

    private Result generateLeased(Settings settings) {
        DatabaseAddress database = settings.database().address();
        Credentials credentials = settings.database().credentials();
        Profile profile = settings.profile();
        if (database.isReadOnly()) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_IS_READ_ONLY_ARCHIVE, database.display()).replace("<target>", "<database>"));
        }
        if (Databases.exists(database, credentials)) {
            String existing = recordedProfile(database, credentials);
            if (profile.key().equals(existing)) {
                log.info("Database " + database.display() + " already holds profile [" + profile + "]; reusing it.");
                CaFile.write(database, new CertificateFactory(profile.seed()));
                return new Result(profile, true, profile.users(), profile.certificates(), profile.keys(), profile.crlRows(), Duration.ZERO);
            }
            boolean olderGenerator = isOlderGeneration(existing, profile.key());
            if (!settings.overwrite() && !olderGenerator) {
                throw new KmsUsageException(existing == null
                        ? Messages.format(Messages.GENERATE_TARGET_EXISTS, database.display())
                        : Messages.format(Messages.GENERATE_OTHER_PROFILE, database.display(), existing, profile.key()));
            }
            log.info(olderGenerator
                    ? "Replacing " + database.display() + ": it holds the same profile, generated by an earlier KMS Gate with other data ("
                            + generation(existing) + ", now " + generation(profile.key()) + ")."
                    : "Replacing " + database.display() + " (overwrite is set).");
            Databases.drop(database, credentials);
        }
        long started = System.nanoTime();
        log.info(String.format(Locale.ROOT, "Generating %s from profile [%s]: %,d certificates to sign.", database.display(),
                profile, profile.certificates()));
        CertificateFactory certificates = new CertificateFactory(profile.seed());
        try (Connection connection = Databases.openOrCreate(database, credentials)) {
            try {
                Kms50Schema.create(connection);
                Sql.execute(connection, CREATE_PROFILE_TABLE);
                Sql.commit(connection, "the KMS50 schema");
                try (ProfileWriter writer = new ProfileWriter(connection, profile, certificates, new Progress(log, "generate " + database.display(),
                        profile.users() + profile.certificates() + profile.keys() + profile.crlRows(), Parameters.DEFAULT_PROGRESS_INTERVAL))) {
                    writer.writeAll();
                }
                long keysFrom = System.nanoTime();
                log.debug(String.format(Locale.ROOT, "Loaded the rows of %s in %.1f s; adding the keys.", database.display(),
                        (keysFrom - started) / 1e9));
                Kms50Schema.addKeys(connection);
                Sql.commit(connection, "the keys of the KMS50 tables");
                log.debug(String.format(Locale.ROOT, "Added the keys of %s in %.1f s.", database.display(), (System.nanoTime() - keysFrom) / 1e9));
                CaFile.write(database, certificates);
                Sql.update(connection, INSERT_PROFILE, profile.key());
                Sql.commit(connection, "the profile record");
            } catch (SQLException | RuntimeException e) {
                Sql.rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            // a half-built database would only be mistaken for a real one later: remove what we created
            try {
                Databases.drop(database, credentials);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof SQLException sql) {
                throw new StoreException("Generating " + database.display(), sql);
            }
            throw (RuntimeException) e;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        log.info(String.format(Locale.ROOT, "Generated %s: %,d users, %,d certificates, %,d keys, %,d CRL rows in %.1f s.",
                database.display(), profile.users(), profile.certificates(), profile.keys(), profile.crlRows(),
                elapsed.toMillis() / 1000.0));
        return new Result(profile, false, profile.users(), profile.certificates(), profile.keys(), profile.crlRows(), elapsed);
    }

    /** The profile a database was generated from, or null if it was not generated by us (or not completely). */
    /**
     * Whether a recorded profile key is this one as an earlier KMS Gate generated it: the same counts
     * and seed, another generation ({@code v2;...} against {@code v3;...}). Such a database was made
     * by KMS Gate from the same configuration, so it is replaced without {@code overwrite}.
     */
    static boolean isOlderGeneration(String recorded, String key) {
        if (recorded == null || !recorded.matches("v\\d+;.*")) {
            return false;
        }
        String counts = key.substring(key.indexOf(';'));
        return recorded.substring(recorded.indexOf(';')).equals(counts) && !generation(recorded).equals(generation(key));
    }

    /** {@code v3} of {@code v3;users=...}. */
    private static String generation(String key) {
        return key.substring(0, key.indexOf(';'));
    }

    static String recordedProfile(DatabaseAddress database, Credentials credentials) {
        try (Connection connection = Databases.openReadOnly(database, credentials)) {
            if (!Schemas.tables(connection, Kms50Schema.SCHEMA).contains(PROFILE_TABLE)) {
                connection.rollback(); // end the metadata read, or Derby refuses to close (25001)
                return null;
            }
            String profile = Sql.queryString(connection, SELECT_PROFILE);
            connection.rollback();
            return profile;
        } catch (SQLException e) {
            throw new StoreException("Reading the profile of " + database.display(), e);
        }
    }
}
