package dev.kmsgate.kms.report;

import dev.kmsgate.kms.Sha256;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which report files a goal owns: before writing, each goal removes the files it wrote on an
 * earlier run, so a CI server never shows an old failure, and never removes another goal's files.
 *
 * <ul>
 *   <li>The gate owns every {@code TEST-kms.regression.*.xml}: it writes them all at once.</li>
 *   <li>{@code kms:verify} owns the files whose suite names its own target (the {@code target}
 *       property). Several verify executions may share one reports directory, so a report is named
 *       after the target's last path element, {@code TEST-kms.verify.<name>.xml}, and when that
 *       file names another target, {@code TEST-kms.verify.<name>-<hash>.xml}, with the first 8 hex
 *       digits of the SHA-256 of the target's full location.</li>
 * </ul>
 */
final class ReportFiles {

    private static final Pattern GATE_FILE = Pattern.compile("TEST-kms\\.regression\\..*\\.xml");
    /** A shard's JSON summary and page: {@code kms-regression-shard-2-of-3.json}. */
    private static final Pattern SHARD_FILE = Pattern.compile("kms-regression-shard-\\d+-of-\\d+\\.(json|html)");
    /** A whole run's JSON summary and page. */
    private static final List<String> WHOLE_RUN_FILES = List.of("kms-regression.json", "kms-regression.html");
    private static final String VERIFY_PREFIX = "kms.verify.";

    private ReportFiles() {
    }

    /** Removes every JUnit XML file an earlier run of the gate wrote into the directory, and every shard's summary and page. */
    static void clearGate(Path directory) {
        for (Path file : files(directory, "TEST-*.xml")) {
            if (GATE_FILE.matcher(file.getFileName().toString()).matches()) {
                delete(file);
            }
        }
        for (Path file : files(directory, "kms-regression-shard-*")) {
            if (SHARD_FILE.matcher(file.getFileName().toString()).matches()) {
                delete(file);
            }
        }
    }

    /**
     * What a shard removes: the JUnit XML files of its own suites, which it rewrites, and a whole
     * run's summary and page, which its results would contradict; never another shard's files.
     */
    static void clearShard(Path directory, List<String> suiteNames) {
        for (String suite : suiteNames) {
            delete(directory.resolve(junitFileName(suite)));
        }
        for (String whole : WHOLE_RUN_FILES) {
            delete(directory.resolve(whole));
        }
    }

    /**
     * Removes the files an earlier verification of this target wrote, and returns the name its
     * reports take now: {@code name}, unless a report of another target already holds it.
     */
    static String claimVerifyName(Path directory, String name, String target) {
        String hashed = name + "-" + hash(target);
        for (String candidate : new String[] {name, hashed}) {
            Path xml = directory.resolve(junitFileName(VERIFY_PREFIX + candidate));
            if (Files.isRegularFile(xml) && target.equals(targetOf(xml))) {
                delete(xml);
                delete(directory.resolve("kms-verify-" + candidate + ".json"));
            }
        }
        return Files.exists(directory.resolve(junitFileName(VERIFY_PREFIX + name))) ? hashed : name;
    }

    /** {@code TEST-<suite name>.xml}. */
    static String junitFileName(String suiteName) {
        return "TEST-" + suiteName + ".xml";
    }

    /** The {@code target} property of a JUnit XML file KMS Gate wrote, or null if it has none or cannot be read. */
    static String targetOf(Path xml) {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        try (InputStream in = Files.newInputStream(xml)) {
            XMLStreamReader reader = factory.createXMLStreamReader(in);
            try {
                while (reader.hasNext()) {
                    if (reader.next() == XMLStreamReader.START_ELEMENT) {
                        String element = reader.getLocalName();
                        if (element.equals("testcase")) {
                            return null; // the properties come first
                        }
                        if (element.equals("property") && "target".equals(reader.getAttributeValue(null, "name"))) {
                            return reader.getAttributeValue(null, "value");
                        }
                    }
                }
                return null;
            } finally {
                reader.close();
            }
        } catch (IOException | XMLStreamException e) {
            return null; // not a report of ours: leave it alone
        }
    }

    private static String hash(String target) {
        return Sha256.hex(target).substring(0, 8);
    }

    private static List<Path> files(Path directory, String glob) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, glob)) {
            List<Path> files = new ArrayList<>();
            stream.forEach(files::add);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the earlier report " + file, e);
        }
    }
}
