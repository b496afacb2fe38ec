package dev.kmsgate.kms.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.inject.Inject;
import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three goals wired together through the real plugin descriptor, on a project in a temporary
 * directory: each goal's defaults name the same databases, so generate, convert and verify chain
 * without a single path configured.
 */
@MojoTest
class KmsGoalsTest {

    @TempDir
    Path dir;

    @Inject
    MavenProject project;

    @BeforeEach
    void projectInTemporaryDirectory() throws Exception {
        MojoExtension.setVariableValueToObject(project, "basedir", dir.toFile());
        project.getBuild().setDirectory(dir.resolve("target").toString());
    }

    @AfterEach
    void shutdownDatabases() {
        for (String name : List.of("kms50", "kms55")) {
            Path database = dir.resolve("target/kms").resolve(name);
            Databases.shutdown(DatabaseAddress.parse(name, database.toString(), dir), Credentials.NONE);
        }
    }

    /*
     * Profile: 12 users = 24 certificates + 3 orphans = 27; 12 + 1 + 1 orphan key = 14 keys;
     * 9 revoked + 3 duplicate + 2 unknown + 1 revoked orphan = 15 CRL rows over 12 serials, 9 of them
     * name a converted certificate, 3 are unmatched; orphan certificate 2's key is quarantined with
     * the orphan key. Row changes: 12 + 27 + 14 + 3 unmatched = 56, plus 7 bookkeeping = 63, in 16
     * transactions: 2 user chunks (7 + 5), 7 serial chunks (6 x 7 + 2), 7 bookkeeping commits.
     */
    @Test
    void generateConvertVerifyChainOnDefaultsAndWritesAPassingJUnitReport(
            @InjectMojo(goal = "generate")
            @MojoParameter(name = "users", value = "12")
            @MojoParameter(name = "revoked", value = "9")
            @MojoParameter(name = "duplicateRevocations", value = "3")
            @MojoParameter(name = "orphanRevocations", value = "2")
            @MojoParameter(name = "orphanCertificates", value = "3")
            @MojoParameter(name = "orphanKeys", value = "1")
            @MojoParameter(name = "seed", value = "11")
            GenerateMojo generate,
            @InjectMojo(goal = "convert")
            @MojoParameter(name = "transactionCapacity", value = "7")
            ConvertMojo convert,
            @InjectMojo(goal = "verify")
            VerifyMojo verify) throws Exception {
        RecordingLog generateLog = new RecordingLog();
        RecordingLog convertLog = new RecordingLog();
        RecordingLog verifyLog = new RecordingLog();
        generate.setLog(generateLog);
        convert.setLog(convertLog);
        verify.setLog(verifyLog);
        // Maven's SettingsDecrypter reaches the goals through JSR-330 injection, not the deprecated @Component
        assertTrue(verify.settingsDecrypter != null && convert.settingsDecrypter != null && generate.settingsDecrypter != null);
        Path kms50 = dir.resolve("target/kms/kms50");
        Path kms55 = dir.resolve("target/kms/kms55");

        generate.execute();
        convert.execute();
        verify.execute();

        List<String> generated = new ArrayList<>(generateLog.shownLines());
        assertEquals(2, generated.size(), generateLog.lines()::toString);
        // it says what it starts before it signs anything
        assertEquals("[info] Generating " + kms50 + " from profile [12 users, 9 revoked (+3 duplicate CRL rows), 2 orphan revocations, "
                + "3 orphan certificates, 1 orphan keys, seed 11]: 27 certificates to sign.", generated.remove(0));
        assertTrue(generated.get(0).matches(quote("[info] Generated " + kms50
                + ": 12 users, 27 certificates, 14 keys, 15 CRL rows in ") + "\\d+\\.\\d s\\."), generateLog.lines()::toString);

        List<String> converted = convertLog.shownLines();
        assertEquals(2, converted.size(), converted::toString);
        assertEquals("[info] Converting " + kms50 + " into " + kms55
                + " (strategy chunked, transactionCapacity 7): 12 users, 27 certificates, 14 keys, 15 CRL rows.", converted.get(0));
        assertTrue(converted.get(1).matches(quote("[info] Converted " + kms55 + " in ") + "\\d+\\.\\d"
                + quote(" s: 63 row changes in 16 transactions, the largest 7 (capacity 7); "
                + "9 revoked, 3 unmatched revocations, 3 certificates and 2 keys quarantined.")), converted.get(1));

        List<String> verified = new ArrayList<>(verifyLog.lines());
        assertEquals(10, verified.size(), verified::toString);
        assertEquals("[info] Report: " + dir.resolve("target/kms-reports/index.html").toAbsolutePath(), verified.remove(9));
        assertTrue(Files.isRegularFile(dir.resolve("target/kms-reports/kms-verify-kms55.html")));
        // it says what it starts before it streams anything
        assertEquals("[info] Verifying " + kms55 + " against " + kms50 + ": 12 users, 27 certificates, 14 keys, 15 CRL rows.",
                verified.remove(0));
        String record = verified.remove(6);
        String summary = verified.remove(6);
        assertEquals(List.of(
                "[info]   PASSED  invariant 1 (users): 12 users in source and target",
                "[info]   PASSED  invariant 2 (certificates): 27 certificates in source and target",
                "[info]   PASSED  invariant 3 (keys): 14 keys in source and target",
                "[info]   PASSED  invariant 4 (revocation counts): 12 distinct CRL serials; target has 9 revoked + 3 unmatched = 12; "
                        + "9 CRL serials name a converted certificate, 9 are revoked",
                "[info]   PASSED  invariant 5 (revoked serials): 12 of 12 revoked serials carry their effective revocation",
                "[info]   PASSED  invariant 6 (row equality): 53 of 53 source rows have an equal target row"), verified);
        assertTrue(record.matches(quote("[info]   PASSED  invariant 7 (conversion record): a finished conversion of this source (fingerprint ")
                + "[0-9a-f]{12}\\)"), record);
        // 12 + 27 + 14 + 15 = 68 source rows; 12 + (24 + 3) + (12 + 2) + 3 = 56 target rows
        assertTrue(summary.matches(quote("[info] Verified " + kms55 + " against " + kms50
                + ": 7 of 7 invariants hold (124 rows compared in ") + "\\d+\\.\\d s\\)\\."), summary);

        Path reports = dir.resolve("target/kms-reports");
        Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(reports.resolve("TEST-kms.verify.kms55.xml").toFile()).getDocumentElement();
        assertEquals("kms.verify.kms55", suite.getAttribute("name"));
        assertEquals("7", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals("0", suite.getAttribute("errors"));
        assertEquals("0", suite.getAttribute("skipped"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(7, cases.getLength());
        assertEquals(0, suite.getElementsByTagName("failure").getLength());

        JsonNode json = new ObjectMapper().readTree(reports.resolve("kms-verify-kms55.json").toFile());
        assertTrue(json.get("passed").asBoolean());
        assertEquals(7, json.get("invariants").size());
        assertEquals(12, json.get("invariants").get(3).get("expected").asLong());
        assertEquals(53, json.get("invariants").get(5).get("actual").asLong());
    }

    @Test
    @MojoParameter(name = "skip", value = "true")
    void everyGoalSaysItSkippedAndWritesNothing(
            @InjectMojo(goal = "generate") GenerateMojo generate,
            @InjectMojo(goal = "convert") ConvertMojo convert,
            @InjectMojo(goal = "verify") VerifyMojo verify) throws Exception {
        RecordingLog log = new RecordingLog();
        generate.setLog(log);
        convert.setLog(log);
        verify.setLog(log);

        generate.execute();
        convert.execute();
        verify.execute();

        assertEquals(List.of(
                "[info] Skipping kms:generate (skip is true, -Dkms.skip).",
                "[info] Skipping kms:convert (skip is true, -Dkms.skip).",
                "[info] Skipping kms:verify (skip is true, -Dkms.skip)."), log.lines());
        assertFalse(Files.exists(dir.resolve("target")));
    }

    @Test
    @InjectMojo(goal = "verify")
    void verifyWithoutASourceIsAnExecutionErrorNamingTheDefaultLocation(VerifyMojo verify) {
        verify.setLog(new RecordingLog());
        MojoExecutionException error = assertThrows(MojoExecutionException.class, verify::execute);

        assertEquals("<source> names " + dir.resolve("target/kms/kms50") + ", but there is no database there. Check the path, "
                + "or run kms:generate first to build a legacy database.", error.getMessage());
        assertEquals(Messages.format(Messages.DATABASE_MISSING, "source", dir.resolve("target/kms/kms50")), error.getMessage());
        assertFalse(Files.exists(dir.resolve("target/kms-reports")), "no report for a verification that could not run");
    }

    private static String quote(String text) {
        return java.util.regex.Pattern.quote(text);
    }
}
