package dev.kmsgate.kms.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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

    private static Path template;

    private EmptyDatabase() {
    }

    /** Whether a new database at the address can be a copy of the template. */
    static boolean serves(DatabaseAddress address, Credentials credentials) {
        return address.kind() == DatabaseAddress.Kind.DIRECTORY && credentials.user() == null && credentials.password() == null
                && credentials.bootPassword() == null && address.url("").indexOf(';') < 0;
    }

    /** Copies the template, creating it on first use, into {@code directory}, which must not exist. */
    static void copyTo(Path directory) throws IOException {
        Path from = template();
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
        if (template != null && Files.isRegularFile(template.resolve("service.properties"))) {
            return template;
        }
        try {
            Path parent = Files.createTempDirectory("kms-gate-empty-database");
            Path created = parent.resolve("db");
            DatabaseAddress address = DatabaseAddress.parse("template", created.toString(), parent);
            try (Connection ignored = Databases.connect(address, Credentials.NONE, ";create=true")) {
                // created; shut down below, so that its files are a clean copy
            } catch (SQLException e) {
                throw new StoreException("Creating the empty database " + created, e);
            } finally {
                Databases.shutdown(address, Credentials.NONE);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Databases.deleteRecursively(parent);
                } catch (RuntimeException e) {
                    // a temporary directory left behind at exit harms nothing
                }
            }, "kms-gate-empty-database"));
            template = created;
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the empty database", e);
        }
    }
}
