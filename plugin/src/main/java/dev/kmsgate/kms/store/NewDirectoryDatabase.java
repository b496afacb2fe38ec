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
import java.sql.SQLException;
import java.util.stream.Stream;

/**
 * Creates a directory database that does not exist yet, so that it appears whole or not at all:
 * the directory is checked (empty or absent, its parent writable), then the database is made in a
 * staging directory beside it and renamed into place. Every refusal names the target and what to
 * do; {@link Databases#openOrCreate} is the way in.
 */
final class NewDirectoryDatabase {

    private NewDirectoryDatabase() {
    }

    /** Checks the target's directory and creates the database there. */
    static void create(DatabaseAddress address, Credentials credentials) {
        prepareNewDirectory(address);
        createStaged(address, credentials);
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
        Databases.deleteRecursively(staging);
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
                try (Connection ignored = Databases.connect(staged, credentials, Databases.createAttributes(credentials))) {
                    // created; closed and shut down before it moves
                } catch (SQLException e) {
                    throw new StoreException("Creating " + address.display(), e);
                } finally {
                    Databases.shutdown(staged, credentials);
                }
            }
        } catch (RuntimeException e) {
            try {
                Databases.deleteRecursively(staging); // a half-created staging database is of no use to anyone
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof KmsUsageException usage ? withTarget(usage, address) : e;
        }
        try {
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Databases.deleteRecursively(staging);
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
            return Databases.translate(address, Credentials.NONE, e);
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
                    Databases.deleteRecursively(sibling);
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
}
