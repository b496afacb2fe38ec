package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.GateSources;
import dev.kmsgate.kms.report.RecordJson;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.FileClaim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The gate's store, shared by every build of the user (by default beside the local Maven
 * repository, so it outlives {@code mvn clean}): proven verdicts by key, the last key of each
 * project, and the generated sources.
 *
 * <pre>
 * verdicts/&lt;key&gt;.json      a passing verdict: its inputs and the gate's result record
 * projects/&lt;hash&gt;.json     the last verdict stored for a project: its key and inputs
 * sources/profile-&lt;hash&gt;/  a generated legacy database, shared by every gate
 * sources/locks/           the lock files that claim a source against other JVMs
 * sources/empty-databases/ the empty databases new ones are copied from, per Derby version and schema
 * store.lock               claimed while the store is written or evicted
 * </pre>
 *
 * Every file is written whole or not at all (written beside, then moved over), so a build that
 * reads the store while another writes it sees the old file or the new one. A file that cannot be
 * read as what it should be is reported, removed and rebuilt, never trusted. The store is kept under
 * a size limit: after each run the least recently used verdicts and sources go first, except a
 * source another JVM is using.
 *
 * <p>Public for maven, whose regression goal opens the store; not an API.
 */
public final class VerdictStore {

    private final Path directory;
    private final long sizeLimitBytes;
    private final KmsLog log;

    /**
     * @param sizeLimitBytes what the store may take on disk before the least recently used entries are evicted
     */
    public VerdictStore(Path directory, long sizeLimitBytes, KmsLog log) {
        this.directory = directory.toAbsolutePath().normalize();
        this.sizeLimitBytes = sizeLimitBytes;
        this.log = log;
    }

    /** The store's default size limit in megabytes. */
    public static final int DEFAULT_SIZE_LIMIT_MEGABYTES = 2048;

    /**
     * The store in a directory, made if missing, under a size limit in megabytes; refuses a limit below
     * one megabyte and a directory that cannot be made, naming the parameter and the fix.
     */
    public static VerdictStore open(Path directory, int sizeLimitMegabytes, KmsLog log) {
        if (sizeLimitMegabytes < 1) {
            throw new KmsUsageException(Messages.format(Messages.CACHE_SIZE_LIMIT_TOO_SMALL, sizeLimitMegabytes, DEFAULT_SIZE_LIMIT_MEGABYTES));
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new KmsUsageException(Messages.format(Messages.CACHE_DIRECTORY_UNUSABLE, directory, e), e);
        }
        if (!Files.isWritable(directory)) {
            throw new KmsUsageException(Messages.format(Messages.CACHE_DIRECTORY_UNUSABLE, directory, "it is not writable"));
        }
        return new VerdictStore(directory, (long) sizeLimitMegabytes << 20, log);
    }

    public Path directory() {
        return directory;
    }

    /** Where the gate keeps its generated sources. */
    public Path sourcesDirectory() {
        return directory.resolve("sources");
    }

    private Path verdictFile(String key) {
        return directory.resolve("verdicts").resolve(key + ".json");
    }

    private Path projectFile(String project) {
        return directory.resolve("projects").resolve(VerdictKey.sha256(project.getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".json");
    }

    /**
     * Builds, on a thread of its own, what reading a stored verdict needs (jackson-jr's readers of the
     * result record), so that a build whose verdict is reused finds it ready once its key is made.
     * Harmless when nothing is read.
     */
    public static void prepareReading() {
        Thread thread = new Thread(() -> {
            try {
                RecordJson.read("{\"report\":{\"cases\":[],\"trials\":[]}}", StoredVerdict.class);
            } catch (RuntimeException e) {
                // only a head start; reading the verdict reports any real failure
            }
        }, "kms-gate-store-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The store's own secret (32 random bytes in {@code secret}, readable by its owner alone), made
     * when the store is first used: what {@code -D} values are digested with, so the store never
     * holds a digest of a value that a guess could be checked against without it.
     */
    public byte[] secret() {
        Path file = directory.resolve("secret");
        try {
            if (Files.size(file) == SECRET_BYTES) {
                return Files.readAllBytes(file);
            }
        } catch (IOException absent) {
            // made below
        }
        try (FileClaim claim = claimStore()) {
            if (Files.isRegularFile(file) && Files.size(file) == SECRET_BYTES) {
                return Files.readAllBytes(file);
            }
            byte[] secret = new byte[SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            Path partial = Files.createTempFile(directory, "secret", ".partial");
            try {
                ownerOnly(partial);
                Files.write(partial, secret);
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the store's secret in " + file, e);
        }
    }

    private static final int SECRET_BYTES = 32;

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // a file system without POSIX permissions keeps the directory's
        }
    }

    /** Whether a file is stored under this key, sound or damaged. */
    public boolean holds(VerdictKey key) {
        return Files.isRegularFile(verdictFile(key.key()));
    }

    /**
     * The passing verdict stored under this key, or empty. A damaged entry (unreadable, another
     * format, another key, not passing) is removed with a warning, and the gate runs.
     */
    public Optional<StoredVerdict> find(VerdictKey key) {
        Path file = verdictFile(key.key());
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        StoredVerdict verdict;
        try {
            verdict = RecordJson.readFile(file, StoredVerdict.class);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return damaged(file, e.getMessage());
        }
        if (!VerdictKey.FORMAT.equals(verdict.format()) || !key.key().equals(verdict.key()) || verdict.report() == null
                || !verdict.report().passed() || !key.inputs().equals(verdict.inputs())) {
            return damaged(file, "it is not a passing verdict of format " + VerdictKey.FORMAT + " under this key");
        }
        touch(file);
        return Optional.of(verdict);
    }

    private Optional<StoredVerdict> damaged(Path file, String why) {
        log.warn(String.format(Locale.ROOT, "The stored verdict %s is damaged (%s): it is ignored and removed, and the gate runs.", file, why));
        try (FileClaim claim = claimStore()) {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // it is ignored all the same, and overwritten when this run passes
        }
        return Optional.empty();
    }

    /** The last verdict stored for a project (its key and inputs, without the result), or empty. */
    public Optional<StoredVerdict> last(String project) {
        Path file = projectFile(project);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            StoredVerdict last = RecordJson.readFile(file, StoredVerdict.class);
            return project.equals(last.project()) ? Optional.of(last) : Optional.empty();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            return Optional.empty(); // only the line that says what changed needs it
        }
    }

    /** Stores a passing verdict under its key, and as its project's last; a failing one is never stored. */
    public void store(String project, VerdictKey key, GateReport report) {
        if (!report.passed() || !key.keyed()) {
            return;
        }
        try (FileClaim claim = claimStore()) {
            RecordJson.writeFile(verdictFile(key.key()), new StoredVerdict(VerdictKey.FORMAT, key.key(), project, key.inputs(), report));
            RecordJson.writeFile(projectFile(project), new StoredVerdict(VerdictKey.FORMAT, key.key(), project, key.inputs(), null));
        }
    }

    /**
     * Evicts the least recently used verdicts and sources until the store is within its limit. A
     * source that another JVM holds is skipped; so is one this JVM holds.
     *
     * @return how many bytes were freed
     */
    public long evict() {
        try (FileClaim claim = claimStore()) {
            List<Entry> entries = entries();
            long total = entries.stream().mapToLong(Entry::bytes).sum();
            long freed = 0;
            entries.sort(Comparator.comparing(Entry::used));
            for (Entry entry : entries) {
                if (total - freed <= sizeLimitBytes) {
                    break;
                }
                if (remove(entry)) {
                    freed += entry.bytes();
                }
            }
            if (freed > 0) {
                log.info(String.format(Locale.ROOT, "KMS Gate's store %s: evicted %,d MB of the least recently used verdicts and sources "
                        + "(limit %,d MB).", directory, freed >> 20, sizeLimitBytes >> 20));
            }
            return freed;
        }
    }

    private boolean remove(Entry entry) {
        try {
            if (!entry.source()) {
                Files.deleteIfExists(entry.path());
                return true;
            }
            String url = DatabaseAddress.parse("source", entry.path().toString(), directory).url();
            try (FileClaim held = FileClaim.tryClaim(GateSources.lockFile(sourcesDirectory(), url))) {
                if (held == null) {
                    return false; // another build is using it
                }
                Databases.deleteRecursively(entry.path());
                // the generated CA's certificate beside it (kms:generate's <database>.ca.pem)
                Files.deleteIfExists(entry.path().resolveSibling(entry.path().getFileName() + ".ca.pem"));
                return true;
            }
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private record Entry(Path path, long bytes, FileTime used, boolean source) {
    }

    private List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (Path verdict : list(directory.resolve("verdicts"))) {
            if (verdict.getFileName().toString().endsWith(".json")) {
                entries.add(new Entry(verdict, size(verdict), modified(verdict), false));
            }
        }
        for (Path source : list(sourcesDirectory())) {
            if (source.getFileName().toString().startsWith(GateSources.PROFILE_PREFIX) && Files.isDirectory(source)) {
                entries.add(new Entry(source, size(source), modified(source), true));
            }
        }
        return entries;
    }

    private static List<Path> list(Path dir) {
        List<Path> paths = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(paths::add);
            } catch (IOException e) {
                // nothing listed, nothing evicted
            }
        }
        return paths;
    }

    private static long size(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // it is only evicted sooner
        }
    }

    private FileClaim claimStore() {
        return FileClaim.exclusive(directory.resolve("store.lock"));
    }
}
