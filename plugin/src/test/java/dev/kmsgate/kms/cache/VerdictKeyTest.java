package dev.kmsgate.kms.cache;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.fork.GateJob;
import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every input of the verdict's key, each changed alone: the key changes, and the line that says why
 * the gate runs names exactly that input. What cannot change a verdict leaves the key alone.
 */
class VerdictKeyTest {

    /** A store's secret, as {@link VerdictStore#secret()} makes one. */
    private static final byte[] SECRET = "a store's secret, 32 bytes long!".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Path classes;
    private Path dependency;
    private Path pluginJar;

    @BeforeEach
    void project() throws IOException {
        classes = dir.resolve("target").resolve("classes");
        Files.createDirectories(classes.resolve("com/example/kms"));
        Files.write(classes.resolve("com/example/kms/Upgrade.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, 1});
        Files.writeString(classes.resolve("upgrade.properties"), "batch=500\n");
        dependency = jar(dir.resolve("repo").resolve("chunks-1.0-SNAPSHOT.jar"), "com/example/Chunks.class", "v1", 1_000);
        pluginJar = jar(dir.resolve("plugin").resolve("kms-maven-plugin-9.9-SNAPSHOT.jar"), "dev/kmsgate/X.class", "v1", 1_000);
    }

    private static Path jar(Path file, String entry, String content, long time) throws IOException {
        Files.createDirectories(file.getParent());
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            ZipEntry zipEntry = new ZipEntry(entry);
            zipEntry.setTime(time);
            zip.putNextEntry(zipEntry);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    private GateJob job(int capacity, String converter, List<GateCase> cases) {
        return job(capacity, converter, cases, true);
    }

    private GateJob job(int capacity, String converter, List<GateCase> cases, boolean scalingProof) {
        return new GateJob(capacity, "chunked", cases, 2, 10, 1L, 10, dir.resolve("work"), 5, converter,
                List.of(classes, dependency), 3, null, dir.resolve("reports"), dir.resolve("derby.log"), dir.resolve("sources"), null,
                scalingProof);
    }

    private GateJob job() {
        return job(7, "com.example.kms.Upgrade", List.of());
    }

    private BuildFacts facts(String version, String javaVersion, String argLine, Map<String, String> properties) {
        return new BuildFacts(version, List.of(pluginJar), dir.resolve("repo"), dir, "Vendor", javaVersion, true, argLine, properties, Map.of());
    }

    private BuildFacts facts() {
        return facts("1.0", "17.0.1", "-XX:TieredStopAtLevel=1", Map.of());
    }

    /** Asserts that the key changed, and that the line names exactly this change. */
    private static void changed(VerdictKey before, VerdictKey after, String line) {
        assertNotEquals(before.key(), after.key());
        assertEquals(line, KeyChanges.describe(before.inputs(), after.inputs()));
    }

    @Test
    void theSameInputsMakeTheSameKey() {
        VerdictKey key = facts().key(job(), SECRET);
        assertEquals(key.key(), facts().key(job(), SECRET).key());
        assertEquals("", KeyChanges.describe(key.inputs(), facts().key(job(), SECRET).inputs()));
    }

    @Test
    void aClassOfTheConvertersChangedBytes() throws IOException {
        VerdictKey before = facts().key(job(), SECRET);
        Files.write(classes.resolve("com/example/kms/Upgrade.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, 2});
        changed(before, facts().key(job(), SECRET), "the converter's classes changed: com/example/kms/Upgrade.class");
    }

    @Test
    void aResourceOfTheConverterChanged() throws IOException {
        VerdictKey before = facts().key(job(), SECRET);
        Files.writeString(classes.resolve("upgrade.properties"), "batch=5000\n");
        changed(before, facts().key(job(), SECRET), "the converter's classes changed: upgrade.properties");
    }

    @Test
    void aClassWasAdded() throws IOException {
        VerdictKey before = facts().key(job(), SECRET);
        Files.write(classes.resolve("com/example/kms/Helper.class"), new byte[] {1});
        changed(before, facts().key(job(), SECRET), "the converter's classes changed: com/example/kms/Helper.class (added)");
    }

    @Test
    void aDependencyJarChangedItsContent() throws IOException {
        VerdictKey before = facts().key(job(), SECRET);
        jar(dependency, "com/example/Chunks.class", "v2", 1_000);
        changed(before, facts().key(job(), SECRET), "the converter's class path changed: chunks-1.0-SNAPSHOT.jar");
    }

    @Test
    void aJarRebuiltFromTheSameClassesKeepsTheKey() throws IOException {
        VerdictKey before = facts().key(job(), SECRET);
        jar(dependency, "com/example/Chunks.class", "v1", 999_999_000); // the same class at another time
        assertEquals(before.key(), facts().key(job(), SECRET).key());
    }

    @Test
    void aReleaseJarOfTheLocalRepositoryIsKeyedByItsPathSizeAndTime() throws IOException {
        Path release = jar(dir.resolve("repo").resolve("chunks-1.0.jar"), "com/example/Chunks.class", "v1", 1_000);
        GateJob job = new GateJob(7, "chunked", List.of(), 2, 10, 1L, 10, dir.resolve("work"), 5, "com.example.kms.Upgrade",
                List.of(classes, release), 3, null, dir.resolve("reports"), dir.resolve("derby.log"), dir.resolve("sources"), null, false);
        VerdictKey before = facts().key(job, SECRET);
        Files.setLastModifiedTime(release, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        changed(before, facts().key(job, SECRET), "the converter's class path changed: chunks-1.0.jar");
    }

    @Test
    void aParameterChanged() {
        VerdictKey before = facts().key(job(1000, "com.example.kms.Upgrade", List.of()), SECRET);
        changed(before, facts().key(job(37, "com.example.kms.Upgrade", List.of()), SECRET), "transactionCapacity 1,000 -> 37");
    }

    @Test
    void theScalingProofWasTurnedOff() {
        VerdictKey before = facts().key(job(7, "com.example.kms.Upgrade", List.of(), true), SECRET);
        changed(before, facts().key(job(7, "com.example.kms.Upgrade", List.of(), false), SECRET), "scalingProof true -> false");
    }

    @Test
    void aCaseWasAdded() {
        VerdictKey before = facts().key(job(), SECRET);
        VerdictKey after = facts().key(job(7, "com.example.kms.Upgrade", List.of(new GateCase("mine", new Profile(30, 12, 2, 3, 2, 1, 5L)))), SECRET);
        assertNotEquals(before.key(), after.key());
        String line = KeyChanges.describe(before.inputs(), after.inputs());
        assertEquals("extraCases [] -> [{\"kind\":\"OWN\",\"name\":\"mine\",\"profile\":{\"duplicateRevocations\":2,\"orphanCerti...", line);
    }

    @Test
    void argLineChanged() {
        VerdictKey before = facts().key(job(), SECRET);
        changed(before, facts("1.0", "17.0.1", "-Xmx2g", Map.of()).key(job(), SECRET), "argLine -XX:TieredStopAtLevel=1 -> -Xmx2g");
    }

    @Test
    void aPropertyTheConverterReadsChanged() {
        VerdictKey before = facts("1.0", "17.0.1", "-XX:TieredStopAtLevel=1", Map.of("upgrade.mode", "fast")).key(job(), SECRET);
        VerdictKey after = facts("1.0", "17.0.1", "-XX:TieredStopAtLevel=1", Map.of("upgrade.mode", "safe")).key(job(), SECRET);
        changed(before, after, "the -D properties the converter sees changed: -Dupgrade.mode");
        // its value is never kept, and its digest is keyed by the store's secret: no plain hash of a guess matches it
        assertFalse(after.inputs().values().stream().anyMatch(value -> value.contains("safe")));
        String plainHash = VerdictKey.sha256("safe".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(after.inputs().values().stream().anyMatch(value -> plainHash.startsWith(value)));
        byte[] otherSecret = "another store's secret, 32 bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertNotEquals(after.inputs().get("property:upgrade.mode"),
                facts("1.0", "17.0.1", "-XX:TieredStopAtLevel=1", Map.of("upgrade.mode", "safe")).key(job(), otherSecret).inputs().get("property:upgrade.mode"));
    }

    @Test
    void propertiesThatCannotChangeTheVerdictLeaveTheKeyAlone() {
        VerdictKey before = facts().key(job(), SECRET);
        Map<String, String> notVerdict = Map.of("kms.rerun", "true", "kms.reportsDirectory", "elsewhere", "kms.cacheDirectory", "/tmp/x");
        assertEquals(before.key(), facts("1.0", "17.0.1", "-XX:TieredStopAtLevel=1", notVerdict).key(job(), SECRET).key());
        // KMS Gate's own converter reads no -D property but Derby's
        GateJob builtIn = job(7, null, List.of());
        assertEquals(facts().key(builtIn, SECRET).key(), facts("1.0", "17.0.1", "-XX:TieredStopAtLevel=1", Map.of("upgrade.mode", "x")).key(builtIn, SECRET).key());
        assertNotEquals(facts().key(builtIn, SECRET).key(),
                facts("1.0", "17.0.1", "-XX:TieredStopAtLevel=1", Map.of("derby.storage.pageCacheSize", "2000")).key(builtIn, SECRET).key());
    }

    @Test
    void kmsGatesVersionChanged() {
        VerdictKey before = facts().key(job(), SECRET);
        changed(before, facts("1.1", "17.0.1", "-XX:TieredStopAtLevel=1", Map.of()).key(job(), SECRET), "KMS Gate 1.0 -> 1.1");
    }

    @Test
    void kmsGatesOwnJarChangedWithoutANewVersion() throws IOException {
        VerdictKey before = facts().key(job(), SECRET);
        jar(pluginJar, "dev/kmsgate/X.class", "v2", 1_000);
        changed(before, facts().key(job(), SECRET), "KMS Gate's jars changed: kms-maven-plugin-9.9-SNAPSHOT.jar");
    }

    @Test
    void theJavaRuntimeChanged() {
        VerdictKey before = facts().key(job(), SECRET);
        changed(before, facts("1.0", "17.0.2", "-XX:TieredStopAtLevel=1", Map.of()).key(job(), SECRET), "the Java runtime Vendor 17.0.1 -> Vendor 17.0.2");
    }

    @Test
    void aCaseSourcesContentChangedButNotByBeingRead() throws SQLException {
        DatabaseAddress site = Fixtures.generate(dir.resolve("site"), new Profile(20, 4, 1, 1, 1, 1, 3L));
        GateJob job = job(7, "com.example.kms.Upgrade", List.of(GateCase.ofSource("site", Database.of(site))));
        VerdictKey before = facts().key(job, SECRET);

        // the gate opens a case's source read-only: a boot and a read leave its key alone
        try (Connection read = Databases.openReadOnly(site, Credentials.NONE)) {
            read.createStatement().executeQuery("SELECT COUNT(*) FROM KMS50.KM_CERT").close();
            read.rollback();
        }
        Fixtures.shutdown(site);
        assertEquals(before.key(), facts().key(job, SECRET).key());

        try (Connection write = Fixtures.open(site);
             PreparedStatement insert = write.prepareStatement("INSERT INTO KMS50.KM_USER VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, 999_999);
            insert.setString(2, "cn=added");
            insert.setString(3, "Added");
            insert.setTimestamp(4, Timestamp.from(Instant.parse("2020-01-01T00:00:00Z")));
            insert.executeUpdate();
            write.commit();
        }
        Fixtures.shutdown(site);
        changed(before, facts().key(job, SECRET), "case site's source changed");
    }

    @Test
    void aCaseSourceOnAServerMakesNoKey() {
        DatabaseAddress server = DatabaseAddress.parse("source", "jdbc:derby://localhost:1527/kms50", dir);
        VerdictKey key = facts().key(job(7, "com.example.kms.Upgrade", List.of(GateCase.ofSource("remote", Database.of(server)))), SECRET);
        assertFalse(key.keyed());
        assertEquals("case remote's source jdbc:derby://localhost:1527/kms50 is not a directory or a zip archive, "
                + "so KMS Gate cannot tell whether it changed", key.unkeyable());
    }
}
