package dev.kmsgate.kms.generate;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.ChunkWriter;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import org.bouncycastle.asn1.x500.X500Name;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Locale;

/**
 * Builds a legacy {@code KMS50} database from a {@link Profile}: real DER certificates whose serial
 * and subject match their row, escrowed keys for encryption certificates, and a CRL with the dirt
 * real ones had. Rows are produced in blocks and inserted one at a time, so memory does not grow
 * with the profile. The tables are loaded without their keys, which are added at the end (one sort
 * per index instead of one B-tree insertion per row).
 *
 * <p>The profile is recorded in the bookkeeping table {@code KMS50.KMS_GATE_PROFILE}, written last,
 * so that a database generated from the same profile is recognised and reused, and an interrupted
 * generation is never mistaken for a complete one.
 */
public final class Generator {

    public static final String PROFILE_TABLE = "KMS_GATE_PROFILE";
    static final String CREATE_PROFILE_TABLE = "CREATE TABLE KMS50.KMS_GATE_PROFILE (PROFILE VARCHAR(1024) NOT NULL)";
    static final String INSERT_PROFILE = "INSERT INTO KMS50.KMS_GATE_PROFILE (PROFILE) VALUES (?)";
    static final String SELECT_PROFILE = "SELECT PROFILE FROM KMS50.KMS_GATE_PROFILE";

    /** RFC 5280 CRLReason codes (7 is unused). */
    private static final short[] REASONS = {0, 1, 2, 3, 4, 5, 6, 8, 9, 10};
    private static final Instant EPOCH = Instant.parse("2005-01-01T00:00:00Z");
    private static final long THREE_YEARS_MS = Duration.ofDays(3 * 365).toMillis();
    /** Rows per commit: a generated database is not under the capacity, and fewer log syncs made generation 7% faster. */
    private static final int ROWS_PER_COMMIT = 50_000;
    private static final int CERTIFICATE_BLOCK = 512;
    /** The writer's statements, by table. */
    private static final int USERS = 0;
    private static final int CERTIFICATES = 1;
    private static final int KEYS = 2;
    private static final int CRL = 3;

    /** A user row, built off the writing thread. */
    private record UserRow(int userId, String mailboxDn, String displayName, Instant enrolledAt) {
    }

    /** An escrowed key row, wrapped off the writing thread. */
    private record KeyRow(String serial, byte[] wrappedKey) {
    }

    /** What one block of certificate positions writes, in table order. */
    private record Block(List<UserRow> users, List<CertificateRow> certificates, List<KeyRow> keys) {
    }

    /** A certificate row, built off the writing thread. */
    private record CertificateRow(String serial, int userId, char usage, String subjectDn, Instant notBefore, Instant notAfter, byte[] der) {
    }

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
                return new Result(profile, true, profile.users(), profile.certificates(), profile.keys(), profile.crlRows(), Duration.ZERO);
            }
            if (!settings.overwrite()) {
                throw new KmsUsageException(Messages.format(Messages.GENERATE_TARGET_EXISTS, database.display()));
            }
            log.info("Replacing " + database.display() + " (overwrite is set).");
            Databases.drop(database, credentials);
        }
        long started = System.nanoTime();
        try (Connection connection = Databases.openOrCreate(database, credentials)) {
            try {
                Kms50Schema.create(connection);
                Sql.execute(connection, CREATE_PROFILE_TABLE);
                Sql.commit(connection, "the KMS50 schema");
                try (Writer writer = new Writer(connection, profile, new Progress(log, "generate " + database.display(),
                        profile.users() + profile.certificates() + profile.keys() + profile.crlRows(), Duration.ofSeconds(10)))) {
                    writer.writeAll();
                }
                long keysFrom = System.nanoTime();
                log.debug(String.format(Locale.ROOT, "Loaded the rows of %s in %.1f s; adding the keys.", database.display(),
                        (keysFrom - started) / 1e9));
                Kms50Schema.addKeys(connection);
                Sql.commit(connection, "the keys of the KMS50 tables");
                log.debug(String.format(Locale.ROOT, "Added the keys of %s in %.1f s.", database.display(), (System.nanoTime() - keysFrom) / 1e9));
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
        log.info(String.format(Locale.ROOT, "Generated %s: %d users, %d certificates, %d keys, %d CRL rows in %.1f s.",
                database.display(), profile.users(), profile.certificates(), profile.keys(), profile.crlRows(),
                elapsed.toMillis() / 1000.0));
        return new Result(profile, false, profile.users(), profile.certificates(), profile.keys(), profile.crlRows(), elapsed);
    }

    /** The profile a database was generated from, or null if it was not generated by us (or not completely). */
    public static String recordedProfile(DatabaseAddress database, Credentials credentials) {
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

    /** Writes the rows of one profile through one connection. */
    private final class Writer implements AutoCloseable {
        private final Profile profile;
        private final Serials serials;
        private final CertificateFactory certificates;
        private final Calendar utc = Sql.utc();
        /** The insert of each table (by {@link #USERS}, {@link #CERTIFICATES}, ...), committed every {@link #ROWS_PER_COMMIT} rows. */
        private final ChunkWriter rows;

        Writer(Connection connection, Profile profile, Progress progress) {
            this.profile = profile;
            this.serials = new Serials(profile.seed());
            this.certificates = new CertificateFactory(profile.seed());
            this.rows = new ChunkWriter(connection, ROWS_PER_COMMIT, progress, null,
                    Kms50Schema.INSERT_USER, Kms50Schema.INSERT_CERT, Kms50Schema.INSERT_KEY, Kms50Schema.INSERT_CRL);
        }

        void writeAll() throws SQLException {
            writeBlocks();
            writeOrphanKeys();
            writeCrl();
            rows.flush();
        }

        @Override
        public void close() {
            rows.close();
        }

        /**
         * Users, certificates and their keys, one block of certificate positions at a time. Every
         * core builds blocks (signs the certificates, wraps the keys); this thread writes them in
         * order. At most two blocks per core are in flight, so memory does not grow. The tables
         * have no keys yet, so writing the three tables side by side costs nothing, and the
         * users and keys are written while the next certificates are signed.
         */
        private void writeBlocks() throws SQLException {
            long total = profile.certificates();
            int threads = Runtime.getRuntime().availableProcessors();
            ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
                Thread thread = new Thread(runnable, "kms-generate-certificates");
                thread.setDaemon(true);
                return thread;
            });
            try {
                Deque<Future<Block>> inFlight = new ArrayDeque<>();
                for (long first = 1; first <= total; first += CERTIFICATE_BLOCK) {
                    long from = first;
                    long to = Math.min(total, first + CERTIFICATE_BLOCK - 1);
                    inFlight.add(pool.submit(() -> block(from, to)));
                    if (inFlight.size() >= 2 * threads) {
                        write(await(inFlight.poll()));
                    }
                }
                while (!inFlight.isEmpty()) {
                    write(await(inFlight.poll()));
                }
            } finally {
                pool.shutdownNow();
            }
        }

        /**
         * The rows of certificate positions {@code from..to}: positions 1..2U belong to users (odd:
         * signing, even: encryption with an escrowed key; user u owns 2u-1 and 2u and is written
         * with the first); the rest to deleted users (every second one with a key).
         */
        private Block block(long from, long to) {
            Block block = new Block(new ArrayList<>(), new ArrayList<>((int) (to - from + 1)), new ArrayList<>());
            long userCertificates = 2L * profile.users();
            for (long position = from; position <= to; position++) {
                if (position <= userCertificates) {
                    int user = (int) ((position + 1) / 2);
                    if (position % 2 == 1) {
                        block.users().add(user(user));
                    }
                    block.certificates().add(certificate(serials.serial(Serials.USER_CERTIFICATE, position), user, "User " + user,
                            position % 2 == 1 ? 'S' : 'E', position));
                    if (position % 2 == 0) {
                        block.keys().add(key(Serials.USER_CERTIFICATE, position));
                    }
                } else {
                    long i = position - userCertificates;
                    int deletedUser = profile.users() + 1000 + (int) i;
                    block.certificates().add(certificate(serials.serial(Serials.ORPHAN_CERTIFICATE, i), deletedUser, "Deleted User " + deletedUser,
                            i % 2 == 1 ? 'S' : 'E', -i));
                    if (i % 2 == 0) {
                        block.keys().add(key(Serials.ORPHAN_CERTIFICATE, i));
                    }
                }
            }
            return block;
        }

        private UserRow user(int user) {
            Entropy entropy = new Entropy(profile.seed(), 10, user);
            return new UserRow(user, "/o=KMS Gate/ou=Site " + site(user) + "/cn=Recipients/cn=user" + user,
                    user % 17 == 0 ? null : "User " + user, EPOCH.plusMillis(entropy.nextLong(THREE_YEARS_MS)));
        }

        private CertificateRow certificate(BigInteger serial, int user, String commonName, char usage, long index) {
            Instant notBefore = notBefore(index);
            Instant notAfter = notBefore.plus(Duration.ofDays(730));
            X500Name subject = CertificateFactory.subject(commonName, site(user));
            return new CertificateRow(Serials.hex(serial), user, usage, subject.toString(), notBefore, notAfter,
                    certificates.certificate(serial, subject, usage, notBefore, notAfter, index));
        }

        private KeyRow key(int space, long index) {
            return new KeyRow(Serials.hex(serials.serial(space, index)), certificates.wrappedKey(space, index));
        }

        private void write(Block block) throws SQLException {
            PreparedStatement users = rows.statement(USERS);
            for (UserRow user : block.users()) {
                users.setInt(1, user.userId());
                users.setString(2, user.mailboxDn());
                if (user.displayName() == null) {
                    users.setNull(3, java.sql.Types.VARCHAR);
                } else {
                    users.setString(3, user.displayName());
                }
                users.setTimestamp(4, Timestamp.from(user.enrolledAt()), utc);
                rows.add(USERS);
            }
            PreparedStatement certs = rows.statement(CERTIFICATES);
            for (CertificateRow row : block.certificates()) {
                certs.setString(1, row.serial());
                certs.setInt(2, row.userId());
                certs.setString(3, String.valueOf(row.usage()));
                certs.setString(4, CertificateFactory.ISSUER_DN);
                certs.setString(5, row.subjectDn());
                certs.setTimestamp(6, Timestamp.from(row.notBefore()), utc);
                certs.setTimestamp(7, Timestamp.from(row.notAfter()), utc);
                certs.setBytes(8, row.der());
                rows.add(CERTIFICATES);
            }
            for (KeyRow key : block.keys()) {
                writeKey(key);
            }
        }

        private void writeKey(KeyRow key) throws SQLException {
            PreparedStatement insert = rows.statement(KEYS);
            insert.setString(1, key.serial());
            insert.setBytes(2, key.wrappedKey());
            rows.add(KEYS);
        }

        /** Keys whose certificate was never issued. */
        private void writeOrphanKeys() throws SQLException {
            for (long i = 1; i <= profile.orphanKeys(); i++) {
                writeKey(key(Serials.ORPHAN_KEY, i));
            }
        }

        private void writeCrl() throws SQLException {
            long certificateCount = 2L * profile.users();
            long step = coprimeStep(certificateCount);
            for (long j = 0; j < profile.revoked(); j++) {
                long k = 1 + Math.floorMod(j * step, certificateCount);
                Entropy entropy = new Entropy(profile.seed(), 20, k);
                writeRevocation(serials.serial(Serials.USER_CERTIFICATE, k), revokedAt(k, entropy), reason(entropy));
            }
            for (long j = 0; j < profile.duplicateRevocations(); j++) {
                long k = 1 + Math.floorMod((j % profile.revoked()) * step, certificateCount);
                Instant original = revokedAt(k, new Entropy(profile.seed(), 20, k));
                Entropy entropy = new Entropy(profile.seed(), 21, j);
                Instant at = switch ((int) (j % 3)) {
                    case 0 -> original.plusMillis(1 + entropy.nextLong(Duration.ofDays(30).toMillis()));
                    case 1 -> original.minusMillis(1 + entropy.nextLong(Duration.ofDays(30).toMillis()));
                    default -> original;
                };
                writeRevocation(serials.serial(Serials.USER_CERTIFICATE, k), at, reason(entropy));
            }
            for (long i = 1; i <= profile.orphanRevocations(); i++) {
                Entropy entropy = new Entropy(profile.seed(), 22, i);
                writeRevocation(serials.serial(Serials.ORPHAN_REVOCATION, i), revokedAt(i, entropy), reason(entropy));
            }
            for (long i = 1; i <= profile.orphanCertificates(); i += 3) {
                Entropy entropy = new Entropy(profile.seed(), 23, i);
                writeRevocation(serials.serial(Serials.ORPHAN_CERTIFICATE, i), revokedAt(-i, entropy), reason(entropy));
            }
        }

        private void writeRevocation(BigInteger serial, Instant at, short reason) throws SQLException {
            PreparedStatement insert = rows.statement(CRL);
            insert.setString(1, Serials.hex(serial));
            insert.setTimestamp(2, Timestamp.from(at), utc);
            insert.setShort(3, reason);
            rows.add(CRL);
        }

        private Instant notBefore(long index) {
            return EPOCH.plusSeconds(new Entropy(profile.seed(), 11, index).nextLong(THREE_YEARS_MS / 1000));
        }

        private Instant revokedAt(long index, Entropy entropy) {
            return notBefore(index).plusMillis(Duration.ofDays(1).toMillis() + entropy.nextLong(Duration.ofDays(600).toMillis()));
        }

        private short reason(Entropy entropy) {
            return REASONS[entropy.nextInt(REASONS.length)];
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while generating certificates", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }

    private static int site(int user) {
        return user % 7 + 1;
    }

    /** A step near the golden ratio of n that is coprime with n, so j * step mod n visits every index once. */
    static long coprimeStep(long n) {
        if (n <= 1) {
            return 1;
        }
        long step = Math.max(1, (long) (n * 0.6180339887));
        while (gcd(step, n) != 1) {
            step++;
        }
        return step;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
