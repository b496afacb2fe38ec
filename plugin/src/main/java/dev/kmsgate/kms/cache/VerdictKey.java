package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.Sha256;
import dev.kmsgate.kms.store.DatabaseAddress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Everything that can change the gate's verdict, as named inputs, and the key they make: the
 * SHA-256 of their canonical form. Each input is a name with a kind prefix ({@code parameter:},
 * {@code class:}, {@code jar:}, ...) and a value or a digest; {@link KeyChanges} compares two sets
 * of inputs and says which changed. A build whose inputs are all equal to a passing run's reaches
 * the same verdict, except through what no input can see (a converter that reads the clock, the
 * network or an environment variable; the README says so).
 *
 * <p>Public for maven, whose regression goal makes the key from the build's facts; not an API.
 *
 * @param inputs every input by name, sorted; values hold no secret (a {@code -D} property is digested)
 * @param unkeyable why no key can be made (a case source whose content cannot be digested), or null
 */
public record VerdictKey(SortedMap<String, String> inputs, String unkeyable) {

    /** The version of the key's own format; a change of what goes into the key raises it. */
    public static final String FORMAT = "1";

    static final String FORMAT_INPUT = "format";
    static final String VERSION = "kmsGate.version";
    static final String PLUGIN_JAR = "kmsGate.jar:";
    static final String PARAMETER = "parameter:";
    static final String PROPERTY = "property:";
    static final String CLASS = "class:";
    static final String JAR = "jar:";
    static final String SOURCE = "source:";
    static final String JAVA = "java";

    public VerdictKey {
        inputs = Collections.unmodifiableSortedMap(new TreeMap<>(inputs));
    }

    /** Whether a key could be made: every input could be digested. */
    public boolean keyed() {
        return unkeyable == null;
    }

    /** The key: SHA-256 in hex of every input's name and value, one per line, in order. */
    public String key() {
        StringBuilder canonical = new StringBuilder();
        inputs.forEach((name, value) -> canonical.append(name).append('\t').append(value).append('\n'));
        return sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the inputs; each method adds one kind. */
    public static final class Builder {
        private final SortedMap<String, String> inputs = new TreeMap<>();
        private String unkeyable;
        private byte[] secret;

        private Builder() {
            inputs.put(FORMAT_INPUT, FORMAT);
        }

        /** KMS Gate's own version. */
        public Builder version(String version) {
            inputs.put(VERSION, version);
            return this;
        }

        /** The jars KMS Gate runs from (Derby's included): a SNAPSHOT changes without a new version. */
        public Builder pluginJars(List<Path> jars, Path localRepository) {
            for (Path jar : jars) {
                inputs.put(PLUGIN_JAR + jar.getFileName(), digestEntry(jar, localRepository));
            }
            return this;
        }

        /** The Java that runs the gate: vendor and version. */
        public Builder java(String vendor, String version) {
            inputs.put(JAVA, vendor + " " + version);
            return this;
        }

        /** A resolved parameter of the gate in its canonical form. */
        public Builder parameter(String name, String value) {
            inputs.put(PARAMETER + name, value == null ? "" : value);
            return this;
        }

        /** The store's own secret, which every {@code -D} property's value is digested with ({@link VerdictStore#secret()}). */
        public Builder propertySecret(byte[] secret) {
            this.secret = secret.clone();
            return this;
        }

        /**
         * A {@code -D} property the gate hands to the converter: its value is never kept, only an
         * HMAC-SHA256 of it under the store's secret, so that a value that is a password cannot be
         * found by hashing guesses without that secret.
         */
        public Builder property(String name, String value) {
            if (secret == null) {
                throw new IllegalStateException("a property's digest needs the store's secret");
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                byte[] digest = mac.doFinal(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
                inputs.put(PROPERTY + name, HexFormat.of().formatHex(digest, 0, 16));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
            }
            return this;
        }

        /**
         * The converter's class path: a directory by the content of each of its files (resources
         * included), a jar by its content, which is remembered by path, size and time only for a
         * release jar of the local repository (such a jar never changes).
         *
         * @param basedir the project's base directory, so that directory entries are named relative to it
         */
        public Builder classpath(List<Path> entries, Path basedir, Path localRepository) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    String label = label(entry, basedir);
                    for (Map.Entry<String, String> file : directoryDigests(entry).entrySet()) {
                        inputs.put(CLASS + label + "!" + file.getKey(), file.getValue());
                    }
                } else if (Files.isRegularFile(entry)) {
                    inputs.put(JAR + entry.getFileName(), digestEntry(entry, localRepository));
                }
                // an entry that does not exist holds no class; if it appears, it is an input that changed
            }
            return this;
        }

        /** A case's own source database, by its content; one that cannot be digested (a server's) makes no key. */
        public Builder caseSource(String caseName, DatabaseAddress source) {
            String digest = sourceDigest(source);
            if (digest == null) {
                unkeyable = "case " + caseName + "'s source " + source.display() + " is not a directory or a zip archive, "
                        + "so KMS Gate cannot tell whether it changed";
            } else {
                inputs.put(SOURCE + caseName, digest);
            }
            return this;
        }

        public VerdictKey build() {
            return new VerdictKey(inputs, unkeyable);
        }
    }

    private static String label(Path entry, Path basedir) {
        Path absolute = entry.toAbsolutePath().normalize();
        Path base = basedir.toAbsolutePath().normalize();
        return absolute.startsWith(base) ? base.relativize(absolute).toString().replace('\\', '/') : absolute.getFileName().toString();
    }

    /**
     * A jar's digest: by path, size and time for a release jar of the local repository, which is
     * never rewritten; otherwise by the names and content of its entries (not the archive's bytes,
     * whose entry times change with every build of the same classes).
     */
    static String digestEntry(Path jar, Path localRepository) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            boolean release = localRepository != null && jar.toAbsolutePath().normalize().startsWith(localRepository.toAbsolutePath().normalize())
                    && !jar.getFileName().toString().contains("-SNAPSHOT");
            if (attributes.isDirectory()) {
                return sha256(String.join("\n", directoryDigests(jar).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()).getBytes(StandardCharsets.UTF_8));
            }
            if (release) {
                return "release " + attributes.size() + " " + attributes.lastModifiedTime().toMillis();
            }
            return jarContentDigest(jar);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar + " to key the gate's verdict", e);
        }
    }

    private static String jarContentDigest(Path jar) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                digest.update(entry.getName().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                for (int n = zip.read(buffer); n > 0; n = zip.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
                digest.update((byte) 0);
            }
        } catch (IOException e) {
            // not a zip: its bytes are its content
            return sha256File(jar);
        }
        return Sha256.hex(digest);
    }

    /** Every regular file of a directory by its path relative to it ({@code /} separated), with the digest of its content. */
    static SortedMap<String, String> directoryDigests(Path directory) {
        SortedMap<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> regular = new ArrayList<>(walk.filter(Files::isRegularFile).toList());
            for (Path file : regular) {
                String name = directory.relativize(file).toString().replace('\\', '/');
                if (!name.endsWith(".lck")) { // Derby's lock files come and go with a boot; they hold no data
                    files.put(name, sha256File(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + directory + " to key the gate's verdict", e);
        }
        return files;
    }

    /** The digest of a case source: a directory's files, an archive's bytes; null for one held elsewhere (a server, memory). */
    static String sourceDigest(DatabaseAddress source) {
        if (source.directory().isPresent()) {
            Path directory = source.directory().get();
            if (!Files.isDirectory(directory)) {
                return "missing";
            }
            // the data files and service.properties hold the content; Derby rewrites its transaction log
            // (log/) on every boot, a read-only one included, so it would make every build a new key
            SortedMap<String, String> files = directoryDigests(directory);
            files.keySet().removeIf(name -> name.startsWith("log/"));
            return sha256(files.toString().getBytes(StandardCharsets.UTF_8));
        }
        String url = source.url();
        int open = url.indexOf("jar:(");
        int close = url.indexOf(')', open + 1);
        if (source.kind() == DatabaseAddress.Kind.ARCHIVE && open >= 0 && close > open) {
            Path archive = Path.of(url.substring(open + 5, close));
            try {
                return Files.isRegularFile(archive) ? sha256File(archive) : "missing";
            } catch (UncheckedIOException e) {
                return null;
            }
        }
        return null;
    }

    static String sha256(byte[] bytes) {
        return Sha256.hex(bytes);
    }

    static String sha256File(Path file) {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + " to key the gate's verdict", e);
        }
        return Sha256.hex(digest);
    }
}
