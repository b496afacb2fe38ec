package dev.kmsgate.kms.report;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.Growth;
import dev.kmsgate.kms.gate.RegressionGate;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.verify.VerificationReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every JUnit XML file the verify goal and the gate write validates against Surefire's
 * {@code surefire-test-report.xsd} (Surefire's own, unpacked from its source release), a goal's earlier files never
 * outlive a new run, and two targets of the same name get two reports. Real databases throughout.
 */
class JUnitXmlSchemaTest {

    @TempDir
    static Path dir;
    private static Schema schema;
    private static DatabaseAddress source;
    private static DatabaseAddress a;
    private static DatabaseAddress b;

    @BeforeAll
    static void convertTwoTargetsOfTheSameName() throws Exception {
        // Surefire's own schema, unpacked from its source release by the build (plugin/pom.xml)
        Path xsd = Path.of(System.getProperty("kms.surefireSchema", "target/surefire-schema/surefire-test-report.xsd"));
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        schema = factory.newSchema(xsd.toFile());
        source = Fixtures.generate(dir, new Profile(20, 8, 3, 2, 3, 1, 5L));
        a = Fixtures.address(dir.resolve("a"), "kms55");
        b = Fixtures.address(dir.resolve("b"), "kms55");
        Fixtures.convert(source, a, 7, Strategy.CHUNKED);
        Fixtures.convert(source, b, 7, Strategy.CHUNKED);
    }

    @AfterAll
    static void shutdown() {
        Fixtures.shutdown(source, a, b);
    }

    private static void validate(Path xml) throws IOException {
        try {
            schema.newValidator().validate(new StreamSource(xml.toFile()));
        } catch (SAXException e) {
            throw new AssertionError(xml.getFileName() + " is not valid against surefire-test-report.xsd: " + e.getMessage(), e);
        }
    }

    private static List<Path> junitFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        }
    }

    private static Set<String> names(Path directory) throws IOException {
        Set<String> names = new TreeSet<>();
        junitFiles(directory).forEach(f -> names.add(f.getFileName().toString()));
        return names;
    }

    private static Element root(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
    }

    private static List<String> failureTypes(Path xml) throws Exception {
        NodeList failures = root(xml).getElementsByTagName("failure");
        List<String> types = new ArrayList<>();
        for (int i = 0; i < failures.getLength(); i++) {
            types.add(((Element) failures.item(i)).getAttribute("type"));
        }
        return types;
    }

    @Test
    void theSchemaRejectsWhatTheWriterUsedToWrite() throws Exception {
        // the check can fail: a timestamp attribute, as the writer used to add, is not in the schema
        Path old = dir.resolve("old/TEST-old.xml");
        Files.createDirectories(old.getParent());
        Files.writeString(old, "<testsuite name=\"x\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\" "
                + "timestamp=\"2026-01-01T00:00:00Z\"/>");
        AssertionError invalid = assertThrows(AssertionError.class, () -> validate(old));
        assertTrue(invalid.getMessage().contains("timestamp"), invalid.getMessage());
    }

    @Test
    void aPassingVerificationAfterAFailingOneLeavesOnlyItsPassingReport() throws Exception {
        Path reports = dir.resolve("verify-reports");
        String serial;
        Timestamp revokedAt;
        short reason;
        try (Connection c = Fixtures.open(a); PreparedStatement select = c.prepareStatement(
                "SELECT SERIAL, REVOKED_AT, REVOCATION_REASON FROM KMS55.CERTIFICATES WHERE STATUS = 'R' ORDER BY SERIAL");
             ResultSet rs = select.executeQuery()) {
            assertTrue(rs.next());
            serial = rs.getString(1);
            revokedAt = rs.getTimestamp(2, Sql.utc());
            reason = rs.getShort(3);
            rs.close();
            Sql.update(c, "UPDATE KMS55.CERTIFICATES SET STATUS = 'V', REVOKED_AT = NULL, REVOCATION_REASON = NULL WHERE SERIAL = ?", serial);
            c.commit();
        }
        VerificationReport failing = Fixtures.verify(source, a);
        assertFalse(failing.passed());
        VerificationReports.write(reports, failing);
        Path xml = reports.resolve("TEST-kms.verify.kms55.xml");
        validate(xml);
        assertEquals("2", root(xml).getAttribute("failures"));
        List<String> types = failureTypes(xml);
        assertEquals(List.of("4 revocation counts", "5 revoked serials"), types);
        for (String type : types) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(type), "a failure's type names no class");
        }

        try (Connection c = Fixtures.open(a)) {
            Sql.update(c, "UPDATE KMS55.CERTIFICATES SET STATUS = 'R', REVOKED_AT = ?, REVOCATION_REASON = ? WHERE SERIAL = ?",
                    revokedAt, reason, serial);
            c.commit();
        }
        VerificationReport passing = Fixtures.verify(source, a);
        assertTrue(passing.passed());
        VerificationReports.write(reports, passing);

        assertEquals(Set.of("TEST-kms.verify.kms55.xml"), names(reports));
        validate(xml);
        assertEquals("0", root(xml).getAttribute("failures"));
    }

    @Test
    void twoTargetsOfTheSameNameGetTwoReportsThatStayApartOnTheNextRun() throws Exception {
        Path reports = dir.resolve("same-name-reports");
        VerificationReport first = Fixtures.verify(source, a);
        VerificationReport second = Fixtures.verify(source, b);
        assertEquals(first.name(), second.name());
        for (int run = 1; run <= 2; run++) {
            Path firstJson = VerificationReports.write(reports, first);
            Path secondJson = VerificationReports.write(reports, second);
            assertNotEquals(firstJson, secondJson);
            assertEquals(reports.resolve("kms-verify-kms55.json"), firstJson);
            Set<String> names = names(reports);
            assertEquals(2, names.size(), names::toString);
            assertTrue(names.contains("TEST-kms.verify.kms55.xml"), names::toString);
            String other = names.stream().filter(n -> !n.equals("TEST-kms.verify.kms55.xml")).findFirst().orElseThrow();
            assertTrue(other.matches("TEST-kms\\.verify\\.kms55-[0-9a-f]{8}\\.xml"), other);
            assertEquals("kms-verify-" + other.substring("TEST-kms.verify.".length(), other.length() - ".xml".length()) + ".json",
                    secondJson.getFileName().toString());
            assertEquals(a.display(), ReportFiles.targetOf(reports.resolve("TEST-kms.verify.kms55.xml")));
            assertEquals(b.display(), ReportFiles.targetOf(reports.resolve(other)));
            for (Path xml : junitFiles(reports)) {
                validate(xml);
            }
        }
    }

    @Test
    void everyGateReportValidatesAndAPassingGateRemovesTheFilesOfAFailingOne() throws Exception {
        Path reports = dir.resolve("gate-reports");
        Path work = dir.resolve("gate-work");
        KmsLog log = KmsLog.silent();

        GateReport failing = new RegressionGate(log).run(new RegressionGate.Settings(3, Strategy.SINGLE_TRANSACTION, List.of(), 2, 3, 1L, 5,
                work, null));
        assertFalse(failing.passed());
        GateReports.write(reports, failing);
        assertEquals(Set.of("TEST-kms.regression.0.xml", "TEST-kms.regression.1.xml", "TEST-kms.regression.C-1.xml",
                "TEST-kms.regression.C.xml", "TEST-kms.regression.C+1.xml", "TEST-kms.regression.2C+1.xml", "TEST-kms.regression.3C.xml",
                "TEST-kms.regression.dirty.xml", "TEST-kms.regression.self-proof.xml"), names(reports));
        for (Path xml : junitFiles(reports)) {
            validate(xml);
        }
        List<String> types = failureTypes(reports.resolve("TEST-kms.regression.C+1.xml"));
        assertEquals(List.of("conversion", "7 conversion record"), types);

        // another verify goal's report in the same directory is not the gate's to remove
        VerificationReports.write(reports, Fixtures.verify(source, a));
        GateReport passing = new RegressionGate(log).run(new RegressionGate.Settings(3, Strategy.CHUNKED, List.of(), 2, 4, 1L, 5,
                work, null));
        assertTrue(passing.passed(), passing::failureMessage);
        GateReports.write(reports, passing);

        assertEquals(Set.of("TEST-kms.regression.0.xml", "TEST-kms.regression.1.xml", "TEST-kms.regression.C-1.xml",
                "TEST-kms.regression.C.xml", "TEST-kms.regression.C+1.xml", "TEST-kms.regression.2C+1.xml", "TEST-kms.regression.4C.xml",
                "TEST-kms.regression.dirty.xml", "TEST-kms.regression.self-proof.xml", "TEST-kms.verify.kms55.xml"), names(reports));
        for (Path xml : junitFiles(reports)) {
            validate(xml);
            assertEquals("0", root(xml).getAttribute("failures"), xml.getFileName().toString());
        }
    }

    @Test
    void theScalingProofsSuiteValidatesPassingAndFailing() throws Exception {
        Path reports = dir.resolve("scaling-reports");
        Growth linear = new Growth("scale-1x", "scale-8x", 2_549, 20_387, 8_080, Duration.ofMillis(90), Duration.ofMillis(350),
                Duration.ofMillis(2_200), null);
        Growth quadratic = new Growth("scale-1x", "scale-8x", 2_549, 20_387, 8_080, Duration.ofMillis(90), Duration.ofMillis(350),
                Duration.ofMillis(10_500), null);

        Path passing = JUnitXml.write(reports.resolve("pass"), GateReports.scalingSuite(linear));
        Path failing = JUnitXml.write(reports.resolve("fail"), GateReports.scalingSuite(quadratic));

        for (Path xml : List.of(passing, failing)) {
            validate(xml);
            assertEquals("TEST-kms.regression.scaling-proof.xml", xml.getFileName().toString());
            assertEquals("work grows linearly with the data",
                    ((Element) root(xml).getElementsByTagName("testcase").item(0)).getAttribute("name"));
        }
        assertEquals("0", root(passing).getAttribute("failures"));
        assertEquals("1", root(failing).getAttribute("failures"));
        assertEquals(quadratic.line(), ((Element) root(failing).getElementsByTagName("failure").item(0)).getAttribute("message"));
    }
}
