package dev.kmsgate.kms.mutants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

import static dev.kmsgate.kms.mutants.Mutant.*;

/**
 * A plain-JDBC converter from {@code KMS50} to {@code KMS55}, written as an outside team would, with
 * none of KMS Gate's classes: correct, unless one {@link Mutant} is switched on. Each phase streams
 * its source table in key order and commits every {@code transactionCapacity} row changes; a
 * conversion run again on its own target resumes each phase after the greatest key it committed.
 *
 * <p>The entry is {@link #convert(Connection, Connection, int)}, the shape of a converter of the
 * user's own, so the same mutants can later run through the converter SPI.
 */
public final class MutantConverter {

    /** Thrown after the commit a test asked to stop at, as if the process had been killed there. */
    static final class Stopped extends RuntimeException {
        Stopped(int commits) {
            super("stopped after commit " + commits);
        }
    }

    private static final String CERT_COLUMNS = "SERIAL, USER_ID, USAGE, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_AFTER, CERT_DER";
    /** The zone of the host the converter runs on, for the bug that writes times in it. */
    private static final TimeZone HOST_ZONE = TimeZone.getTimeZone("America/New_York");

    private final Mutant bug;
    private final boolean constraints;
    private final String stopPhase;
    private final int stopAfterCommits;
    private String phase;
    private int phaseCommits;
    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    private Connection target;
    private int capacity;
    private int pending;
    private int commits;
    private boolean resumed;
    private Object[] heldCert;

    /** The converter with {@code bug} switched on (null: none), on a schema with constraints unless the bug needs none. */
    public MutantConverter(Mutant bug) {
        this(bug, bug == null || !bug.needsLenientSchema(), null, -1);
    }

    /**
     * @param constraints whether the target gets the format's keys, NOT NULL columns and CHECK
     * @param stopPhase the phase in which to stop, as if killed ({@code users}, {@code certificates},
     *        {@code keys}, {@code revocations}); null never
     * @param stopAfterCommits the commit of that phase after which to stop
     */
    MutantConverter(Mutant bug, boolean constraints, String stopPhase, int stopAfterCommits) {
        this.bug = bug;
        this.constraints = constraints;
        this.stopPhase = stopPhase;
        this.stopAfterCommits = stopAfterCommits;
    }

    public void convert(Connection source, Connection target, int transactionCapacity) throws SQLException {
        this.target = target;
        this.capacity = transactionCapacity;
        target.setAutoCommit(false);
        resumed = MutantSchema.exists(target);
        if (!resumed) {
            MutantSchema.create(target, constraints);
        }
        phase = "users";
        users(source);
        phase = "certificates";
        phaseCommits = 0;
        certificates(source);
        phase = "keys";
        phaseCommits = 0;
        keys(source);
        phase = "revocations";
        phaseCommits = 0;
        revocations(source);
    }

    private boolean is(Mutant mutant) {
        return bug == mutant;
    }

    // --- users -----------------------------------------------------------------------------------

    private void users(Connection source) throws SQLException {
        String checkpoint = resumed ? max("SELECT MAX(USER_ID) FROM KMS55.USERS") : null;
        if (is(USERS_PAGED_BY_ID_RANGE)) {
            usersByIdRange(source, checkpoint == null ? 0 : Integer.parseInt(checkpoint));
            return;
        }
        String sql = "SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS50.KM_USER"
                + (checkpoint == null ? "" : is(RESUME_REPEATS_CHECKPOINT) ? " WHERE USER_ID >= ?" : " WHERE USER_ID > ?") + " ORDER BY USER_ID";
        try (PreparedStatement select = source.prepareStatement(sql);
             PreparedStatement insert = target.prepareStatement("INSERT INTO KMS55.USERS VALUES (?, ?, ?, ?)")) {
            if (checkpoint != null) {
                select.setInt(1, Integer.parseInt(checkpoint));
            }
            copyUsers(select, insert, Integer.MAX_VALUE);
            if (is(LAST_PARTIAL_CHUNK_ROLLED_BACK)) {
                target.rollback();
                pending = 0;
            }
            endPhase();
            if (is(RETRIED_FIRST_CHUNK)) {
                try (PreparedStatement again = source.prepareStatement(
                        "SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS50.KM_USER ORDER BY USER_ID")) {
                    copyUsers(again, insert, capacity);
                }
                endPhase();
            }
        }
    }

    /** Pages of ids: from after the checkpoint, C ids at a time, until a page holds fewer than C users. */
    private void usersByIdRange(Connection source, int after) throws SQLException {
        try (PreparedStatement select = source.prepareStatement("SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS50.KM_USER"
                     + " WHERE USER_ID BETWEEN ? AND ? ORDER BY USER_ID");
             PreparedStatement insert = target.prepareStatement("INSERT INTO KMS55.USERS VALUES (?, ?, ?, ?)")) {
            for (int first = after + 1; ; first += capacity) {
                select.setInt(1, first);
                select.setInt(2, first + capacity - 1);
                if (copyUsers(select, insert, Integer.MAX_VALUE) < capacity) {
                    break;
                }
            }
        }
        endPhase();
    }

    /** Copies the users {@code select} returns, at most {@code limit}; returns how many. */
    private int copyUsers(PreparedStatement select, PreparedStatement insert, int limit) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            int copied = 0;
            for (; copied < limit && rs.next(); copied++) {
                insert.setInt(1, rs.getInt(1));
                insert.setString(2, rs.getString(2));
                insert.setString(3, displayName(rs.getString(3)));
                Timestamp enrolled = rs.getTimestamp(4, utc);
                insert.setTimestamp(4, is(ENROLLED_AT_TO_SECONDS) ? toSeconds(enrolled) : enrolled, utc);
                insert.executeUpdate();
                changed();
            }
            return copied;
        }
    }

    private String displayName(String name) {
        if (name == null) {
            return is(DISPLAY_NAME_NULL_AS_EMPTY) ? "" : null;
        }
        if (is(DISPLAY_NAME_EMPTY_AS_NULL)) {
            return name.trim().isEmpty() ? null : name.trim();
        }
        if (is(DISPLAY_NAME_TRIMMED)) {
            return name.trim();
        }
        if (is(DISPLAY_NAME_THROUGH_LATIN1)) {
            return new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        }
        return name;
    }

    // --- certificates, in pages of the capacity --------------------------------------------------

    private void certificates(Connection source) throws SQLException {
        String last = !resumed ? null : is(RESUME_IGNORES_QUARANTINE) ? max("SELECT MAX(SERIAL) FROM KMS55.CERTIFICATES")
                : maxSerial("CERTIFICATES", "QUARANTINED_CERT");
        boolean skipAChunk = is(RESUME_SKIPS_A_CHUNK) && last != null;
        if (is(RESUME_RESTARTS_PHASE)) {
            last = null;
        }
        String page = "SELECT " + CERT_COLUMNS + " FROM KMS50.KM_CERT WHERE SERIAL " + (is(KEYSET_EDGE_REPEATED) ? ">=" : ">")
                + " ? ORDER BY SERIAL FETCH FIRST ? ROWS ONLY";
        try (PreparedStatement select = source.prepareStatement(page);
             PreparedStatement userExists = source.prepareStatement("SELECT USER_ID FROM KMS50.KM_USER WHERE USER_ID = ?");
             PreparedStatement crl = source.prepareStatement(crlQuery());
             PreparedStatement active = target.prepareStatement("INSERT INTO KMS55.CERTIFICATES VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement quarantined = target.prepareStatement("INSERT INTO KMS55.QUARANTINED_CERT VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            while (true) {
                List<Object[]> rows = page(select, last == null ? "" : last);
                if (rows.isEmpty() || (is(LAST_PARTIAL_PAGE_DROPPED) && rows.size() < capacity)) {
                    break;
                }
                last = (String) rows.get(rows.size() - 1)[0];
                if (skipAChunk) {
                    skipAChunk = false;
                    continue;
                }
                int write = is(PAGE_EDGE_SKIPPED) ? rows.size() - 1 : rows.size();
                for (int i = 0; i < write; i++) {
                    Object[] cert = rows.get(i);
                    if (is(LAST_SERIAL_DROPPED)) {
                        Object[] previous = heldCert;
                        heldCert = cert;
                        if (previous == null) {
                            continue;
                        }
                        cert = previous;
                    }
                    writeCert(cert, userExists, crl, active, quarantined);
                }
                if (rows.size() < capacity) {
                    break;
                }
            }
        }
        endPhase();
    }

    private List<Object[]> page(PreparedStatement select, String after) throws SQLException {
        select.setString(1, after);
        select.setInt(2, capacity);
        List<Object[]> rows = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getTimestamp(6, utc), rs.getTimestamp(7, utc), der(rs)});
            }
        }
        return rows;
    }

    private byte[] der(ResultSet rs) throws SQLException {
        if (is(DER_READ_ONCE_INTO_ONE_KIB)) {
            try (InputStream in = rs.getBinaryStream(8)) {
                byte[] buffer = new byte[1024];
                int n = in.read(buffer);
                return java.util.Arrays.copyOf(buffer, Math.max(0, n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!is(DER_COPIED_IN_WHOLE_BUFFERS)) {
            return rs.getBytes(8);
        }
        try (InputStream in = rs.getBinaryStream(8)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64];
            for (int n = in.readNBytes(buffer, 0, buffer.length); n == buffer.length; n = in.readNBytes(buffer, 0, buffer.length)) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeCert(Object[] cert, PreparedStatement userExists, PreparedStatement crl, PreparedStatement active,
                           PreparedStatement quarantined) throws SQLException {
        boolean userKnown;
        boolean lookupWasNull;
        userExists.setInt(1, (Integer) cert[1]);
        try (ResultSet rs = userExists.executeQuery()) {
            userKnown = rs.next();
            lookupWasNull = !userKnown || (rs.getInt(1) == 0 && rs.wasNull());
        }
        Object[] revocation = effective(crl, (String) cert[0]);
        PreparedStatement insert = userKnown || is(ORPHAN_CERTIFICATE_KEPT) ? active : quarantined;
        insert.setString(1, (String) cert[0]);
        insert.setInt(2, (Integer) cert[1]);
        insert.setString(3, (String) cert[2]);
        insert.setString(4, (String) cert[3]);
        insert.setString(5, (String) cert[4]);
        Calendar validityZone = is(VALIDITY_IN_LOCAL_ZONE) ? Calendar.getInstance(HOST_ZONE) : utc;
        insert.setTimestamp(6, (Timestamp) cert[5], validityZone);
        insert.setTimestamp(7, (Timestamp) cert[6], validityZone);
        insert.setBytes(8, (byte[]) cert[7]);
        if (insert == quarantined) {
            insert.setString(9, is(NULL_QUARANTINE_CAUSE) ? null : "UNKNOWN_USER");
        } else {
            insert.setString(9, revocation == null ? "V" : is(STATUS_LOWER_CASE) ? "r" : "R");
            insert.setTimestamp(10, revocation == null ? null : (Timestamp) revocation[0], utc);
            short reason = revocation == null ? 0 : (Short) revocation[1];
            // the bug asks wasNull() of the user look-up, not of the revocation it binds
            boolean noReason = is(WASNULL_OF_ANOTHER_COLUMN) ? lookupWasNull : revocation == null;
            if (noReason || (is(REASON_ZERO_AS_NULL) && reason == 0)) {
                insert.setNull(11, Types.SMALLINT);
            } else {
                insert.setShort(11, reason);
            }
        }
        insert.executeUpdate();
        changed();
    }

    private String crlQuery() {
        String order = is(LATEST_REVOCATION) ? " ORDER BY REVOKED_AT DESC, REASON"
                : is(LARGEST_REASON_ON_TIES) ? " ORDER BY REVOKED_AT, REASON DESC"
                : is(FIRST_CRL_ROW_SEEN) ? "" : " ORDER BY REVOKED_AT, REASON";
        return "SELECT REVOKED_AT, REASON FROM KMS50.KM_CRL WHERE SERIAL = ?" + order;
    }

    /** The serial's effective revocation as {time, reason}, or null when it is not on the CRL. */
    private Object[] effective(PreparedStatement crl, String serial) throws SQLException {
        crl.setString(1, serial);
        try (ResultSet rs = crl.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            Timestamp at = rs.getTimestamp(1, utc);
            return new Object[] {is(REVOKED_AT_TO_SECONDS) ? toSeconds(at) : at, rs.getShort(2)};
        }
    }

    // --- keys --------------------------------------------------------------------------------------

    private void keys(Connection source) throws SQLException {
        String last = !resumed ? null : is(RESUME_IGNORES_QUARANTINE) ? max("SELECT MAX(SERIAL) FROM KMS55.KEY_ARCHIVE")
                : maxSerial("KEY_ARCHIVE", "QUARANTINED_KEY");
        try (PreparedStatement select = source.prepareStatement("SELECT SERIAL, WRAPPED_KEY FROM KMS50.KM_KEY WHERE SERIAL "
                     + (is(RESUME_REPEATS_CHECKPOINT) ? ">=" : ">") + " ? ORDER BY SERIAL");
             PreparedStatement certInSource = source.prepareStatement("SELECT 1 FROM KMS50.KM_CERT WHERE SERIAL = ?");
             PreparedStatement certConverted = target.prepareStatement("SELECT 1 FROM KMS55.CERTIFICATES WHERE SERIAL = ?");
             PreparedStatement archive = target.prepareStatement("INSERT INTO KMS55.KEY_ARCHIVE VALUES (?, ?)");
             PreparedStatement quarantine = target.prepareStatement("INSERT INTO KMS55.QUARANTINED_KEY VALUES (?, ?, ?)")) {
            select.setString(1, last == null ? "" : last);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String serial = rs.getString(1);
                    byte[] key = rs.getBytes(2);
                    if (is(WRAPPED_KEY_THROUGH_STRING)) {
                        key = new String(key, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
                    }
                    boolean hasCert = exists(certInSource, serial);
                    if (exists(certConverted, serial) || (hasCert && is(QUARANTINED_CERTIFICATE_KEY_ARCHIVED))) {
                        archive.setString(1, serial);
                        archive.setBytes(2, key);
                        archive.executeUpdate();
                    } else {
                        quarantine.setString(1, serial);
                        quarantine.setBytes(2, key);
                        quarantine.setString(3, hasCert || is(WRONG_KEY_CAUSE) ? "CERTIFICATE_QUARANTINED" : "NO_CERTIFICATE");
                        quarantine.executeUpdate();
                    }
                    changed();
                }
            }
        }
        endPhase();
    }

    // --- revocations that name no converted certificate -------------------------------------------

    private void revocations(Connection source) throws SQLException {
        String last = resumed && !is(RESUME_RESTARTS_UNMATCHED) ? max("SELECT MAX(SERIAL) FROM KMS55.UNMATCHED_REVOCATION") : null;
        try (PreparedStatement select = source.prepareStatement("SELECT " + (is(UNMATCHED_PER_CRL_ROW) ? "" : "DISTINCT ")
                     + "SERIAL FROM KMS50.KM_CRL WHERE SERIAL " + (is(RESUME_REPEATS_CHECKPOINT) ? ">=" : ">") + " ? ORDER BY SERIAL");
             PreparedStatement certInSource = source.prepareStatement("SELECT 1 FROM KMS50.KM_CERT WHERE SERIAL = ?");
             PreparedStatement certConverted = target.prepareStatement("SELECT 1 FROM KMS55.CERTIFICATES WHERE SERIAL = ?");
             PreparedStatement crl = source.prepareStatement(is(UNMATCHED_LATEST_REVOCATION)
                     ? "SELECT REVOKED_AT, REASON FROM KMS50.KM_CRL WHERE SERIAL = ? ORDER BY REVOKED_AT DESC, REASON" : crlQuery());
             PreparedStatement insert = target.prepareStatement("INSERT INTO KMS55.UNMATCHED_REVOCATION VALUES (?, ?, ?)")) {
            select.setString(1, last == null ? "" : last);
            Object[] written = null;
            String writtenSerial = null;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String serial = rs.getString(1);
                    if (exists(certConverted, serial)) {
                        continue;
                    }
                    boolean hasCert = exists(certInSource, serial);
                    if ((hasCert && is(QUARANTINED_REVOCATION_LOST)) || (!hasCert && is(UNKNOWN_SERIAL_REVOCATION_LOST))) {
                        continue;
                    }
                    written = effective(crl, serial);
                    writtenSerial = serial;
                    unmatched(insert, serial, written);
                }
            }
            if (is(LAST_REVOCATION_WRITTEN_TWICE) && written != null) {
                unmatched(insert, writtenSerial, written);
            }
        }
        endPhase();
    }

    private void unmatched(PreparedStatement insert, String serial, Object[] revocation) throws SQLException {
        insert.setString(1, serial);
        insert.setTimestamp(2, (Timestamp) revocation[0], utc);
        insert.setShort(3, (Short) revocation[1]);
        insert.executeUpdate();
        changed();
    }

    // --- transactions and checkpoints ------------------------------------------------------------

    /** One row changed: commits when the transaction holds as many as the target accepts. */
    private void changed() throws SQLException {
        if (++pending == capacity) {
            commit();
        }
    }

    private void endPhase() throws SQLException {
        if (pending > 0) {
            commit();
        }
    }

    private void commit() throws SQLException {
        target.commit();
        pending = 0;
        commits++;
        if (++phaseCommits == stopAfterCommits && phase.equals(stopPhase)) {
            throw new Stopped(commits);
        }
    }

    private String max(String sql) throws SQLException {
        try (PreparedStatement query = target.prepareStatement(sql); ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The checkpoint of a phase that writes two tables in key order: the greater of their greatest keys. */
    private String maxSerial(String table, String other) throws SQLException {
        String a = max("SELECT MAX(SERIAL) FROM KMS55." + table);
        String b = max("SELECT MAX(SERIAL) FROM KMS55." + other);
        return a == null ? b : b == null || a.compareTo(b) > 0 ? a : b;
    }

    private static boolean exists(PreparedStatement query, String serial) throws SQLException {
        query.setString(1, serial);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next();
        }
    }

    private static Timestamp toSeconds(Timestamp at) {
        Timestamp truncated = new Timestamp(at.getTime() / 1000 * 1000);
        truncated.setNanos(0);
        return truncated;
    }
}
