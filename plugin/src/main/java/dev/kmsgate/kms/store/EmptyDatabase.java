package dev.kmsgate.kms.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * One empty embedded database per JVM, created once and copied for every new plain database.
 *
 * <p>Creating a Derby database writes and syncs its whole system catalog, then KMS Gate shuts it
 * down and boots it again: about ten times as long as copying the shut-down files of one that was
 * created before (measured in docs/performance.md). The gate creates a target per case, a source
 * per profile and one for its self-proof, so it copies instead. A copy of a cleanly shut-down
 * database is what Derby documents as an offline backup, restored by copying it back.
 *
 * <p>Only databases that need nothing at creation are copied: no boot password (an encrypted
 * database is created with its own key), no user (the creating user becomes the database owner)
 * and no attributes in the URL (a territory or collation is fixed at creation).
 */
final class EmptyDatabase {

    /** Derby's default schema is the user's name: {@code APP}, as for a connection without a user. */
    private static final String GATE_USER = "APP";

    /**
     * The credentials of the gate's own targets, new for every JVM and never written anywhere but
     * (hashed by Derby) into those targets. Such a target accepts no connection without them.
     */
    static final Credentials GATE = new Credentials(GATE_USER, randomPassword(), null, "the gate (its own targets)");

    /**
     * The same credentials, for a gate target that KMS Gate's own converter writes: its copy already
     * holds the empty KMS55 schema as {@link Kms55Schema#create} makes it, so no conversion pays for
     * that DDL (a few dozen statements Derby compiles anew in every database) again.
     */
    static final Credentials GATE_KMS55 = new Credentials(GATE_USER, GATE.password(), null, "the gate (its own targets, the KMS55 schema in place)");

    private static Path template;
    private static Path locked;
    private static Path lockedKms55;

    private EmptyDatabase() {
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Whether a new database at the address can be a copy: a plain one (no user, password or boot
     * password), or one of the gate's targets ({@link #GATE}); a directory without URL attributes.
     */
    static boolean serves(DatabaseAddress address, Credentials credentials) {
        boolean plain = credentials.user() == null && credentials.password() == null && credentials.bootPassword() == null;
        return address.kind() == DatabaseAddress.Kind.DIRECTORY && (plain || isGate(credentials)) && address.url("").indexOf(';') < 0;
    }

    /** Whether these are the credentials of the gate's own targets, with or without the schema in place. */
    static boolean isGate(Credentials credentials) {
        return credentials == GATE || credentials == GATE_KMS55;
    }

    /**
     * Copies the empty database these credentials open into {@code directory}, which must not
     * exist: for {@link #GATE}, one that requires them of every connection, so that code under
     * test cannot write to it around the capacity guard with a driver and a URL of its own; for
     * {@link #GATE_KMS55}, the same holding the empty KMS55 schema.
     */
    static void copyTo(Path directory, Credentials credentials) throws IOException {
        copy(credentials == GATE_KMS55 ? lockedKms55() : credentials == GATE ? locked() : template(), directory);
    }

    private static void copy(Path from, Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = directory.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
    }

    private static synchronized Path template() {
        if (template == null || !Files.isRegularFile(template.resolve("service.properties"))) {
            template = created(Credentials.NONE, false, false);
        }
        return template;
    }

    private static synchronized Path locked() {
        if (locked == null || !Files.isRegularFile(locked.resolve("service.properties"))) {
            locked = created(GATE, true, false);
        }
        return locked;
    }

    private static synchronized Path lockedKms55() {
        if (lockedKms55 == null || !Files.isRegularFile(lockedKms55.resolve("service.properties"))) {
            lockedKms55 = created(GATE, true, true);
        }
        return lockedKms55;
    }

    /** A new empty database (with the empty KMS55 schema, if asked) in a temporary directory, shut down, removed when the JVM exits. */
    private static Path created(Credentials credentials, boolean requireAuthentication, boolean kms55Schema) {
        try {
            Path parent = Files.createTempDirectory("kms-gate-empty-database");
            Path created = parent.resolve("db");
            DatabaseAddress address = DatabaseAddress.parse("template", created.toString(), parent);
            try (Connection connection = Databases.connect(address, credentials, ";create=true")) {
                if (requireAuthentication) {
                    // static properties: in force from the next boot, which is every copy's first
                    setProperty(connection, "derby.authentication.provider", "BUILTIN");
                    setProperty(connection, "derby.user." + GATE_USER, GATE.password());
                    setProperty(connection, "derby.connection.requireAuthentication", "true");
                }
                if (kms55Schema) {
                    Kms55Schema.create(connection); // autocommit: each statement commits
                }
                // shut down below, so that its files are a clean copy
            } catch (SQLException e) {
                throw new StoreException("Creating the empty database " + created, e);
            } finally {
                Databases.shutdown(address, credentials);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Databases.deleteRecursively(parent);
                } catch (RuntimeException e) {
                    // a temporary directory left behind at exit harms nothing
                }
            }, "kms-gate-empty-database"));
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the empty database", e);
        }
    }

    private static void setProperty(Connection connection, String key, String value) throws SQLException {
        try (PreparedStatement call = connection.prepareStatement("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
            call.setString(1, key);
            call.setString(2, value);
            call.execute();
        }
    }
}
