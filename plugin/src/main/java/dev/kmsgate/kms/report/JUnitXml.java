package dev.kmsgate.kms.report;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link TestSuite} as the JUnit XML that Surefire writes ({@code TEST-<name>.xml}), with
 * the JDK's StAX writer, so CI servers list each invariant of each database as a test. The files
 * validate against Surefire's {@code surefire-test-report.xsd}: no attribute it does not
 * declare (it has no {@code timestamp}), times as seconds with three decimals, and a failure
 * {@code type} that names the check that failed rather than a class.
 */
final class JUnitXml {

    private JUnitXml() {
    }

    /** Writes {@code TEST-<suite name>.xml} into the directory and returns its path. */
    public static Path write(Path directory, TestSuite suite) {
        Path file = directory.resolve(ReportFiles.junitFileName(suite.name()));
        try {
            Files.createDirectories(directory);
            try (OutputStream out = Files.newOutputStream(file)) {
                XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
                xml.writeStartDocument("UTF-8", "1.0");
                xml.writeCharacters("\n");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", suite.name());
                xml.writeAttribute("tests", Integer.toString(suite.cases().size()));
                xml.writeAttribute("failures", Long.toString(suite.failures()));
                xml.writeAttribute("errors", "0");
                xml.writeAttribute("skipped", Long.toString(suite.skipped()));
                xml.writeAttribute("time", seconds(suite.seconds()));
                xml.writeCharacters("\n  ");
                xml.writeStartElement("properties");
                for (Map.Entry<String, String> property : suite.properties().entrySet()) {
                    xml.writeCharacters("\n    ");
                    xml.writeEmptyElement("property");
                    xml.writeAttribute("name", property.getKey());
                    xml.writeAttribute("value", String.valueOf(property.getValue()));
                }
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
                for (TestSuite.Case testCase : suite.cases()) {
                    xml.writeCharacters("\n  ");
                    writeCase(xml, suite.name(), testCase);
                }
                xml.writeCharacters("\n");
                xml.writeEndElement();
                xml.writeEndDocument();
                xml.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(new IOException("Cannot write " + file, e));
        }
        return file;
    }

    private static void writeCase(XMLStreamWriter xml, String suite, TestSuite.Case testCase) throws XMLStreamException {
        if (testCase.outcome() == TestSuite.Outcome.PASSED) {
            xml.writeEmptyElement("testcase");
            attributes(xml, suite, testCase);
            return;
        }
        xml.writeStartElement("testcase");
        attributes(xml, suite, testCase);
        xml.writeCharacters("\n    ");
        if (testCase.outcome() == TestSuite.Outcome.FAILED) {
            xml.writeStartElement("failure");
            xml.writeAttribute("message", testCase.message());
            xml.writeAttribute("type", failureType(testCase));
            xml.writeCharacters(testCase.detail() == null ? testCase.message() : testCase.detail());
            xml.writeEndElement();
        } else {
            xml.writeEmptyElement("skipped");
            xml.writeAttribute("message", testCase.message());
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
    }

    /**
     * What failed, for a failure's {@code type}: the test case's name up to its first colon
     * ({@code 4 revocation counts}, {@code conversion}), or the whole name. Surefire puts an
     * exception class there; no exception is behind a broken invariant, so no class is named.
     */
    static String failureType(TestSuite.Case testCase) {
        int colon = testCase.name().indexOf(':');
        return colon > 0 ? testCase.name().substring(0, colon) : testCase.name();
    }

    private static void attributes(XMLStreamWriter xml, String suite, TestSuite.Case testCase) throws XMLStreamException {
        xml.writeAttribute("name", testCase.name());
        xml.writeAttribute("classname", suite);
        xml.writeAttribute("time", seconds(testCase.seconds()));
    }

    private static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }
}
