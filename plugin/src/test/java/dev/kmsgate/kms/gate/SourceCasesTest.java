package dev.kmsgate.kms.gate;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.DatabaseDigest;
import dev.kmsgate.kms.store.Databases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A team's own legacy databases as cases: judged like the generated ones, and never written. */
class SourceCasesTest {

    @TempDir
    Path dir;

    private static final Profile KEPT = new Profile(30, 12, 4, 3, 5, 2, 42L);

    private static Map<String, String> digest(DatabaseAddress address) throws SQLException {
        try (Connection connection = Databases.openReadOnly(address, Credentials.NONE)) {
            Map<String, String> digest = DatabaseDigest.of(connection);
            connection.rollback();
            return digest;
        }
    }

    private static void zip(Path directory, Path archive) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out);
             Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new ZipEntry("kept/" + directory.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
    }

    @Test
    void aKeptDatabaseInADirectoryAndInAZipIsConvertedVerifiedAndNeverWritten() throws Exception {
        DatabaseAddress kept = Fixtures.generate(dir.resolve("kept-dir"), KEPT);
        Fixtures.shutdown(kept);
        Path archive = dir.resolve("kept.zip");
        zip(kept.directory().orElseThrow(), archive);
        Map<String, String> before = digest(kept);
        Fixtures.shutdown(kept);
        DatabaseAddress zipped = DatabaseAddress.parse("source", "kept.zip", dir);
        assertEquals(DatabaseAddress.Kind.ARCHIVE, zipped.kind());
        assertEquals("jdbc:derby:jar:(" + archive + ")kept", zipped.url());

        List<GateCase> cases = List.of(GateCase.ofSource("kept-directory", Database.of(kept)),
                GateCase.ofSource("kept-zip", Database.of(zipped)));
        GateReport report = new RegressionGate(KmsLog.silent()).run(new RegressionGate.Settings(7, Strategy.CHUNKED, cases, 2, 3, 1L, 5,
                dir.resolve("gate"), null));

        assertTrue(report.passed(), report::failureMessage);
        for (CaseResult result : report.cases().subList(report.cases().size() - 2, report.cases().size())) {
            // read from the database itself: the same counts as the profile it was generated from
            assertEquals(CaseSize.of(KEPT), result.size(), result.gateCase().name());
            assertTrue(result.verification().passed());
            assertTrue(result.largestTransaction() <= 7);
        }
        assertEquals(before, digest(kept), "the kept database was written");
    }
}
