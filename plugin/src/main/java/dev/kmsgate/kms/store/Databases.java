package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
     * (about 13 MB a database) lose nothing, and a conversion of 1,000,000 certificates at
     * {@code -Xmx128m} ran 1.4x faster. Applied only if the user has not set it, before any database
     * of this JVM boots.
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
            prepareNewDirectory(address);
            createStaged(address, credentials);
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

    private static String createAttributes(Credentials credentials) {
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

    private static void prepareNewDirectory(DatabaseAddress address) {
        Path directory = address.directory().orElseThrow();
        try {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> entries = Files.list(directory)) {
                    if (entries.findAny().isPresent()) {
                        throw new KmsUsageException(Messages.format(Messages.NOT_A_DERBY_DATABASE, address.parameter(), directory));
                    }
                }
                Files.delete(directory); // Derby creates the directory itself
            } else if (Files.exists(directory)) {
                throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_WRITABLE, directory, "it is a file"));
            }
            Path parent = directory.getParent();
            Files.createDirectories(parent);
            if (!Files.isWritable(parent)) {
                throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_WRITABLE, directory, parent + " is not writable"));
            }
        } catch (IOException e) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_WRITABLE, directory, describe(e)), e);
        }
    }

    /**
     * Creates a new directory database so that it appears complete or not at all: Derby creates it
     * in a sibling staging directory, which is shut down and then renamed into place. A process
     * killed while Derby was creating the database (a few hundred milliseconds of writing system
     * catalogs, logs and service.properties) leaves only a staging directory, which the next run
     * removes, never a half-created database at the target path that every later run would refuse.
     */
    private static void createStaged(DatabaseAddress address, Credentials credentials) {
        Path directory = address.directory().orElseThrow();
        removeAbandonedStaging(directory);
        Path staging = directory.resolveSibling(stagingPrefix(directory) + ProcessHandle.current().pid());
        deleteRecursively(staging);
        DatabaseAddress staged = address.inDirectory(staging);
        try {
            if (EmptyDatabase.serves(address, credentials)) {
                try {
                    EmptyDatabase.copyTo(staging, credentials); // a tenth of the time of a create
                } catch (IOException e) {
                    throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_WRITABLE, address.display(),
                            isNoSpace(e) ? "its file system is full" : describe(e)), e);
                }
            } else {
                try (Connection ignored = connect(staged, credentials, createAttributes(credentials))) {
                    // created; closed and shut down before it moves
                } catch (SQLException e) {
                    throw new StoreException("Creating " + address.display(), e);
                } finally {
                    shutdown(staged, credentials);
                }
            }
        } catch (RuntimeException e) {
            try {
                deleteRecursively(staging); // a half-created staging database is of no use to anyone
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof KmsUsageException usage ? withTarget(usage, address) : e;
        }
        try {
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteRecursively(staging);
            if (!address.existsOnDisk()) { // another process created it first: use theirs
                throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_WRITABLE, directory, describe(e)), e);
            }
        }
    }

    /** A failure to create the staging database, told about the target (the staging path means nothing to the user). */
    private static KmsUsageException withTarget(KmsUsageException failure, DatabaseAddress address) {
        if (failure.getCause() instanceof SQLException e) {
            if (Sql.isDiskFull(e)) {
                return new KmsUsageException(Messages.format(Messages.TARGET_NOT_WRITABLE, address.display(),
                        "its file system is full"), e);
            }
            return translate(address, Credentials.NONE, e);
        }
        return failure;
    }

    private static String stagingPrefix(Path directory) {
        return "." + directory.getFileName() + ".creating-";
    }

    /** Removes staging directories of creations whose process is gone (killed while creating). */
    private static void removeAbandonedStaging(Path directory) {
        Path parent = directory.getParent();
        String prefix = stagingPrefix(directory);
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path sibling : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                String pid = sibling.getFileName().toString().substring(prefix.length());
                boolean alive = pid.chars().allMatch(Character::isDigit) && !pid.isEmpty()
                        && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                if (!alive) {
                    deleteRecursively(sibling);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // a stale staging directory wastes space but harms nothing
        }
    }

    /** The file system's reason in words, not the exception's class name. */
    private static boolean isNoSpace(IOException e) {
        return e instanceof FileSystemException fs && fs.getReason() != null && fs.getReason().contains("No space left");
    }

    private static String describe(IOException e) {
        if (e instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " is not a directory"; // createDirectories met a file on the way
        }
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + ": permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            return fs.getFile() + (fs.getReason() == null ? "" : ": " + fs.getReason());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName().replace("Exception", "") : e.getMessage();
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

    private static KmsUsageException translate(DatabaseAddress address, Credentials credentials, SQLException e) {
        String where = address.display();
        String env = Credentials.environmentPrefix(address.parameter());
        if (Sql.hasState(e, "XSDB6")) {
            return new KmsUsageException(Messages.format(Messages.DATABASE_LOCKED, where), e);
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
