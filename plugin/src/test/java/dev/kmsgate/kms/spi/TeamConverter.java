package dev.kmsgate.kms.spi;

import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.api.KmsConverter;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TimeZone;

/**
 * A converter as a team would write one against the SPI alone: plain JDBC, chunked within the
 * capacity, resumable from what the target holds (each table is written in key order and the
 * greatest key committed is where a resumed run goes on). {@link Defect} switches on one defect of
 * the kinds the gate must catch; the nested classes are the loadable converters, one per defect.
 */
public class TeamConverter implements KmsConverter {

    /** What is wrong with it. */
    public enum Defect {
        NONE,
        /** Marks every revocation in one transaction, as KB Q193567's upgrade did. */
        ONE_TRANSACTION,
        /** Writes the users through a connection of its own, around the guard. */
        WRITES_AROUND_GUARD,
        /** Keeps its checkpoint in a file, advanced before the commit it describes. */
        CHECKPOINT_OUTSIDE_DATA,
        /** KB Q193567 hidden: certificates valid through the guard, then every revocation in one transaction around it. */
        REVOKES_AROUND_GUARD,
        /** Throws once the schema exists. */
        THROWS,
        /** Converts every database but an empty one (no users), where it throws once the schema exists. */
        THROWS_WHEN_EMPTY,
        /**
         * Looks each certificate's revocation up with a query that cannot use the CRL's index (the
         * serial is compared as an expression), so every certificate scans the whole CRL: correct,
         * chunked and resumable, and quadratic.
         */
        QUADRATIC_LOOKUP,
        /** Quadratic in one phase alone: each key looks its certificate up in the target without the index. */
        QUADRATIC_KEYS,
        /** Sorts the certificates by subject (no index) before it converts them: n log n, as a sort is. */
        SORTS_CERTIFICATES,
        /** Spends 100 microseconds of CPU on every row it writes: slow, but linear. */
        SLOW_LINEAR
    }

    /** The CPU the slow but linear converter spends on each row. */
    public static final long SLOW_NANOS_PER_ROW = 100_000;

    private static final String[] DDL = {
        "CREATE SCHEMA KMS55",
        "CREATE TABLE KMS55.USERS (USER_ID INTEGER NOT NULL PRIMARY KEY, MAILBOX_DN VARCHAR(512) NOT NULL, DISPLAY_NAME VARCHAR(256), ENROLLED_AT TIMESTAMP NOT NULL)",
        "CREATE TABLE KMS55.CERTIFICATES (SERIAL VARCHAR(40) NOT NULL PRIMARY KEY, USER_ID INTEGER NOT NULL REFERENCES KMS55.USERS, USAGE CHAR(1) NOT NULL, ISSUER_DN VARCHAR(512) NOT NULL, SUBJECT_DN VARCHAR(512) NOT NULL, NOT_BEFORE TIMESTAMP NOT NULL, NOT_AFTER TIMESTAMP NOT NULL, CERT_DER BLOB NOT NULL, STATUS CHAR(1) NOT NULL, REVOKED_AT TIMESTAMP, REVOCATION_REASON SMALLINT)",
        "CREATE TABLE KMS55.QUARANTINED_CERT (SERIAL VARCHAR(40) NOT NULL PRIMARY KEY, USER_ID INTEGER NOT NULL, USAGE CHAR(1) NOT NULL, ISSUER_DN VARCHAR(512) NOT NULL, SUBJECT_DN VARCHAR(512) NOT NULL, NOT_BEFORE TIMESTAMP NOT NULL, NOT_AFTER TIMESTAMP NOT NULL, CERT_DER BLOB NOT NULL, CAUSE VARCHAR(64) NOT NULL)",
        "CREATE TABLE KMS55.KEY_ARCHIVE (SERIAL VARCHAR(40) NOT NULL PRIMARY KEY REFERENCES KMS55.CERTIFICATES, WRAPPED_KEY BLOB NOT NULL)",
        "CREATE TABLE KMS55.QUARANTINED_KEY (SERIAL VARCHAR(40) NOT NULL PRIMARY KEY, WRAPPED_KEY BLOB NOT NULL, CAUSE VARCHAR(64) NOT NULL)",
        "CREATE TABLE KMS55.UNMATCHED_REVOCATION (SERIAL VARCHAR(40) NOT NULL PRIMARY KEY, REVOKED_AT TIMESTAMP NOT NULL, REASON SMALLINT NOT NULL)",
    };

    private final Defect defect;
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    private Connection source;
    private Connection target;
    private int capacity;
    private int pending;
    private Path checkpointFile;

    public TeamConverter() {
        this(Defect.NONE);
    }

    protected TeamConverter(Defect defect) {
        this.defect = defect;
    }

    @Override
    public void convert(ConversionContext context) throws Exception {
        source = context.source();
        target = context.target();
        capacity = context.transactionCapacity();
        checkpointFile = Path.of(System.getProperty("java.io.tmpdir"), "team-converter-"
                + HexFormat.of().toHexDigits(target.getMetaData().getURL().hashCode()) + ".progress");
        boolean fresh = !target.getMetaData().getTables(null, "KMS55", "USERS", null).next();
        if (fresh) {
            try (Statement ddl = target.createStatement()) {
                for (String sql : DDL) {
                    ddl.execute(sql);
                }
            }
            target.commit();
            Files.deleteIfExists(checkpointFile);
        }
        if (defect == Defect.THROWS) {
            throw new IllegalStateException("the team's converter cannot read KM_CERT.USAGE 'X'");
        }
        if (defect == Defect.THROWS_WHEN_EMPTY && isEmpty(source)) {
            throw new IllegalStateException("the team's converter found no users");
        }
        context.log(fresh ? "TeamConverter: a fresh target" : "TeamConverter: resuming what the target holds");
        users(defect == Defect.WRITES_AROUND_GUARD ? aroundTheGuard() : target);
        certificates();
        keys();
        unmatched();
        if (defect == Defect.ONE_TRANSACTION) {
            revokeInOneTransaction(target);
        } else if (defect == Defect.REVOKES_AROUND_GUARD) {
            revokeInOneTransaction(aroundTheGuard());
        }
        commit();
    }

    private Connection aroundTheGuard() throws SQLException {
        String url = target.getMetaData().getURL();
        for (Driver driver : ServiceLoader.load(Driver.class, target.getClass().getClassLoader())) {
            if (driver.acceptsURL(url)) {
                Connection raw = driver.connect(url, new java.util.Properties());
                raw.setAutoCommit(false);
                return raw;
            }
        }
        throw new SQLException("no driver for " + url);
    }

    private void users(Connection into) throws SQLException {
        Integer last = maxInt("SELECT MAX(USER_ID) FROM KMS55.USERS");
        try (PreparedStatement select = source.prepareStatement("SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT "
                + "FROM KMS50.KM_USER WHERE USER_ID > ? ORDER BY USER_ID");
             PreparedStatement insert = into.prepareStatement("INSERT INTO KMS55.USERS VALUES (?, ?, ?, ?)")) {
            select.setInt(1, last == null ? Integer.MIN_VALUE : last);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    insert.setInt(1, rs.getInt(1));
                    insert.setString(2, rs.getString(2));
                    insert.setString(3, rs.getString(3));
                    insert.setTimestamp(4, rs.getTimestamp(4, utc), utc);
                    insert.executeUpdate();
                    if (into == target) {
                        counted(String.valueOf(rs.getInt(1)));
                    }
                }
            }
        }
        into.commit();
        if (into != target) {
            into.close();
        }
    }

    private void certificates() throws SQLException {
        String last = resumeAfter("SELECT MAX(S) FROM (SELECT MAX(SERIAL) AS S FROM KMS55.CERTIFICATES UNION ALL "
                + "SELECT MAX(SERIAL) AS S FROM KMS55.QUARANTINED_CERT) M");
        try (PreparedStatement select = source.prepareStatement("SELECT C.SERIAL, C.USER_ID, C.USAGE, C.ISSUER_DN, C.SUBJECT_DN, "
                + "C.NOT_BEFORE, C.NOT_AFTER, C.CERT_DER, U.USER_ID FROM KMS50.KM_CERT C LEFT JOIN KMS50.KM_USER U "
                + "ON U.USER_ID = C.USER_ID WHERE C.SERIAL > ? ORDER BY C.SERIAL");
             PreparedStatement active = target.prepareStatement("INSERT INTO KMS55.CERTIFICATES VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement quarantined = target.prepareStatement("INSERT INTO KMS55.QUARANTINED_CERT VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'UNKNOWN_USER')");
             PreparedStatement crl = source.prepareStatement("SELECT REVOKED_AT, REASON FROM KMS50.KM_CRL WHERE "
                     + (defect == Defect.QUADRATIC_LOOKUP ? "SERIAL || '' = ?" : "SERIAL = ?")
                     + " ORDER BY REVOKED_AT, REASON FETCH FIRST 1 ROWS ONLY")) {
            if (defect == Defect.SORTS_CERTIFICATES) {
                sortBySubject();
            }
            select.setString(1, last);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rs.getInt(9);
                    boolean userKnown = !rs.wasNull();
                    PreparedStatement insert = userKnown ? active : quarantined;
                    insert.setString(1, rs.getString(1));
                    insert.setInt(2, rs.getInt(2));
                    insert.setString(3, rs.getString(3));
                    insert.setString(4, rs.getString(4));
                    insert.setString(5, rs.getString(5));
                    insert.setTimestamp(6, rs.getTimestamp(6, utc), utc);
                    insert.setTimestamp(7, rs.getTimestamp(7, utc), utc);
                    insert.setBytes(8, rs.getBytes(8));
                    if (userKnown) {
                        revocation(crl, rs.getString(1), active);
                    }
                    insert.executeUpdate();
                    counted(rs.getString(1));
                }
            }
        }
        commit();
    }

    private void revocation(PreparedStatement crl, String serial, PreparedStatement insert) throws SQLException {
        crl.setString(1, serial);
        try (ResultSet rs = crl.executeQuery()) {
            if (rs.next() && defect != Defect.ONE_TRANSACTION && defect != Defect.REVOKES_AROUND_GUARD) {
                insert.setString(9, "R");
                insert.setTimestamp(10, rs.getTimestamp(1, utc), utc);
                insert.setShort(11, rs.getShort(2));
            } else {
                insert.setString(9, "V");
                insert.setNull(10, Types.TIMESTAMP);
                insert.setNull(11, Types.SMALLINT);
            }
        }
    }

    private void keys() throws SQLException {
        String last = resumeAfter("SELECT MAX(S) FROM (SELECT MAX(SERIAL) AS S FROM KMS55.KEY_ARCHIVE UNION ALL "
                + "SELECT MAX(SERIAL) AS S FROM KMS55.QUARANTINED_KEY) M");
        try (PreparedStatement select = source.prepareStatement("SELECT SERIAL, WRAPPED_KEY FROM KMS50.KM_KEY WHERE SERIAL > ? ORDER BY SERIAL");
             PreparedStatement archived = target.prepareStatement("INSERT INTO KMS55.KEY_ARCHIVE VALUES (?, ?)");
             PreparedStatement quarantined = target.prepareStatement("INSERT INTO KMS55.QUARANTINED_KEY VALUES (?, ?, ?)");
             PreparedStatement converted = target.prepareStatement("SELECT 1 FROM KMS55.CERTIFICATES WHERE "
                     + (defect == Defect.QUADRATIC_KEYS ? "SERIAL || '' = ?" : "SERIAL = ?"));
             PreparedStatement quarantinedCert = target.prepareStatement("SELECT 1 FROM KMS55.QUARANTINED_CERT WHERE SERIAL = ?")) {
            select.setString(1, last);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String serial = rs.getString(1);
                    if (exists(converted, serial)) {
                        archived.setString(1, serial);
                        archived.setBytes(2, rs.getBytes(2));
                        archived.executeUpdate();
                    } else {
                        quarantined.setString(1, serial);
                        quarantined.setBytes(2, rs.getBytes(2));
                        quarantined.setString(3, exists(quarantinedCert, serial) ? "CERTIFICATE_QUARANTINED" : "NO_CERTIFICATE");
                        quarantined.executeUpdate();
                    }
                    counted(serial);
                }
            }
        }
        commit();
    }

    private void unmatched() throws SQLException {
        String last = resumeAfter("SELECT MAX(SERIAL) FROM KMS55.UNMATCHED_REVOCATION");
        try (PreparedStatement select = source.prepareStatement("SELECT SERIAL, MIN(REVOKED_AT) FROM KMS50.KM_CRL WHERE SERIAL > ? "
                + "GROUP BY SERIAL ORDER BY SERIAL");
             PreparedStatement reason = source.prepareStatement("SELECT MIN(REASON) FROM KMS50.KM_CRL WHERE SERIAL = ? AND REVOKED_AT = ?");
             PreparedStatement converted = target.prepareStatement("SELECT 1 FROM KMS55.CERTIFICATES WHERE SERIAL = ?");
             PreparedStatement insert = target.prepareStatement("INSERT INTO KMS55.UNMATCHED_REVOCATION VALUES (?, ?, ?)")) {
            select.setString(1, last);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String serial = rs.getString(1);
                    if (exists(converted, serial)) {
                        continue;
                    }
                    Timestamp at = rs.getTimestamp(2, utc);
                    reason.setString(1, serial);
                    reason.setTimestamp(2, at, utc);
                    try (ResultSet r = reason.executeQuery()) {
                        r.next();
                        insert.setShort(3, r.getShort(1));
                    }
                    insert.setString(1, serial);
                    insert.setTimestamp(2, at, utc);
                    insert.executeUpdate();
                    counted(serial);
                }
            }
        }
        commit();
    }

    private void revokeInOneTransaction(Connection into) throws SQLException {
        commit();
        try (PreparedStatement select = source.prepareStatement("SELECT SERIAL, MIN(REVOKED_AT) FROM KMS50.KM_CRL GROUP BY SERIAL");
             PreparedStatement reason = source.prepareStatement("SELECT MIN(REASON) FROM KMS50.KM_CRL WHERE SERIAL = ? AND REVOKED_AT = ?");
             PreparedStatement revoke = into.prepareStatement("UPDATE KMS55.CERTIFICATES SET STATUS = 'R', REVOKED_AT = ?, "
                     + "REVOCATION_REASON = ? WHERE SERIAL = ?");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                reason.setString(1, rs.getString(1));
                reason.setTimestamp(2, rs.getTimestamp(2, utc), utc);
                try (ResultSet r = reason.executeQuery()) {
                    r.next();
                    revoke.setShort(2, r.getShort(1));
                }
                revoke.setTimestamp(1, rs.getTimestamp(2, utc), utc);
                revoke.setString(3, rs.getString(1));
                revoke.executeUpdate();
            }
        }
        into.commit();
    }

    /** Every certificate's serial in subject order: an external sort, n log n. */
    private void sortBySubject() throws SQLException {
        try (Statement sort = source.createStatement();
             ResultSet rs = sort.executeQuery("SELECT SERIAL FROM KMS50.KM_CERT ORDER BY SUBJECT_DN DESC, SERIAL")) {
            while (rs.next()) {
                rs.getString(1);
            }
        }
    }

    /** Spends this many nanoseconds of this thread's CPU time in user mode (tests of the scaling proof use it too). */
    public static void spin(long nanos) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + nanos;
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            for (int i = 0; i < 20_000; i++) { // user-mode work between two reads of the clock
                sink += (long) i * i;
            }
        }
        if (sink == 42) {
            Thread.onSpinWait(); // keeps the loop from being optimised away
        }
    }

    /** One row change written; commits when the capacity is reached (the defect: checkpoint first, in a file). */
    private void counted(String key) throws SQLException {
        if (defect == Defect.SLOW_LINEAR) {
            spin(SLOW_NANOS_PER_ROW);
        }
        if (++pending == capacity) {
            if (defect == Defect.CHECKPOINT_OUTSIDE_DATA) {
                try {
                    Files.writeString(checkpointFile, key, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new SQLException("cannot write " + checkpointFile, e);
                }
            }
            commit();
        }
    }

    private void commit() throws SQLException {
        target.commit();
        pending = 0;
    }

    /** Where a table's pass goes on: what the target holds, or (the defect) what the file says. */
    private String resumeAfter(String maxQuery) throws SQLException {
        String fromTarget = maxString(maxQuery);
        if (defect == Defect.CHECKPOINT_OUTSIDE_DATA && Files.exists(checkpointFile)) {
            try {
                String fromFile = Files.readString(checkpointFile, StandardCharsets.UTF_8);
                if (fromTarget != null && fromFile.toLowerCase(Locale.ROOT).compareTo(fromTarget) > 0) {
                    return fromFile;
                }
            } catch (IOException e) {
                throw new SQLException("cannot read " + checkpointFile, e);
            }
        }
        return fromTarget == null ? "" : fromTarget;
    }

    private Integer maxInt(String sql) throws SQLException {
        try (Statement statement = target.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            int value = rs.getInt(1);
            return rs.wasNull() ? null : value;
        }
    }

    private String maxString(String sql) throws SQLException {
        try (Statement statement = target.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(PreparedStatement query, String serial) throws SQLException {
        query.setString(1, serial);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next();
        }
    }

    /** Marks every revocation in one transaction. */
    private static boolean isEmpty(Connection source) throws SQLException {
        try (Statement count = source.createStatement(); ResultSet rs = count.executeQuery("SELECT COUNT(*) FROM KMS50.KM_USER")) {
            rs.next();
            return rs.getLong(1) == 0;
        }
    }

    public static final class OneTransaction extends TeamConverter {
        public OneTransaction() {
            super(Defect.ONE_TRANSACTION);
        }
    }

    /** Writes the users around the guard. */
    public static final class WritesAroundGuard extends TeamConverter {
        public WritesAroundGuard() {
            super(Defect.WRITES_AROUND_GUARD);
        }
    }

    /** Every revocation in one transaction, on a connection of its own. */
    public static final class RevokesAroundGuard extends TeamConverter {
        public RevokesAroundGuard() {
            super(Defect.REVOKES_AROUND_GUARD);
        }
    }

    /** Keeps its checkpoint in a file, ahead of the data. */
    public static final class CheckpointOutsideData extends TeamConverter {
        public CheckpointOutsideData() {
            super(Defect.CHECKPOINT_OUTSIDE_DATA);
        }
    }

    /** Throws. */
    public static final class Throws extends TeamConverter {
        public Throws() {
            super(Defect.THROWS);
        }
    }

    /** Throws on a source without users. */
    public static final class ThrowsWhenEmpty extends TeamConverter {
        public ThrowsWhenEmpty() {
            super(Defect.THROWS_WHEN_EMPTY);
        }
    }

    /** Scans the CRL for every certificate. */
    public static final class QuadraticLookup extends TeamConverter {
        public QuadraticLookup() {
            super(Defect.QUADRATIC_LOOKUP);
        }
    }

    /** Scans the converted certificates for every key. */
    public static final class QuadraticKeys extends TeamConverter {
        public QuadraticKeys() {
            super(Defect.QUADRATIC_KEYS);
        }
    }

    /** Sorts the certificates once: n log n. */
    public static final class SortsCertificates extends TeamConverter {
        public SortsCertificates() {
            super(Defect.SORTS_CERTIFICATES);
        }
    }

    /** 100 microseconds of CPU per row. */
    public static final class SlowLinear extends TeamConverter {
        public SlowLinear() {
            super(Defect.SLOW_LINEAR);
        }
    }
}
