package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.maven.ConvertMojo;
import dev.kmsgate.kms.maven.GenerateMojo;
import dev.kmsgate.kms.maven.VerifyMojo;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Sql;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets never leak. Known secrets are planted (a source boot password and user password with
 * Derby authentication on, a target boot password, wrong passwords in failing cases, a known
 * wrapped key and a tampered one), then generate, convert and verify run as goals with a log at
 * debug level (-X), succeeding and failing (wrong boot password, wrong user password, tampered
 * key). Every log line, every failure's full stack trace (-e), every report file, Derby's own log,
 * the target's bookkeeping rows and the JVM's standard output and error are searched for each
 * secret raw, in hex (upper and lower case) and in Base64 (standard, URL-safe, unpadded).
 */
class SecretsTest {

    private static final String USER = "kmsgate";
    private static final String SOURCE_BOOT = "Src-Boot-Secret-7f3a9c21";
    private static final String SOURCE_PASSWORD = "Src-User-Pw-Secret-91c2d7e6";
    private static final String TARGET_BOOT = "Tgt-Boot-Secret-5e8d0b44";
    private static final String TARGET_PASSWORD = "Tgt-User-Pw-Secret-30a1f9b8";
    private static final String WRONG_BOOT = "Wrong-Boot-Secret-c4e21a07";
    private static final String WRONG_PASSWORD = "Wrong-User-Pw-Secret-6b9d02f3";
    private static final byte[] PLANTED_KEY = "PLANTED-WRAPPED-KEY:0f1e2d3c4b5a69788796a5b4c3d2e1f0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAMPERED_KEY = "TAMPERED-WRAPPED-KEY:a1b2c3d4e5f60718293a4b5c6d7e8f90".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final MojoRunner.RecordingLog log = new MojoRunner.RecordingLog();
    private final List<String> traces = new ArrayList<>();

    private final Server source = MojoRunner.server("kms-source", USER, SOURCE_PASSWORD, SOURCE_BOOT);
    private final Server target = MojoRunner.server("kms-target", USER, TARGET_PASSWORD, TARGET_BOOT);
    private final Server wrongBoot = MojoRunner.server("kms-source-wrong-boot", USER, SOURCE_PASSWORD, WRONG_BOOT);
    private final Server wrongPassword = MojoRunner.server("kms-source-wrong-password", USER, WRONG_PASSWORD, SOURCE_BOOT);
    private final Server wrongTargetBoot = MojoRunner.server("kms-target-wrong-boot", USER, TARGET_PASSWORD, WRONG_BOOT);

    @Test
    void noSecretReachesALogLineAReportAnExceptionOrDerbysLog() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        Map<String, byte[]> secrets;
        String bookkeeping;
        try {
            secrets = runBuilds();
            bookkeeping = bookkeeping();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("log", String.join("\n", log.lines));
        outputs.put("stack traces", String.join("\n", traces));
        outputs.put("standard output and error", console.toString(StandardCharsets.UTF_8));
        outputs.put("target bookkeeping", bookkeeping);
        try (Stream<Path> files = Files.walk(dir.resolve("target"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".xml")
                    || f.toString().endsWith(".json") || f.toString().endsWith(".log")).toList()) {
                outputs.put(dir.relativize(file).toString(), Files.readString(file, StandardCharsets.ISO_8859_1));
            }
        }
        String derbyLog = System.getProperty("derby.stream.error.file");
        if (derbyLog != null && Files.isRegularFile(Path.of(derbyLog))) {
            outputs.put("derby.log", Files.readString(Path.of(derbyLog), StandardCharsets.ISO_8859_1));
        }

        // the outputs are real: the builds logged, failed, and wrote both kinds of report
        assertTrue(log.lines.size() > 10, log.lines::toString);
        assertEquals(4, traces.size());
        assertTrue(outputs.keySet().stream().anyMatch(k -> k.endsWith(".json")), outputs.keySet()::toString);
        assertTrue(outputs.keySet().stream().anyMatch(k -> k.contains("TEST-") && k.endsWith(".xml")), outputs.keySet()::toString);
        assertTrue(outputs.get("log").contains("WRAPPED_KEY differs"), "the tampered key was not found");
        // and the search finds a secret where there is one
        assertFalse(leaks(Map.of("planted key", PLANTED_KEY), Map.of("probe", "x" + HexFormat.of().withUpperCase().formatHex(PLANTED_KEY) + "y")).isEmpty());
        assertFalse(leaks(Map.of("boot", SOURCE_BOOT.getBytes(StandardCharsets.UTF_8)),
                Map.of("probe", Base64.getEncoder().encodeToString(SOURCE_BOOT.getBytes(StandardCharsets.UTF_8)))).isEmpty());

        assertEquals(List.of(), leaks(secrets, outputs));
    }

    /** Runs the builds; returns every secret by name. */
    private Map<String, byte[]> runBuilds() throws Exception {
        run(new GenerateMojo(), Map.of("database", "kms50", "users", 20, "revoked", 8, "duplicateRevocations", 3,
                "orphanRevocations", 2, "orphanCertificates", 3, "orphanKeys", 2, "seed", 5L, "overwrite", false,
                "databaseServerId", "kms-source"));
        DatabaseAddress sourceAddress = DatabaseAddress.parse("source", dir.resolve("kms50").toString(), dir);
        Credentials sourceCredentials = new Credentials(USER, SOURCE_PASSWORD, SOURCE_BOOT, "test");
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        String plantedSerial = plantKeyAndRequireAuthentication(sourceAddress, sourceCredentials, secrets);

        Map<String, Object> convert = convertParameters("kms55", "kms-source");
        run(new ConvertMojo(), convert);
        Map<String, Object> verify = verifyParameters("kms-target");
        run(new VerifyMojo(), verify);

        MojoExecutionException boot = assertThrows(MojoExecutionException.class,
                () -> run(new ConvertMojo(), convertParameters("kms55-other", "kms-source-wrong-boot")));
        assertEquals(Messages.format(Messages.WRONG_BOOT_PASSWORD, sourceAddress.display(), "sourceServerId", "KMS_SOURCE_BOOT_PASSWORD"),
                boot.getMessage());
        UserErrors.assertReadable(boot.getMessage());
        traces.add(MojoRunner.stackTrace(boot));

        MojoExecutionException password = assertThrows(MojoExecutionException.class,
                () -> run(new ConvertMojo(), convertParameters("kms55-other", "kms-source-wrong-password")));
        assertEquals(Messages.format(Messages.AUTHENTICATION_FAILED, sourceAddress.display(), "sourceServerId",
                "KMS_SOURCE_USER", "KMS_SOURCE_PASSWORD"), password.getMessage());
        UserErrors.assertReadable(password.getMessage());
        traces.add(MojoRunner.stackTrace(password));

        DatabaseAddress targetAddress = DatabaseAddress.parse("target", dir.resolve("kms55").toString(), dir);
        Credentials targetCredentials = new Credentials(USER, TARGET_PASSWORD, TARGET_BOOT, "test");
        try (Connection c = Databases.openExisting(targetAddress, targetCredentials)) {
            int tampered = Sql.update(c, "UPDATE KMS55.KEY_ARCHIVE SET WRAPPED_KEY = ? WHERE SERIAL = ?", TAMPERED_KEY, plantedSerial)
                    + Sql.update(c, "UPDATE KMS55.QUARANTINED_KEY SET WRAPPED_KEY = ? WHERE SERIAL = ?", TAMPERED_KEY, plantedSerial);
            assertEquals(1, tampered);
            c.commit();
        }
        Databases.shutdown(targetAddress, targetCredentials);
        MojoFailureException mismatch = assertThrows(MojoFailureException.class, () -> run(new VerifyMojo(), verify));
        traces.add(MojoRunner.stackTrace(mismatch));

        MojoExecutionException targetBoot = assertThrows(MojoExecutionException.class,
                () -> run(new VerifyMojo(), verifyParameters("kms-target-wrong-boot")));
        traces.add(MojoRunner.stackTrace(targetBoot));

        for (String password2 : List.of(SOURCE_BOOT, SOURCE_PASSWORD, TARGET_BOOT, TARGET_PASSWORD, WRONG_BOOT, WRONG_PASSWORD)) {
            secrets.put("password " + password2.substring(0, 12) + "...", password2.getBytes(StandardCharsets.UTF_8));
        }
        secrets.put("planted wrapped key", PLANTED_KEY);
        secrets.put("tampered wrapped key", TAMPERED_KEY);
        return secrets;
    }

    private Map<String, Object> convertParameters(String targetDirectory, String sourceServer) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("source", "kms50");
        parameters.put("target", targetDirectory);
        parameters.put("transactionCapacity", 7);
        parameters.put("strategy", "chunked");
        parameters.put("restart", false);
        parameters.put("progressSeconds", 1);
        parameters.put("sourceServerId", sourceServer);
        parameters.put("targetServerId", "kms-target");
        return parameters;
    }

    private Map<String, Object> verifyParameters(String targetServer) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("source", "kms50");
        parameters.put("target", "kms55");
        parameters.put("reportsDirectory", dir.resolve("target/kms-reports").toFile());
        parameters.put("mismatchLimit", 10);
        parameters.put("checkConversionRecord", true);
        parameters.put("sourceServerId", "kms-source");
        parameters.put("targetServerId", targetServer);
        return parameters;
    }

    private void run(AbstractMojo mojo, Map<String, Object> parameters) throws Exception {
        MojoRunner.configure(mojo, dir, log, parameters, source, target, wrongBoot, wrongPassword, wrongTargetBoot).execute();
    }

    /**
     * Replaces the first key with a known one, collects every wrapped key as a secret, and turns on
     * Derby authentication (BUILTIN, the user's password stored hashed) for the next boot.
     */
    private static String plantKeyAndRequireAuthentication(DatabaseAddress address, Credentials credentials,
                                                           Map<String, byte[]> secrets) throws Exception {
        String serial;
        try (Connection c = Databases.openExisting(address, credentials)) {
            serial = Sql.queryString(c, "SELECT MIN(SERIAL) FROM KMS50.KM_KEY");
            assertEquals(1, Sql.update(c, "UPDATE KMS50.KM_KEY SET WRAPPED_KEY = ? WHERE SERIAL = ?", PLANTED_KEY, serial));
            try (PreparedStatement keys = c.prepareStatement("SELECT SERIAL, WRAPPED_KEY FROM KMS50.KM_KEY");
                 ResultSet rs = keys.executeQuery()) {
                while (rs.next()) {
                    secrets.put("wrapped key " + rs.getString(1), rs.getBytes(2));
                }
            }
            for (String[] property : new String[][] {
                    {"derby.user." + USER, SOURCE_PASSWORD},
                    {"derby.authentication.provider", "BUILTIN"},
                    {"derby.connection.requireAuthentication", "true"}}) {
                try (PreparedStatement set = c.prepareStatement("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY(?, ?)")) {
                    set.setString(1, property[0]);
                    set.setString(2, property[1]);
                    set.execute();
                }
            }
            c.commit();
        }
        Databases.shutdown(address, credentials);
        return serial;
    }

    /** The target's bookkeeping rows as text (they record sources and run messages). */
    private String bookkeeping() throws Exception {
        DatabaseAddress address = DatabaseAddress.parse("target", dir.resolve("kms55").toString(), dir);
        Credentials credentials = new Credentials(USER, TARGET_PASSWORD, TARGET_BOOT, "test");
        StringBuilder text = new StringBuilder();
        try (Connection c = Databases.openExisting(address, credentials)) {
            for (String table : List.of("KMS55.KMS_CONVERSION", "KMS55.KMS_CONVERSION_RUN", "KMS55.KMS_CONVERSION_PHASE")) {
                text.append(String.join("\n", Tables.rows(c, table, "1"))).append('\n');
            }
            c.rollback();
        }
        Databases.shutdown(address, credentials);
        return text.toString();
    }

    /** Every (secret, encoding, output) where the encoded secret occurs, named but never shown. */
    private static List<String> leaks(Map<String, byte[]> secrets, Map<String, String> outputs) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
            for (Map.Entry<String, String> form : forms(secret.getValue()).entrySet()) {
                for (Map.Entry<String, String> output : outputs.entrySet()) {
                    if (output.getValue().contains(form.getValue())) {
                        found.add(secret.getKey() + " (" + form.getKey() + ") in " + output.getKey());
                    }
                }
            }
        }
        return found;
    }

    private static Map<String, String> forms(byte[] secret) {
        Map<String, String> forms = new LinkedHashMap<>();
        boolean printable = true;
        for (byte b : secret) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        if (printable) {
            forms.put("raw", new String(secret, StandardCharsets.US_ASCII));
        }
        forms.put("hex", HexFormat.of().formatHex(secret));
        forms.put("HEX", HexFormat.of().withUpperCase().formatHex(secret));
        forms.put("base64", Base64.getEncoder().encodeToString(secret));
        forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        forms.put("base64 unpadded", Base64.getEncoder().withoutPadding().encodeToString(secret));
        if (secret.length > 12) { // a prefix is a leak too
            byte[] head = java.util.Arrays.copyOf(secret, 12);
            forms.put("hex of the first 12 bytes", HexFormat.of().formatHex(head));
            forms.put("HEX of the first 12 bytes", HexFormat.of().withUpperCase().formatHex(head));
            forms.put("base64 of the first 12 bytes", Base64.getEncoder().encodeToString(head));
        }
        return forms;
    }
}
