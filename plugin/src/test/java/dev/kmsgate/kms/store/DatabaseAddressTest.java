package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing of database parameters; no database is touched. */
class DatabaseAddressTest {

    private final Path base = Path.of("/projects/kms").toAbsolutePath();

    @Test
    void relativeDirectoryResolvesAgainstTheBaseDirectory() {
        DatabaseAddress address = DatabaseAddress.parse("source", "target/../db/kms50", base);

        Path expected = base.resolve("db/kms50").normalize();
        assertEquals(DatabaseAddress.Kind.DIRECTORY, address.kind());
        assertEquals(Optional.of(expected), address.directory());
        assertEquals("jdbc:derby:" + expected, address.url());
        assertEquals("jdbc:derby:" + expected + ";create=true", address.url(";create=true"));
        assertEquals(expected.toString(), address.display());
        assertEquals("source", address.parameter());
        assertTrue(address.isEmbedded());
        assertFalse(address.isReadOnly());
    }

    @Test
    void absoluteDirectoryStaysAsItIs() {
        Path elsewhere = Path.of("/var/lib/kms/db").toAbsolutePath();
        DatabaseAddress address = DatabaseAddress.parse("target", "  " + elsewhere + "  ", base);
        assertEquals(Optional.of(elsewhere), address.directory());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:derby:db/kms50", "jdbc:derby:directory:db/kms50", "JDBC:DERBY:db/kms50"})
    void embeddedDirectoryUrlsResolveAgainstTheBaseDirectory(String url) {
        DatabaseAddress address = DatabaseAddress.parse("source", url, base);

        assertEquals(DatabaseAddress.Kind.DIRECTORY, address.kind());
        assertEquals(Optional.of(base.resolve("db/kms50")), address.directory());
        assertEquals("jdbc:derby:" + base.resolve("db/kms50"), address.url());
        assertTrue(address.isEmbedded());
        assertFalse(address.isReadOnly());
    }

    @Test
    void directoryUrlKeepsOrdinaryAttributesInTheUrlButNotInTheDisplay() {
        DatabaseAddress address = DatabaseAddress.parse("target", "jdbc:derby:db/kms55;territory=de_DE;collation=UCS_BASIC", base);

        assertEquals("jdbc:derby:" + base.resolve("db/kms55") + ";territory=de_DE;collation=UCS_BASIC", address.url());
        assertEquals(base.resolve("db/kms55").toString(), address.display());
    }

    @Test
    void memoryUrlIsEmbeddedWritableAndHasNoDirectory() {
        DatabaseAddress address = DatabaseAddress.parse("target", "jdbc:derby:memory:kms55", base);

        assertEquals(DatabaseAddress.Kind.MEMORY, address.kind());
        assertEquals("jdbc:derby:memory:kms55", address.url());
        assertEquals(Optional.empty(), address.directory());
        assertTrue(address.isEmbedded());
        assertFalse(address.isReadOnly());
        assertFalse(address.existsOnDisk());
    }

    @Test
    void jarUrlResolvesTheArchivePathAndIsReadOnly() {
        DatabaseAddress address = DatabaseAddress.parse("source", "jdbc:derby:jar:(archives/kms.zip)legacy/kms50", base);

        assertEquals(DatabaseAddress.Kind.ARCHIVE, address.kind());
        assertEquals("jdbc:derby:jar:(" + base.resolve("archives/kms.zip") + ")legacy/kms50", address.url());
        assertEquals(Optional.empty(), address.directory());
        assertTrue(address.isEmbedded());
        assertTrue(address.isReadOnly());
    }

    @Test
    void jarUrlWithoutParenthesesIsRefused() {
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> DatabaseAddress.parse("source", "jdbc:derby:jar:archives/kms.zip", base));
        assertEquals(Messages.format(Messages.URL_NOT_DERBY, "source", "jdbc:derby:jar:archives/kms.zip"), refused.getMessage());
    }

    @Test
    void classpathUrlIsAnEmbeddedReadOnlyArchive() {
        DatabaseAddress address = DatabaseAddress.parse("source", "jdbc:derby:classpath:db/kms50", base);

        assertEquals(DatabaseAddress.Kind.ARCHIVE, address.kind());
        assertEquals("jdbc:derby:classpath:db/kms50", address.url());
        assertTrue(address.isEmbedded());
        assertTrue(address.isReadOnly());
    }

    @Test
    void networkUrlIsNeitherEmbeddedNorReadOnly() {
        DatabaseAddress address = DatabaseAddress.parse("target", "jdbc:derby://db.example.org:1527/kms55;ssl=basic", base);

        assertEquals(DatabaseAddress.Kind.NETWORK, address.kind());
        assertEquals("jdbc:derby://db.example.org:1527/kms55;ssl=basic", address.url());
        assertEquals("jdbc:derby://db.example.org:1527/kms55", address.display());
        assertEquals(Optional.empty(), address.directory());
        assertFalse(address.isEmbedded());
        assertFalse(address.isReadOnly());
    }

    @ParameterizedTest
    @CsvSource({
            "password, KMS_SOURCE_PASSWORD",
            "PASSWORD, KMS_SOURCE_PASSWORD",
            "bootPassword, KMS_SOURCE_BOOT_PASSWORD",
            "encryptionKey, KMS_SOURCE_BOOT_PASSWORD",
            "newBootPassword, KMS_SOURCE_BOOT_PASSWORD",
            "newEncryptionKey, KMS_SOURCE_BOOT_PASSWORD"})
    void secretAttributesAreRefusedWithoutEchoingTheSecret(String attribute, String variable) {
        String url = "jdbc:derby://localhost:1527/kms50;user=kms;" + attribute + "=s3cr3t-value";
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> DatabaseAddress.parse("source", url, base));

        assertEquals(Messages.format(Messages.URL_HAS_SECRET, "source", attribute, "sourceServerId", variable), refused.getMessage());
        assertFalse(refused.getMessage().contains("s3cr3t-value"));
    }

    @Test
    void secretMessageNamesTheParameterTheServerIdAndTheEnvironmentVariable() {
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> DatabaseAddress.parse("target", "jdbc:derby:memory:kms;bootPassword=abc", base));
        assertEquals("<target> carries a 'bootPassword' attribute in clear. Remove it and put the secret in settings.xml "
                + "(a <server> named by <targetServerId>) or in the environment variable KMS_TARGET_BOOT_PASSWORD.", refused.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            "jdbc:derby:db/kms55;create=true, create",
            "jdbc:derby:memory:kms55;Create=true, Create",
            "jdbc:derby:db/kms55;shutdown=true, shutdown",
            "jdbc:derby:memory:kms55;drop=true, drop",
            "jdbc:derby://localhost:1527/kms55;territory=en_US;upgrade=true, upgrade",
            "jdbc:derby:db/kms55;restoreFrom=/backup/kms55, restoreFrom",
            "jdbc:derby:db/kms55;createFrom=/backup/kms55, createFrom"})
    void lifecycleAttributesAreRefused(String url, String named) {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> DatabaseAddress.parse("target", url, base));
        assertEquals(Messages.format(Messages.URL_HAS_LIFECYCLE_ATTRIBUTE, "target", named), refused.getMessage());
    }

    @Test
    void lifecycleMessageIsExact() {
        KmsUsageException refused = assertThrows(KmsUsageException.class,
                () -> DatabaseAddress.parse("target", "jdbc:derby:memory:kms55;create=true", base));
        assertEquals("<target> carries the Derby attribute 'create'. Remove it: KMS Gate creates, boots and shuts down databases itself.",
                refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://localhost/kms", "jdbc:h2:mem:kms", "jdbc:derbyx:kms"})
    void nonDerbyUrlsAreRefused(String url) {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> DatabaseAddress.parse("source", url, base));
        assertEquals(Messages.format(Messages.URL_NOT_DERBY, "source", url), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankParameterIsRefusedAsNotSet(String spec) {
        KmsUsageException refused = assertThrows(KmsUsageException.class, () -> DatabaseAddress.parse("source", spec, base));
        assertEquals("<source> is not set. Set it to a directory (embedded Derby) or a jdbc:derby: URL.", refused.getMessage());
        assertEquals(Messages.format(Messages.PARAMETER_REQUIRED, "source"),
                assertThrows(KmsUsageException.class, () -> DatabaseAddress.parse("source", null, base)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "db/kms50",
            "jdbc:derby:db/kms50;user=kms-admin",
            "jdbc:derby:memory:kms50;user=kms-admin",
            "jdbc:derby:classpath:kms50;user=kms-admin",
            "jdbc:derby:jar:(kms.zip)kms50;user=kms-admin",
            "jdbc:derby://localhost:1527/kms50;user=kms-admin;ssl=basic"})
    void displayNeverShowsAttributesOrCredentials(String spec) {
        DatabaseAddress address = DatabaseAddress.parse("source", spec, base);
        assertFalse(address.display().contains(";"), address.display());
        assertFalse(address.display().contains("kms-admin"), address.display());
        assertEquals(address.display(), address.toString());
    }

    @Test
    void addressesAreEqualWhenTheyNameTheSameDatabaseWithTheSameAttributes() {
        DatabaseAddress a = DatabaseAddress.parse("source", "db/kms50", base);
        DatabaseAddress b = DatabaseAddress.parse("target", "jdbc:derby:directory:" + base.resolve("db/kms50"), base);
        DatabaseAddress c = DatabaseAddress.parse("target", "jdbc:derby:db/kms50;territory=en_US", base);

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertFalse(a.equals(c));
    }

    @Test
    void credentialsNeverShowPasswords() {
        Credentials credentials = new Credentials("kms", "pa55word", "b00t-secret", "server 'kms-source'");

        assertEquals("Credentials[user=kms, password=****, bootPassword=****, from server 'kms-source']", credentials.toString());
        assertFalse(credentials.toString().contains("pa55word"));
        assertFalse(credentials.toString().contains("b00t-secret"));
        assertEquals("Credentials[user=null, password=none, bootPassword=none, from none]", Credentials.NONE.toString());
    }

    @Test
    void credentialsReachDerbyOnlyAsConnectionProperties() {
        Properties properties = new Credentials("kms", "pa55word", "b00t-secret", "environment").toProperties();

        assertEquals("kms", properties.getProperty("user"));
        assertEquals("pa55word", properties.getProperty("password"));
        assertEquals("b00t-secret", properties.getProperty("bootPassword"));
        assertEquals(3, properties.size());
        assertTrue(Credentials.NONE.toProperties().isEmpty());
    }

    @Test
    void credentialsComeFromTheRolesEnvironmentVariables() {
        Credentials credentials = Credentials.fromEnvironment("target", Map.of(
                "KMS_TARGET_USER", "kms", "KMS_TARGET_PASSWORD", "pa55word", "KMS_SOURCE_PASSWORD", "other"));

        assertEquals(new Credentials("kms", "pa55word", null, "environment"), credentials);
        assertEquals("Credentials[user=kms, password=****, bootPassword=none, from environment]", credentials.toString());
        assertSame(Credentials.NONE, Credentials.fromEnvironment("target", Map.of("KMS_SOURCE_PASSWORD", "other")));
    }
}
