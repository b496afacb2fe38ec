package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a conversion logs and records, line by line, for a fresh run, a resumed one and the reference defect. */
class ConversionLogTest {

    @TempDir
    Path dir;

    @AfterEach
    void shutdown() {
        Fixtures.shutdown(Fixtures.source(dir), Fixtures.target(dir));
    }

    private static ConversionSettings settings(DatabaseAddress source, DatabaseAddress target, int capacity, Strategy strategy,
                                               TransactionLedger ledger, Duration progress) {
        return new ConversionSettings(Database.of(source), Database.of(target), capacity, strategy, false, ledger, progress);
    }

    private static String seconds(ConversionResult result) {
        return String.format(Locale.ROOT, "%.1f", result.elapsed().toMillis() / 1000.0);
    }

    @Test
    void aFreshRunLogsWhatItConvertsAndWhatItDidAndRecordsTheSameNumbers() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, Fixtures.DIRTY);
        DatabaseAddress target = Fixtures.target(dir);
        List<String> lines = new ArrayList<>();
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult result = new Converter(Fixtures.logTo(lines)).convert(
                settings(source, target, 5, Strategy.CHUNKED, ledger, Duration.ofHours(1)));

        long crl = result.source().crlRows();
        assertEquals(List.of(
                "Converting " + source.display() + " into " + target.display() + " (strategy chunked, transactionCapacity 5): 40 users, "
                        + "89 certificates, 48 keys, " + crl + " CRL rows.",
                "Converted " + target.display() + " in " + seconds(result) + " s: 193 row changes in 45 transactions, the largest 5 "
                        + "(capacity 5); 25 revoked, 9 unmatched revocations, 9 certificates and 8 keys quarantined."), lines);
        assertEquals(List.of(193L, 45L, 5L), List.of(result.rowChanges(), result.transactions(), result.largestTransaction()));
        try (Connection c = Fixtures.open(target)) {
            assertEquals("FINISHED 193 45 5 chunked 5", Sql.queryString(c, "SELECT OUTCOME || ' ' || TRIM(CHAR(ROW_CHANGES)) || ' ' "
                    + "|| TRIM(CHAR(TRANSACTIONS)) || ' ' || TRIM(CHAR(LARGEST_TRANSACTION)) || ' ' || STRATEGY || ' ' "
                    + "|| TRIM(CHAR(CAPACITY)) FROM KMS55.KMS_CONVERSION_RUN"));
            assertEquals("FINISHED", Sql.queryString(c, "SELECT STATE FROM KMS55.KMS_CONVERSION"));
            assertEquals(List.of("KEYS 0", "SERIALS 146", "USERS 40"), List.of(
                    Sql.queryString(c, "SELECT PHASE || ' ' || TRIM(CHAR(ROW_CHANGES)) FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'KEYS'"),
                    Sql.queryString(c, "SELECT PHASE || ' ' || TRIM(CHAR(ROW_CHANGES)) FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'SERIALS'"),
                    Sql.queryString(c, "SELECT PHASE || ' ' || TRIM(CHAR(ROW_CHANGES)) FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'USERS'")));
            c.rollback();
        }
    }

    /** The "N of M rows" of each progress line. */
    private static List<String> progress(List<String> lines, String target) {
        Pattern line = Pattern.compile(Pattern.quote("convert " + target + ": ") + "(\\d+ of \\d+ rows \\(\\d+%\\)), .*");
        List<String> done = new ArrayList<>();
        for (String l : lines) {
            Matcher m = line.matcher(l);
            if (m.matches()) {
                done.add(m.group(1));
            }
        }
        return done;
    }

    @Test
    void aResumedRunLogsWhatTheEarlierRunsDidAndItsProgressGoesOnFromThere() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(6, 2, 0, 1, 0, 0, 3L));
        DatabaseAddress target = Fixtures.target(dir);
        // commits: 1 record, 2 run, 3 and 4 the 6 users, 5 USERS, 6 the first 5 serial rows; lost at 7
        TransactionLedger crashing = new TransactionLedger();
        crashing.crashAtCommit(7);
        assertThrows(StoreException.class, () -> new Converter(KmsLog.silent()).convert(
                settings(source, target, 5, Strategy.CHUNKED, crashing, Duration.ofHours(1))));

        long certificates;
        long keys;
        try (Connection c = Fixtures.open(target)) {
            certificates = Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.CERTIFICATES");
            keys = Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.KEY_ARCHIVE");
            assertEquals(0L, Sql.queryLong(c, "SELECT COUNT(*) FROM KMS55.UNMATCHED_REVOCATION"));
            c.rollback();
        }
        assertEquals(5, certificates + keys);
        List<String> lines = new ArrayList<>();
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult result = new Converter(Fixtures.logTo(lines)).convert(
                settings(source, target, 5, Strategy.CHUNKED, ledger, Duration.ZERO));

        // 6 users, 12 certificates, 6 keys: 24 rows; the earlier run's 5 serial rows were 3 certificates and 2 keys
        assertEquals("Resuming the conversion of " + source.display() + " into " + target.display() + " (strategy chunked, "
                + "transactionCapacity 5): 6 users, 12 certificates, 6 keys, 3 CRL rows.", lines.get(0));
        // one progress line per serial chunk, from the 11 rows the earlier run committed (6 users, 5 serial rows)
        List<String> progress = progress(lines, target.display());
        assertEquals(3, progress.size(), progress::toString);
        // the unmatched revocation is not one of the 24: the last line ends at 100 %, not beyond
        assertEquals(List.of("16 of 24 rows (66%)", "21 of 24 rows (87%)", "24 of 24 rows (100%)"), progress);
        assertEquals("The earlier runs committed 6 users, " + certificates + " certificates, " + keys + " keys and 0 unmatched "
                + "revocations; this run goes on after them.", lines.get(1));
        assertEquals("Resumed and finished " + target.display() + " in " + seconds(result) + " s: 20 row changes in 9 transactions in "
                + "this run, the largest 5 (capacity 5); 2 revoked, 1 unmatched revocations, 0 certificates and 0 keys quarantined.",
                lines.get(lines.size() - 1));
        assertEquals(List.of(1, 1, 5, 5, 4, 1, 1, 1, 1), Arrays.stream(ledger.history().sizes()).boxed().toList());
    }

    @Test
    void theReferenceDefectRecordsItsRevocationsPhaseWithinTheCapacity() throws Exception {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(30, 12, 3, 2, 0, 0, 5L));
        DatabaseAddress target = Fixtures.target(dir);
        TransactionLedger ledger = new TransactionLedger();
        ConversionResult result = new Converter(KmsLog.silent()).convert(
                settings(source, target, 20, Strategy.SINGLE_TRANSACTION, ledger, Duration.ofHours(1)));

        // record, run, 30 users, USERS, 60 certificates and 30 keys, SERIALS, KEYS, the 14 revocations, REVOCATIONS, finish, end
        assertEquals(List.of(1, 1, 20, 10, 1, 20, 20, 20, 20, 10, 1, 1, 14, 1, 1, 1), Arrays.stream(ledger.history().sizes()).boxed().toList());
        assertEquals(List.of(12L, 2L), List.of(result.revokedCertificates(), result.unmatchedRevocations()));
        try (Connection c = Fixtures.open(target)) {
            assertEquals(14L, Sql.queryLong(c, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'REVOCATIONS'"));
            assertEquals(90L, Sql.queryLong(c, "SELECT ROW_CHANGES FROM KMS55.KMS_CONVERSION_PHASE WHERE PHASE = 'SERIALS'"));
            c.rollback();
        }
        assertTrue(Fixtures.verify(source, target).passed());
    }

    @Test
    void theKeysPhaseIsSaidAtDebugLevelForASmallTargetAndAtInfoFromAHundredThousandCertificates() {
        DatabaseAddress source = Fixtures.generate(dir, new Profile(6, 2, 0, 1, 0, 0, 3L));
        DatabaseAddress target = Fixtures.target(dir);
        List<String> lines = new ArrayList<>();
        KmsLog log = Fixtures.levelledLogTo(lines);
        long started = System.nanoTime();
        new Converter(log).convert(settings(source, target, 5, Strategy.CHUNKED, new TransactionLedger(), Duration.ofHours(1)));
        double wall = (System.nanoTime() - started) / 1e9;

        List<String> debug = lines.stream().filter(l -> l.startsWith("[DEBUG] ")).toList();
        assertEquals(2, debug.size(), debug::toString);
        assertEquals("[DEBUG] Adding " + dev.kmsgate.kms.store.Kms55Schema.KEYS.size() + " primary and foreign keys to "
                + target.display() + " (one sort per index; no row changes).", debug.get(0));
        Matcher added = Pattern.compile(Pattern.quote("[DEBUG] Added the keys of " + target.display() + " in ") + "(\\d+\\.\\d) s\\.")
                .matcher(debug.get(1));
        assertTrue(added.matches(), debug.get(1));
        assertTrue(Double.parseDouble(added.group(1)) <= wall + 0.05, debug.get(1) + " in a run of " + wall + " s");
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("[INFO] Adding ")).toList());

        assertEquals(false, ConversionRun.announcesKeys(99_999));
        assertEquals(true, ConversionRun.announcesKeys(100_000));
    }
}
