package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where a database lives: a directory (embedded Derby, resolved against a base directory) or a
 * full {@code jdbc:derby:} URL (embedded, {@code memory:}, read-only {@code jar:} and
 * {@code classpath:} archives, or a Derby Network Server {@code //host:port/name}).
 *
 * <p>A URL may carry ordinary Derby attributes ({@code ;territory=...}), but never a secret
 * ({@code password}, {@code bootPassword}, ...): those come from settings.xml or the environment.
 * Lifecycle attributes ({@code create}, {@code shutdown}, ...) are refused too: the store manages
 * them.
 *
 * <p>Public for every package that says where a database lives; not an API.
 */
public final class DatabaseAddress {

    /** The kinds of location the store can reach. */
    public enum Kind { DIRECTORY, MEMORY, ARCHIVE, NETWORK }

    private static final String PREFIX = "jdbc:derby:";
    private static final String[] SECRET_ATTRIBUTES = {"password", "bootpassword", "encryptionkey", "newbootpassword", "newencryptionkey"};
    private static final String[] LIFECYCLE_ATTRIBUTES = {"create", "shutdown", "drop", "restorefrom", "rollforwardrecoveryfrom", "createfrom", "upgrade", "deregister"};

    private final String parameter;
    private final Kind kind;
    private final String url;
    private final String attributes;
    private final Path directory;

    private DatabaseAddress(String parameter, Kind kind, String url, String attributes, Path directory) {
        this.parameter = parameter;
        this.kind = kind;
        this.url = url;
        this.attributes = attributes;
        this.directory = directory;
    }

    /**
     * Parses a database parameter.
     *
     * @param parameter the POM element it came from, named in error messages ({@code source})
     * @param spec a directory path or a {@code jdbc:derby:} URL
     * @param basedir what relative paths are resolved against
     */
    public static DatabaseAddress parse(String parameter, String spec, Path basedir) {
        if (spec == null || spec.isBlank()) {
            throw new KmsUsageException(Messages.format(Messages.PARAMETER_REQUIRED, parameter));
        }
        String trimmed = spec.trim();
        if (!trimmed.regionMatches(true, 0, "jdbc:", 0, 5)) {
            Path dir = basedir.resolve(trimmed).toAbsolutePath().normalize();
            if (Files.isRegularFile(dir) && dir.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
                return new DatabaseAddress(parameter, Kind.ARCHIVE, PREFIX + "jar:(" + dir + ")" + databaseIn(parameter, dir), "", null);
            }
            return new DatabaseAddress(parameter, Kind.DIRECTORY, PREFIX + dir, "", dir);
        }
        if (!trimmed.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new KmsUsageException(Messages.format(Messages.URL_NOT_DERBY, parameter, trimmed));
        }
        String rest = trimmed.substring(PREFIX.length());
        int semicolon = rest.indexOf(';');
        String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
        String attributes = semicolon < 0 ? "" : rest.substring(semicolon);
        checkAttributes(parameter, attributes);

        if (name.startsWith("//")) {
            return new DatabaseAddress(parameter, Kind.NETWORK, PREFIX + name, attributes, null);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("memory:")) {
            return new DatabaseAddress(parameter, Kind.MEMORY, PREFIX + name, attributes, null);
        }
        if (lower.startsWith("jar:")) {
            // jdbc:derby:jar:(path/to/archive.zip)dbname
            String body = name.substring(4);
            int close = body.indexOf(')');
            if (!body.startsWith("(") || close < 0) {
                throw new KmsUsageException(Messages.format(Messages.URL_NOT_DERBY, parameter, trimmed));
            }
            Path archive = basedir.resolve(body.substring(1, close)).toAbsolutePath().normalize();
            return new DatabaseAddress(parameter, Kind.ARCHIVE,
                    PREFIX + "jar:(" + archive + ")" + body.substring(close + 1), attributes, null);
        }
        if (lower.startsWith("classpath:")) {
            return new DatabaseAddress(parameter, Kind.ARCHIVE, PREFIX + name, attributes, null);
        }
        String path = lower.startsWith("directory:") ? name.substring("directory:".length()) : name;
        Path dir = basedir.resolve(path).toAbsolutePath().normalize();
        return new DatabaseAddress(parameter, Kind.DIRECTORY, PREFIX + dir, attributes, dir);
    }

    /** The path inside a zip archive of the (first) Derby database it holds: the folder of its service.properties. */
    private static String databaseIn(String parameter, Path archive) {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            return zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.equals("service.properties") || name.endsWith("/service.properties"))
                    .map(name -> name.substring(0, Math.max(0, name.length() - "/service.properties".length())))
                    .sorted(Comparator.comparingInt(String::length))
                    .findFirst()
                    .orElseThrow(() -> new KmsUsageException(Messages.format(Messages.ARCHIVE_WITHOUT_DATABASE, parameter, archive)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the archive " + archive, e);
        }
    }

    private static void checkAttributes(String parameter, String attributes) {
        for (String attribute : attributes.split(";")) {
            int eq = attribute.indexOf('=');
            String typed = (eq < 0 ? attribute : attribute.substring(0, eq)).trim();
            String key = typed.toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                continue;
            }
            for (String secret : SECRET_ATTRIBUTES) {
                if (secret.equals(key)) {
                    String variable = Credentials.environmentPrefix(parameter) + (key.equals("password") ? "PASSWORD" : "BOOT_PASSWORD");
                    throw new KmsUsageException(Messages.format(Messages.URL_HAS_SECRET, parameter, typed, parameter + "ServerId", variable));
                }
            }
            for (String lifecycle : LIFECYCLE_ATTRIBUTES) {
                if (lifecycle.equals(key)) {
                    throw new KmsUsageException(Messages.format(Messages.URL_HAS_LIFECYCLE_ATTRIBUTE, parameter, typed));
                }
            }
        }
    }

    /** The same database, with the same attributes, in another directory (for staging its creation). */
    DatabaseAddress inDirectory(Path other) {
        Path dir = other.toAbsolutePath().normalize();
        return new DatabaseAddress(parameter, Kind.DIRECTORY, PREFIX + dir, attributes, dir);
    }

    /** The same location, named in messages by another POM element. */
    public DatabaseAddress as(String otherParameter) {
        return new DatabaseAddress(otherParameter, kind, url, attributes, directory);
    }

    /** The POM element this address came from. */
    public String parameter() {
        return parameter;
    }

    public Kind kind() {
        return kind;
    }

    /** The URL to connect to, with the user's own attributes and without any secret. */
    public String url() {
        return url + attributes;
    }

    /** The URL with extra attributes appended, e.g. {@code ;create=true}. */
    public String url(String extraAttributes) {
        return url + attributes + extraAttributes;
    }

    /** The embedded database's directory, if it lives in one. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** Whether the engine runs in this JVM (so the database must be shut down when done). */
    public boolean isEmbedded() {
        return kind != Kind.NETWORK;
    }

    /** Whether the location can never be written (jar: and classpath: archives). */
    public boolean isReadOnly() {
        return kind == Kind.ARCHIVE;
    }

    /** Whether a database is known to exist there; network and memory databases are asked on connect. */
    public boolean existsOnDisk() {
        return directory != null && Files.isRegularFile(directory.resolve("service.properties"));
    }

    /** How the address is shown in logs and reports: never with credentials. */
    public String display() {
        return directory != null ? directory.toString() : url;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DatabaseAddress that && url.equals(that.url) && attributes.equals(that.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, attributes);
    }

    @Override
    public String toString() {
        return display();
    }
}
