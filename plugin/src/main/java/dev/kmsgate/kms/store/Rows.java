package dev.kmsgate.kms.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Objects;

/**
 * The rows of both formats as Java values, and how to read them from a result set. Timestamps are
 * read through a UTC calendar (see {@link Sql#utc()}). No row's {@code toString} shows a wrapped key.
 *
 * <p>Public for convert and verify, which read both formats' rows; not an API.
 */
public final class Rows {

    private Rows() {
    }

    /** A user, the same in {@code KM_USER} and {@code USERS}. */
    public record User(int userId, String mailboxDn, String displayName, Timestamp enrolledAt) {
        /** The first column that differs from another row, or null when they are equal. */
        public String firstDifference(User other) {
            if (userId != other.userId) return "USER_ID";
            if (!Objects.equals(mailboxDn, other.mailboxDn)) return "MAILBOX_DN";
            if (!Objects.equals(displayName, other.displayName)) return "DISPLAY_NAME";
            if (!Objects.equals(enrolledAt, other.enrolledAt)) return "ENROLLED_AT";
            return null;
        }
    }

    /** The columns of {@code KM_CERT}, shared by {@code CERTIFICATES} and {@code QUARANTINED_CERT}. */
    public record Cert(String serial, Integer userId, String usage, String issuerDn, String subjectDn,
                       Timestamp notBefore, Timestamp notAfter, byte[] der) {
        /** The first column that differs from another row (BLOBs byte for byte), or null when they are equal. */
        public String firstDifference(Cert other) {
            if (!serial.equals(other.serial)) return "SERIAL";
            if (!Objects.equals(userId, other.userId)) return "USER_ID";
            if (!Objects.equals(usage, other.usage)) return "USAGE";
            if (!Objects.equals(issuerDn, other.issuerDn)) return "ISSUER_DN";
            if (!Objects.equals(subjectDn, other.subjectDn)) return "SUBJECT_DN";
            if (!Objects.equals(notBefore, other.notBefore)) return "NOT_BEFORE";
            if (!Objects.equals(notAfter, other.notAfter)) return "NOT_AFTER";
            if (!Arrays.equals(der, other.der)) return "CERT_DER";
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cert c && firstDifference(c) == null;
        }

        @Override
        public int hashCode() {
            return serial.hashCode();
        }

        @Override
        public String toString() {
            return "Cert[serial=" + serial + ", userId=" + userId + ", usage=" + usage + ", subject=" + subjectDn + "]";
        }
    }

    /** A row of {@code CERTIFICATES}: the certificate and its revocation status. */
    public record ActiveCert(Cert cert, String status, Timestamp revokedAt, Short revocationReason) {
    }

    /** A row of {@code QUARANTINED_CERT}. */
    public record QuarantinedCert(Cert cert, String cause) {
    }

    /** An escrowed key. Secret: its bytes are compared, never shown. */
    public record Key(String serial, byte[] wrappedKey) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && serial.equals(k.serial) && Arrays.equals(wrappedKey, k.wrappedKey);
        }

        @Override
        public int hashCode() {
            return serial.hashCode();
        }

        @Override
        public String toString() {
            return "Key[serial=" + serial + ", wrappedKey=(" + wrappedKey.length + " secret bytes)]";
        }
    }

    /** A row of {@code QUARANTINED_KEY}. */
    public record QuarantinedKey(Key key, String cause) {
    }

    /**
     * A revocation: a CRL row, an effective revocation or an {@code UNMATCHED_REVOCATION} row. The
     * reason is null only when the column holds NULL (a target that breaks the format).
     */
    public record Revocation(String serial, Timestamp revokedAt, Short reason) {
    }

    public static User user(ResultSet rs, Calendar utc) throws SQLException {
        return new User(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4, utc));
    }

    public static Cert cert(ResultSet rs, Calendar utc) throws SQLException {
        return new Cert(rs.getString(1), integer(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6, utc), rs.getTimestamp(7, utc), rs.getBytes(8));
    }

    public static ActiveCert activeCert(ResultSet rs, Calendar utc) throws SQLException {
        Cert cert = cert(rs, utc);
        String status = rs.getString(9);
        Timestamp revokedAt = rs.getTimestamp(10, utc);
        // wasNull() answers for the column read last: read the reason last, and ask right after it
        return new ActiveCert(cert, status, revokedAt, smallint(rs, 11));
    }

    public static QuarantinedCert quarantinedCert(ResultSet rs, Calendar utc) throws SQLException {
        return new QuarantinedCert(cert(rs, utc), rs.getString(9));
    }

    public static Key key(ResultSet rs) throws SQLException {
        return new Key(rs.getString(1), rs.getBytes(2));
    }

    public static QuarantinedKey quarantinedKey(ResultSet rs) throws SQLException {
        return new QuarantinedKey(key(rs), rs.getString(3));
    }

    public static Revocation revocation(ResultSet rs, Calendar utc) throws SQLException {
        return new Revocation(rs.getString(1), rs.getTimestamp(2, utc), smallint(rs, 3));
    }

    /** An INTEGER column, null when it holds NULL ({@code getInt} alone reads NULL as 0). */
    static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    /** A SMALLINT column, null when it holds NULL ({@code getShort} alone reads NULL as 0). */
    static Short smallint(ResultSet rs, int column) throws SQLException {
        short value = rs.getShort(column);
        return rs.wasNull() ? null : value;
    }
}
