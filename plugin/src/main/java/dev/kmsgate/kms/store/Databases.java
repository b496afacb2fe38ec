package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Opens, creates, shuts down and drops databases. Plain JDBC: the drivers are found with
 * {@link ServiceLoader} in this class's own class loader (a Maven plugin's class realm is invisible
 * to {@code DriverManager}), and every engine-specific failure is translated into a sentence that
 * says what to do.
 *
 * <p>Public for every package that opens, creates or drops a database; not an API.
 */
public final class Databases {

    /**
     * Derby writes its log synchronously, one buffer at a time; on this kind of disk a 1 MB buffer
     * costs about as much per write as the default 32 KB one, so it makes durable commits of large
     * conversions many times cheaper. Applied only if the user has not set it, before any database
     * of this JVM boots.
     */
    public static final String LOG_BUFFER_SIZE = "1048576";

    /**
     * Derby caches 1,000 pages per database by default, and KMS tables hold certificates in 32 KB
     * pages: 64 MB for a source and a target, half of a 128 MB heap, which left the garbage collector
     * running most of a large conversion. Every KMS Gate scan reads in key order, so 400 pages
     * (about 13 MB a database) lose nothing, and the collector no longer holds up a large
     * conversion in a small heap (docs/performance.md, second round). Applied only if the user has
     * not set it, before any database of this JVM boots.
     */
    public static final String PAGE_CACHE_SIZE = "400";

    static {
        if (System.getProperty("derby.storage.logBufferSize") == null) {
            System.setProperty("derby.storage.logBufferSize", LOG_BUFFER_SIZE);
        }
        if (System.getProperty("derby.storage.pageCacheSize") == null) {
            System.setProperty("derby.storage.pageCacheSize", PAGE_CACHE_SIZE);
        }
    }

    private static final List<Driver> DRIVERS = loadDrivers();

    private Databases() {
    }

    private static List<Driver> loadDrivers() {
        List<Driver> drivers = new ArrayList<>();
        ServiceLoader.load(Driver.class, Databases.class.getClassLoader()).forEach(drivers::add);
        return List.copyOf(drivers);
    }

    /**
     * Sends Derby's own log to {@code logFile} instead of {@code derby.log} in the working directory.
     * Takes effect only before the engine first boots in this JVM, and never overrides a user's choice.
     */
    public static void configureEngineLog(Path logFile) {
        if (System.getProperty("derby.stream.error.file") == null
                && System.getProperty("derby.stream.error.field") == null
                && System.getProperty("derby.stream.error.method") == null) {
            try {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
            } catch (IOException e) {
                return; // Derby falls back to its default; not worth failing a build for
            }
            System.setProperty("derby.stream.error.file", logFile.toAbsolutePath().toString());
            System.setProperty("derby.infolog.append", "true");
        }
    }

    /**
     * Keeps the empty databases that new ones are copied from in {@code directory}, across JVMs
     * (one per Derby version and schema), instead of creating them in every JVM. Takes effect for
     * the empty databases this JVM has not made yet.
     */
    public static void keepEmptyDatabasesIn(Path directory) {
        EmptyDatabase.keepIn(directory.toAbsolutePath());
    }

    /** The embedded engine's version, {@code 10.16}: what its files' format depends on. */
    static String engineVersion() {
        Driver driver = driverFor("jdbc:derby:memory:version");
        return driver.getMajorVersion() + "." + driver.getMinorVersion();
    }

    /**
     * Opens an existing source read-only: every write through this connection fails, and no
     * transaction is ever committed on it.
     */
    public static Connection openReadOnly(DatabaseAddress address, Credentials credentials) {
        requireExisting(address);
        Connection connection = connect(address, credentials, "");
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreException("Opening " + address.display() + " read-only", e);
        }
    }

    /** Opens an existing database for writing, with autocommit off. */
    public static Connection openExisting(DatabaseAddress address, Credentials credentials) {
        requireExisting(address);
        return manualCommit(connect(address, credentials, ""), address);
    }

    /** Opens a target for writing, creating it if it does not exist yet. */
    public static Connection openOrCreate(DatabaseAddress address, Credentials credentials) {
        if (address.isReadOnly()) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_IS_READ_ONLY_ARCHIVE, address.display()));
        }
        if (address.directory().isPresent() && !address.existsOnDisk()) {
            NewDirectoryDatabase.create(address, credentials);
            return manualCommit(connect(address, credentials, ""), address);
        }
        if (address.kind() == DatabaseAddress.Kind.DIRECTORY) {
            return manualCommit(connect(address, credentials, ""), address);
        }
        // memory: and network databases: create=true is a no-op when the database exists
        return manualCommit(connect(address, credentials, createAttributes(credentials)), address);
    }

    /** Whether a database exists at the address (asks the server or engine when it must). */
    public static boolean exists(DatabaseAddress address, Credentials credentials) {
        if (address.directory().isPresent()) {
            return address.existsOnDisk();
        }
        try (Connection ignored = connect(address, credentials, "")) {
            return true;
        } catch (KmsUsageException e) {
            if (e.getCause() instanceof SQLException s && Sql.hasState(s, "XJ004")) {
                return false;
            }
            throw e;
        } catch (SQLException e) {
            throw new StoreException("Closing " + address.display(), e);
        }
    }

    /**
     * Shuts an embedded database down, releasing its files and lock; a no-op for network
     * databases and databases that are not booted.
     */
    public static void shutdown(DatabaseAddress address, Credentials credentials) {
        if (!address.isEmbedded()) {
            return;
        }
        Driver driver = driverFor(address.url());
        try (Connection ignored = driver.connect(address.url(";shutdown=true"), credentials.toProperties())) {
            // a successful shutdown always throws 08006
        } catch (SQLException e) {
            // 08006: shut down; XJ004: was not booted or does not exist. Both leave nothing to do.
            if (!Sql.hasState(e, "08006") && !Sql.hasState(e, "XJ004") && !Sql.hasState(e, "XJ015")) {
                throw new StoreException("Shutting down " + address.display(), e);
            }
        }
    }

    /** Shuts a database down and deletes it: a directory is removed, a memory database dropped. */
    public static void drop(DatabaseAddress address, Credentials credentials) {
        shutdown(address, credentials);
        if (address.kind() == DatabaseAddress.Kind.MEMORY) {
            try (Connection ignored = driverFor(address.url()).connect(address.url(";drop=true"), credentials.toProperties())) {
                // a successful drop always throws 08006
            } catch (SQLException e) {
                if (!Sql.hasState(e, "08006") && !Sql.hasState(e, "XJ004")) {
                    throw new StoreException("Dropping " + address.display(), e);
                }
            }
            return;
        }
        Path directory = address.directory().orElseThrow(() -> new KmsUsageException(
                "Cannot delete " + address.display() + ": only directory and memory databases can be replaced. Drop it by hand, or choose a directory."));
        deleteRecursively(directory);
    }

    /** Deletes a directory tree; a missing one is fine. */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + directory, e);
        }
    }

    static String createAttributes(Credentials credentials) {
        // Derby's default cipher is DES: an escrowed-key database gets AES (128-bit keys) instead
        return credentials.bootPassword() != null ? ";create=true;dataEncryption=true;encryptionAlgorithm=AES/CBC/NoPadding" : ";create=true";
    }

    private static void requireExisting(DatabaseAddress address) {
        Path directory = address.directory().orElse(null);
        if (directory == null) {
            return; // asked on connect
        }
        if (!Files.exists(directory)) {
            throw new KmsUsageException(Messages.format(Messages.DATABASE_MISSING, address.parameter(), directory));
        }
        if (!address.existsOnDisk()) {
            throw new KmsUsageException(Messages.format(Messages.NOT_A_DERBY_DATABASE, address.parameter(), directory));
        }
    }

    private static Connection manualCommit(Connection connection, DatabaseAddress address) {
        try {
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new StoreException("Opening " + address.display(), e);
        }
    }

    static Connection connect(DatabaseAddress address, Credentials credentials, String extraAttributes) {
        String url = address.url(extraAttributes);
        Properties properties = credentials.toProperties();
        try {
            Connection connection = driverFor(url).connect(url, properties);
            if (connection == null) {
                throw new KmsUsageException(Messages.format(Messages.URL_NOT_DERBY, address.parameter(), address.display()));
            }
            return connection;
        } catch (SQLException e) {
            throw translate(address, credentials, e);
        }
    }

    /** The lock another JVM holds on a database it has booted: Derby's lock file in its directory. */
    public static String lockOf(DatabaseAddress address) {
        return address.directory().map(directory -> "its lock file " + directory.resolve("db.lck")).orElse("Derby's lock on it");
    }

    static KmsUsageException translate(DatabaseAddress address, Credentials credentials, SQLException e) {
        String where = address.display();
        String env = Credentials.environmentPrefix(address.parameter());
        if (Sql.hasState(e, "XSDB6")) {
            return new KmsUsageException(Messages.format(Messages.DATABASE_LOCKED, where, lockOf(address)), e);
        }
        if (Sql.hasState(e, "XBM06") || Sql.hasState(e, "XBCXK") || Sql.hasState(e, "XBCXD")) {
            return new KmsUsageException(Messages.format(Messages.WRONG_BOOT_PASSWORD, where,
                    address.parameter() + "ServerId", env + "BOOT_PASSWORD"), e);
        }
        if (Sql.hasState(e, "08004")) {
            return new KmsUsageException(Messages.format(Messages.AUTHENTICATION_FAILED, where,
                    address.parameter() + "ServerId", env + "USER", env + "PASSWORD"), e);
        }
        if (Sql.hasState(e, "XJ004")) {
            return new KmsUsageException(Messages.format(Messages.DATABASE_MISSING, address.parameter(), where), e);
        }
        if (Sql.hasState(e, "08001") && address.kind() == DatabaseAddress.Kind.NETWORK) {
            return new KmsUsageException(Messages.format(Messages.SERVER_UNREACHABLE, where), e);
        }
        if (Sql.hasState(e, "XBM0H") || Sql.hasState(e, "XBM0J") || Sql.hasState(e, "XSDF1")) {
            return new KmsUsageException(Messages.format(Messages.TARGET_NOT_WRITABLE, where, "Derby could not create it"), e);
        }
        String message = e.getMessage() == null ? "no message" : e.getMessage().lines().findFirst().orElse("");
        return new KmsUsageException(Messages.format(Messages.CANNOT_OPEN, where, message, Sql.rootState(e)), e);
    }

    private static Driver driverFor(String url) {
        for (Driver driver : DRIVERS) {
            try {
                if (driver.acceptsURL(url)) {
                    return driver;
                }
            } catch (SQLException e) {
                // a driver that cannot judge the URL is not the one
            }
        }
        throw new IllegalStateException("No JDBC driver on the plugin's class path accepts " + url);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already failing; the original error is what matters
        }
    }
}
