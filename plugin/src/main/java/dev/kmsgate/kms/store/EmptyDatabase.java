package dev.kmsgate.kms.store;

import dev.kmsgate.kms.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * One empty embedded database per JVM and kind, made once and copied for every new plain database.
 *
 * <p>Creating a Derby database writes and syncs its whole system catalog, then KMS Gate shuts it
 * down and boots it again: about ten times as long as copying the shut-down files of one that was
 * created before (measured in docs/performance.md). The gate creates a target per case, a source
 * per profile and one for its self-proof, so it copies instead. A copy of a cleanly shut-down
 * database is what Derby documents as an offline backup, restored by copying it back. Where the
 * gate asks for it ({@link Databases#keepEmptyDatabasesIn}), the empty databases are kept across
 * JVMs too, one per Derby version and schema, without credentials: a cold gate copies and boots
 * one instead of creating it, and sets its own credentials on its copy.
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
        Files.createDirectories(directory.getParent());
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

    /**
     * Where empty databases are kept across JVMs ({@link Databases#keepEmptyDatabasesIn}), or null:
     * each JVM then creates its own.
     */
    private static volatile Path keptIn;

    static void keepIn(Path directory) {
        keptIn = directory;
    }

    private static synchronized Path template() {
        if (template == null || !Files.isRegularFile(template.resolve("service.properties"))) {
            template = made(keptIn, Credentials.NONE, false, false);
        }
        return template;
    }

    private static synchronized Path locked() {
        if (locked == null || !Files.isRegularFile(locked.resolve("service.properties"))) {
            locked = made(keptIn, GATE, true, false);
        }
        return locked;
    }

    private static synchronized Path lockedKms55() {
        if (lockedKms55 == null || !Files.isRegularFile(lockedKms55.resolve("service.properties"))) {
            lockedKms55 = made(keptIn, GATE, true, true);
        }
        return lockedKms55;
    }

    /**
     * A new empty database (with the empty KMS55 schema, if asked) in a temporary directory, shut
     * down, removed when the JVM exits. It is a copy of the one kept in {@code kept} for this Derby
     * and schema when that one boots: creating a database is the costliest first step of a cold
     * gate, copying and booting one a fraction of it. Otherwise it is created, and a copy of it is
     * kept there for the next JVM, before any credentials are set: every JVM sets its own.
     *
     * @param kept where empty databases are kept across JVMs, or null
     */
    static Path made(Path kept, Credentials credentials, boolean requireAuthentication, boolean kms55Schema) {
        Path parent;
        try {
            parent = Files.createTempDirectory("kms-gate-empty-database");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the empty database", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Databases.deleteRecursively(parent);
            } catch (RuntimeException e) {
                // a temporary directory left behind at exit harms nothing
            }
        }, "kms-gate-empty-database"));
        Path made = parent.resolve("db");
        DatabaseAddress address = DatabaseAddress.parse("template", made.toString(), parent);
        Path keptCopy = kept == null ? null : kept.resolve(keptName(kms55Schema));
        if (keptCopy != null && copiedFrom(keptCopy, address, credentials, requireAuthentication)) {
            return made;
        }
        prepare(address, credentials, ";create=true", false, kms55Schema);
        if (keptCopy != null) {
            keep(made, keptCopy);
        }
        if (requireAuthentication) {
            prepare(address, credentials, "", true, false);
        }
        return made;
    }

    /** What the kept databases hold besides their schema: the metadata queries stored compiled. */
    private static final String COMPILED = "getTables getColumns";

    /**
     * {@code derby-10.16-empty-<hash>}, or {@code derby-10.16-kms55-<hash>}: what a kept database
     * holds, the hash of its DDL and of the queries it holds compiled.
     */
    static String keptName(boolean kms55Schema) {
        String derby = "derby-" + Databases.engineVersion();
        if (!kms55Schema) {
            return derby + "-empty-" + Sha256.hex(COMPILED).substring(0, 12);
        }
        return derby + "-kms55-" + Sha256.hex(String.join("\n", Kms55Schema.CREATE) + "\n" + COMPILED).substring(0, 12);
    }

    /**
     * Copies the kept database to the address and boots it (setting the credentials, if asked), or
     * says it could not: a kept database that cannot be copied or booted is removed, to be made again.
     */
    private static boolean copiedFrom(Path keptCopy, DatabaseAddress address, Credentials credentials, boolean requireAuthentication) {
        if (!Files.isRegularFile(keptCopy.resolve("service.properties"))) {
            return false;
        }
        Path made = address.directory().orElseThrow();
        try {
            copy(keptCopy, made);
            prepare(address, credentials, "", requireAuthentication, false);
            return true;
        } catch (IOException | RuntimeException e) {
            try {
                Databases.shutdown(address, credentials);
                Databases.deleteRecursively(made);
                Databases.deleteRecursively(keptCopy);
            } catch (RuntimeException cleanup) {
                // what is left is made again or removed at exit
            }
            return false;
        }
    }

    /**
     * Opens the database with these attributes ({@code ;create=true} to create it), sets the
     * credentials it will require and creates the KMS55 schema, as asked, then shuts it down, so
     * that its files are a clean copy.
     */
    private static void prepare(DatabaseAddress address, Credentials credentials, String attributes, boolean requireAuthentication,
                                boolean kms55Schema) {
        try (Connection connection = Databases.connect(address, credentials, attributes)) {
            if (requireAuthentication) {
                // static properties: in force from the next boot, which is every copy's first
                setProperty(connection, "derby.authentication.provider", "BUILTIN");
                setProperty(connection, "derby.user." + GATE_USER, GATE.password());
                setProperty(connection, "derby.connection.requireAuthentication", "true");
            }
            if (kms55Schema) {
                Kms55Schema.create(connection); // autocommit: each statement commits
            }
            if (attributes.contains("create=true")) {
                compileMetadataQueries(connection);
            }
        } catch (SQLException e) {
            throw new StoreException("Preparing the empty database " + address.display(), e);
        } finally {
            Databases.shutdown(address, credentials);
        }
    }

    /**
     * Runs the metadata queries that KMS Gate and converters ask of every database once, so that
     * Derby compiles them and stores them compiled in the database, and every copy finds them so.
     * Derby keeps the queries behind {@link DatabaseMetaData#getTables} and
     * {@link DatabaseMetaData#getColumns} as statements stored in each database, compiled on their
     * first use: 60 to 90 ms for the first {@code getTables} of a new database in a warm JVM, 15 to
     * 20 ms when a copy holds it compiled, and as much again for {@code getColumns}
     * (docs/performance.md, eleventh round). A source opened read-only can store nothing, and
     * compiles them anew at every boot unless it was made from a database that holds them.
     */
    private static void compileMetadataQueries(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        try (ResultSet tables = metaData.getTables(null, Kms55Schema.SCHEMA, "%", new String[] {"TABLE"})) {
            while (tables.next()) {
                // read to the end: the query runs whole
            }
        }
        try (ResultSet columns = metaData.getColumns(null, Kms55Schema.SCHEMA, "%", "%")) {
            while (columns.next()) {
                // read to the end: the query runs whole
            }
        }
    }

    /**
     * Keeps a copy of a shut-down database for the JVMs to come: copied beside, then moved into
     * place, so another JVM finds it whole or not at all. Keeping it is worth a cold gate's
     * fraction of a second, never a failure.
     */
    private static void keep(Path made, Path keptCopy) {
        Path staging = keptCopy.resolveSibling("." + keptCopy.getFileName() + ".creating-" + ProcessHandle.current().pid());
        try {
            Databases.deleteRecursively(staging);
            copy(made, staging);
            Files.move(staging, keptCopy, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Databases.deleteRecursively(staging); // another JVM kept one first, or the disk is full
            } catch (RuntimeException cleanup) {
                // removed by the next JVM that keeps one
            }
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
