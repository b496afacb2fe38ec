package dev.kmsgate.kms.bench;

import dev.kmsgate.kms.store.TransactionLedger;
import dev.kmsgate.kms.store.GuardedDriver;
import dev.kmsgate.kms.store.CapacityGuard;
import dev.kmsgate.kms.spi.TeamConverter;
import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.convert.ConversionResult;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.generate.Generator;
import dev.kmsgate.kms.generate.Profile;
import dev.kmsgate.kms.store.Credentials;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.stream.Stream;

/**
 * One benchmark step, run in its own JVM by {@link Benchmark} so that each has its own heap limit,
 * its own Derby engine and, for Derby's baselines, Derby's default settings. Prints one
 * {@code RESULT} line.
 */
public final class BenchStep {

    /** Prints info and warnings to standard output, as the benchmark's child JVMs report. */
    private static final KmsLog CONSOLE = new KmsLog() {
        @Override public void info(String message) { System.out.println("[INFO] " + message); }
        @Override public void warn(String message) { System.out.println("[WARNING] " + message); }
        @Override public void debug(String message) { }
    };

    /** Derby's fastest path for the copy: INSERT ... SELECT within one database, then one set-based UPDATE. */
    static final List<String> BASELINE_COPY = List.of(
            "INSERT INTO KMS55.USERS (USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT) "
                    + "SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS50.KM_USER",
            "INSERT INTO KMS55.CERTIFICATES (SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER, "
                    + "STATUS, REVOKED_AT, REVOCATION_REASON) SELECT SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, "
                    + "NOT_AFTER, CERT_DER, 'V', CAST(NULL AS TIMESTAMP), CAST(NULL AS SMALLINT) FROM KMS50.KM_CERT",
            "INSERT INTO KMS55.KEY_ARCHIVE (SERIAL, WRAPPED_KEY) SELECT SERIAL, WRAPPED_KEY FROM KMS50.KM_KEY",
            "UPDATE KMS55.CERTIFICATES C SET STATUS = 'R', "
                    + "REVOKED_AT = (SELECT MIN(R.REVOKED_AT) FROM KMS50.KM_CRL R WHERE R.SERIAL = C.SERIAL), "
                    + "REVOCATION_REASON = CAST((SELECT MIN(R.REASON) FROM KMS50.KM_CRL R WHERE R.SERIAL = C.SERIAL "
                    + "AND R.REVOKED_AT = (SELECT MIN(R2.REVOKED_AT) FROM KMS50.KM_CRL R2 WHERE R2.SERIAL = C.SERIAL)) AS SMALLINT) "
                    + "WHERE C.SERIAL IN (SELECT SERIAL FROM KMS50.KM_CRL)");

    /** A plain ordered scan of every table of both databases. */
    static final List<String> SOURCE_SCANS = List.of(
            "SELECT * FROM KMS50.KM_USER ORDER BY USER_ID", "SELECT * FROM KMS50.KM_CERT ORDER BY SERIAL",
            "SELECT * FROM KMS50.KM_KEY ORDER BY SERIAL", "SELECT * FROM KMS50.KM_CRL ORDER BY SERIAL, REVOKED_AT, REASON");
    static final List<String> TARGET_SCANS = List.of(
            "SELECT * FROM KMS55.USERS ORDER BY USER_ID", "SELECT * FROM KMS55.CERTIFICATES ORDER BY SERIAL",
            "SELECT * FROM KMS55.KEY_ARCHIVE ORDER BY SERIAL", "SELECT * FROM KMS55.QUARANTINED_CERT ORDER BY SERIAL",
            "SELECT * FROM KMS55.QUARANTINED_KEY ORDER BY SERIAL", "SELECT * FROM KMS55.UNMATCHED_REVOCATION ORDER BY SERIAL");

    private BenchStep() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[1]).toAbsolutePath();
        System.setProperty("derby.stream.error.file", base.resolve("derby-" + args[0] + ".log").toString());
        Measurement measurement = new Measurement();
        if (args[0].startsWith("baseline")) {
            requireDerbyDefaults();
        }
        String result = switch (args[0]) {
            case "generate" -> generate(measurement, base, args);
            case "baseline-copy" -> baselineCopy(measurement, base, args);
            case "convert" -> convert(measurement, base, args);
            case "baseline-scan" -> baselineScan(measurement, base, args);
            case "verify" -> verify(measurement, base, args);
            case "spi-guarded" -> spi(measurement, base, args, true);
            case "spi-raw" -> spi(measurement, base, args, false);
            default -> throw new IllegalArgumentException("unknown step " + args[0]);
        };
        if (args[0].startsWith("baseline")) {
            requireDerbyDefaults(); // and nothing set one while it ran
        }
        System.out.println(result);
    }

    /** Derby's baselines run with Derby's own defaults: no KMS Gate class may have set a derby.* property. */
    private static void requireDerbyDefaults() {
        List<String> set = System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("derby.") && !name.equals("derby.stream.error.file")).sorted().toList();
        if (!set.isEmpty()) {
            throw new IllegalStateException("a Derby baseline must run with Derby's defaults, but " + set + " are set");
        }
    }

    private static DatabaseAddress address(Path base, String name) {
        return DatabaseAddress.parse(name, base.resolve(name).toString(), base);
    }

    private static String generate(Measurement m, Path base, String[] args) {
        Profile profile = new Profile(Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                Integer.parseInt(args[6]), 0, 0, 1L);
        DatabaseAddress database = address(base, args[2]);
        new Generator(KmsLog.silent()).generate(new Generator.Settings(Database.of(database), profile, true));
        Databases.shutdown(database, Credentials.NONE);
        return m.result("generate", profile.certificates(), "users=" + profile.users() + " keys=" + profile.keys() + " crlRows=" + profile.crlRows());
    }

    private static String convert(Measurement m, Path base, String[] args) {
        DatabaseAddress source = address(base, args[2]);
        DatabaseAddress target = address(base, args[3]);
        Databases.deleteRecursively(base.resolve(args[3]));
        ConversionResult result = new Converter(CONSOLE).convert(ConversionSettings.of(source, target, Integer.parseInt(args[4]), Strategy.CHUNKED));
        Databases.shutdown(source, Credentials.NONE);
        Databases.shutdown(target, Credentials.NONE);
        long rows = result.source().users() + result.source().certificates() + result.source().keys() + result.source().crlRows();
        return m.result("convert", rows, "transactions=" + result.transactions() + " largest=" + result.largestTransaction());
    }

    /**
     * A plain JDBC converter of the user's kind (the tests' TeamConverter) through the SPI, on the
     * same rows, timed from its first to its last statement: handed a target under the capacity
     * guard (with the guarded driver's URLs, as kms:regression hands it), or the raw connection.
     * Their ratio is what the guard costs a user's converter. Verification runs after the timing.
     */
    private static String spi(Measurement unused, Path base, String[] args, boolean guarded) throws Exception {
        DatabaseAddress source = address(base, args[2]);
        DatabaseAddress target = address(base, args[3]);
        int capacity = Integer.parseInt(args[4]);
        Databases.deleteRecursively(base.resolve(args[3]));
        TransactionLedger ledger = new TransactionLedger();
        String result;
        try (Connection from = Databases.openReadOnly(source, Credentials.NONE);
             Connection raw = Databases.openOrCreate(target, Credentials.NONE);
             GuardedDriver.Registration urls = GuardedDriver.register(Database.of(source), Database.of(target), capacity, ledger)) {
            Connection to = guarded ? CapacityGuard.guard(raw, capacity, ledger) : raw;
            Measurement m = new Measurement();
            new TeamConverter().convert(new ConversionContext() {
                @Override public Connection source() { return from; }
                @Override public Connection target() { return to; }
                @Override public String sourceUrl() { return urls.sourceUrl(); }
                @Override public String targetUrl() { return urls.targetUrl(); }
                @Override public int transactionCapacity() { return capacity; }
                @Override public void log(String message) { CONSOLE.info(message); }
            });
            result = m.result(args[0], 0, "guarded=" + guarded + " largest=" + ledger.largestTransaction());
            from.rollback();
        }
        VerificationReport report = new Verifier(KmsLog.silent()).verify(new Verifier.Settings(Database.of(source), Database.of(target),
                Parameters.DEFAULT_MISMATCH_LIMIT, false));
        if (!report.passed()) {
            throw new IllegalStateException("the converter's target fails verification: " + report.failures());
        }
        long rows = report.result(dev.kmsgate.kms.verify.Invariant.ROW_EQUALITY).expected();
        return result.replace(" rows=0 ", " rows=" + rows + " ");
    }

    private static String verify(Measurement m, Path base, String[] args) {
        DatabaseAddress source = address(base, args[2]);
        DatabaseAddress target = address(base, args[3]);
        VerificationReport report = new Verifier(KmsLog.silent()).verify(Verifier.Settings.of(source, target));
        Databases.shutdown(source, Credentials.NONE);
        Databases.shutdown(target, Credentials.NONE);
        if (!report.passed()) {
            throw new IllegalStateException("verification failed: " + report.failures());
        }
        return m.result("verify", report.rowsCompared(), "passed=true");
    }

    /** Derby alone, default settings: copy the source database, then INSERT ... SELECT and UPDATE inside it. */
    private static String baselineCopy(Measurement m, Path base, String[] args) throws Exception {
        Path source = base.resolve(args[2]);
        Path copy = base.resolve(args[3]);
        deleteTree(copy); // not Databases.deleteRecursively: loading Databases would apply KMS Gate's Derby settings
        copyTree(source, copy);
        Measurement timed = new Measurement();
        String url = "jdbc:derby:" + copy;
        long rows = 0;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String ddl : dev.kmsgate.kms.store.Kms55Schema.CREATE) {
                s.execute(ddl);
            }
            for (dev.kmsgate.kms.store.Kms55Schema.Key key : dev.kmsgate.kms.store.Kms55Schema.KEYS) {
                s.execute(key.ddl()); // Derby's INSERT ... SELECT loads the KMS55 format as it is, keys in place
            }
            for (String sql : BASELINE_COPY) {
                rows += s.executeUpdate(sql);
            }
        }
        shutdown(url);
        return timed.result("baseline-copy", sourceRows(source), "rowChanges=" + rows);
    }

    private static long sourceRows(Path source) throws SQLException {
        String url = "jdbc:derby:" + source;
        long rows = 0;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String table : List.of("KM_USER", "KM_CERT", "KM_KEY", "KM_CRL")) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM KMS50." + table)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        shutdown(url);
        return rows;
    }

    /** Derby alone: every table of both databases read in key order, every column fetched. */
    private static String baselineScan(Measurement m, Path base, String[] args) throws Exception {
        long rows = scan("jdbc:derby:" + base.resolve(args[2]), SOURCE_SCANS) + scan("jdbc:derby:" + base.resolve(args[3]), TARGET_SCANS);
        return m.result("baseline-scan", rows, null);
    }

    private static long scan(String url, List<String> queries) throws SQLException {
        long rows = 0;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String query : queries) {
                try (ResultSet rs = s.executeQuery(query)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            if (meta.getColumnType(i) == Types.BLOB) {
                                rs.getBytes(i);
                            } else {
                                rs.getObject(i);
                            }
                        }
                        rows++;
                    }
                }
            }
        }
        shutdown(url);
        return rows;
    }

    private static void shutdown(String url) {
        try {
            DriverManager.getConnection(url + ";shutdown=true");
        } catch (SQLException e) {
            if (!"08006".equals(e.getSQLState())) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path destination = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
