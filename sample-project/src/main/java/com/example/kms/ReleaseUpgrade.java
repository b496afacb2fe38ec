package com.example.kms;

import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.api.KmsConverter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Calendar;
import java.util.TimeZone;

/**
 * Our KMS 5.0 to 5.5 upgrade, as it ships: plain JDBC, every transaction within the store's
 * capacity, and resumable from what the target holds. Each table is filled in key order from the
 * greatest key already committed, so the checkpoint is always in the same transaction as the rows
 * it covers and a killed upgrade picks up exactly where it stopped.
 *
 * <p>KMS Gate runs it on every build ({@code kms:regression} with {@code <converter>}), on the
 * boundary cases around the capacity and our own sample databases, and interrupts it at chosen
 * commits to prove the resume.
 */
public class ReleaseUpgrade implements KmsConverter {

    static final String[] SCHEMA = {
        "CREATE SCHEMA KMS55",
        "CREATE TABLE KMS55.USERS (USER_ID INTEGER NOT NULL CONSTRAINT USERS_PK PRIMARY KEY, MAILBOX_DN VARCHAR(512) NOT NULL, "
                + "DISPLAY_NAME VARCHAR(256), ENROLLED_AT TIMESTAMP NOT NULL)",
        "CREATE TABLE KMS55.CERTIFICATES (SERIAL VARCHAR(40) NOT NULL CONSTRAINT CERTIFICATES_PK PRIMARY KEY, "
                + "USER_ID INTEGER NOT NULL CONSTRAINT CERTIFICATES_USER_FK REFERENCES KMS55.USERS, USAGE CHAR(1) NOT NULL, "
                + "ISSUER_DN VARCHAR(512) NOT NULL, SUBJECT_DN VARCHAR(512) NOT NULL, NOT_BEFORE TIMESTAMP NOT NULL, "
                + "NOT_AFTER TIMESTAMP NOT NULL, CERT_DER BLOB NOT NULL, STATUS CHAR(1) NOT NULL, REVOKED_AT TIMESTAMP, "
                + "REVOCATION_REASON SMALLINT, CONSTRAINT CERTIFICATES_STATUS CHECK ((STATUS = 'V' AND REVOKED_AT IS NULL "
                + "AND REVOCATION_REASON IS NULL) OR (STATUS = 'R' AND REVOKED_AT IS NOT NULL AND REVOCATION_REASON IS NOT NULL)))",
        "CREATE TABLE KMS55.QUARANTINED_CERT (SERIAL VARCHAR(40) NOT NULL CONSTRAINT QUARANTINED_CERT_PK PRIMARY KEY, "
                + "USER_ID INTEGER NOT NULL, USAGE CHAR(1) NOT NULL, ISSUER_DN VARCHAR(512) NOT NULL, SUBJECT_DN VARCHAR(512) NOT NULL, "
                + "NOT_BEFORE TIMESTAMP NOT NULL, NOT_AFTER TIMESTAMP NOT NULL, CERT_DER BLOB NOT NULL, CAUSE VARCHAR(64) NOT NULL)",
        "CREATE TABLE KMS55.KEY_ARCHIVE (SERIAL VARCHAR(40) NOT NULL CONSTRAINT KEY_ARCHIVE_PK PRIMARY KEY "
                + "CONSTRAINT KEY_ARCHIVE_CERT_FK REFERENCES KMS55.CERTIFICATES, WRAPPED_KEY BLOB NOT NULL)",
        "CREATE TABLE KMS55.QUARANTINED_KEY (SERIAL VARCHAR(40) NOT NULL CONSTRAINT QUARANTINED_KEY_PK PRIMARY KEY, "
                + "WRAPPED_KEY BLOB NOT NULL, CAUSE VARCHAR(64) NOT NULL)",
        "CREATE TABLE KMS55.UNMATCHED_REVOCATION (SERIAL VARCHAR(40) NOT NULL CONSTRAINT UNMATCHED_REVOCATION_PK PRIMARY KEY, "
                + "REVOKED_AT TIMESTAMP NOT NULL, REASON SMALLINT NOT NULL)",
    };

    /** Each certificate in serial order, with whether its user exists (a look-up on KM_USER's key). */
    static final String CERTIFICATES = "SELECT C.SERIAL, C.USER_ID, C.USAGE, C.ISSUER_DN, C.SUBJECT_DN, C.NOT_BEFORE, C.NOT_AFTER, "
            + "C.CERT_DER, U.USER_ID FROM KMS50.KM_CERT C LEFT JOIN KMS50.KM_USER U ON U.USER_ID = C.USER_ID "
            + "WHERE C.SERIAL > ? ORDER BY C.SERIAL";

    /** A serial's effective revocation: the earliest time, then the smallest reason (a look-up on the CRL's serial index). */
    static final String EFFECTIVE_REVOCATION = "SELECT REVOKED_AT, REASON FROM KMS50.KM_CRL WHERE SERIAL = ? "
            + "ORDER BY REVOKED_AT, REASON FETCH FIRST 1 ROWS ONLY";

    /** Each CRL serial once, in order (the CRL's serial index alone). */
    static final String CRL_SERIALS = "SELECT DISTINCT SERIAL FROM KMS50.KM_CRL WHERE SERIAL > ? ORDER BY SERIAL";

    private final Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));

    @Override
    public void convert(ConversionContext context) throws SQLException {
        Connection source = context.source();
        Connection target = context.target();
        if (!target.getMetaData().getTables(null, "KMS55", "USERS", null).next()) {
            try (Statement ddl = target.createStatement()) {
                for (String sql : SCHEMA) {
                    ddl.execute(sql);
                }
            }
            target.commit();
            context.log("Created the KMS55 schema.");
        }
        Chunks chunks = new Chunks(target, context.transactionCapacity());
        copyUsers(source, target, chunks);
        copyCertificates(source, target, chunks);
        copyKeys(source, target, chunks);
        copyUnmatchedRevocations(source, target, chunks);
        chunks.finish();
        context.log("Upgrade finished: " + chunks.total() + " rows written in this run.");
    }

    private void copyUsers(Connection source, Connection target, Chunks chunks) throws SQLException {
        Integer after = Keys.greatestUser(target);
        try (PreparedStatement read = source.prepareStatement("SELECT USER_ID, MAILBOX_DN, DISPLAY_NAME, ENROLLED_AT FROM KMS50.KM_USER "
                + (after == null ? "" : "WHERE USER_ID > ? ") + "ORDER BY USER_ID");
             PreparedStatement write = target.prepareStatement("INSERT INTO KMS55.USERS VALUES (?, ?, ?, ?)")) {
            if (after != null) {
                read.setInt(1, after);
            }
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    write.setInt(1, rs.getInt(1));
                    write.setString(2, rs.getString(2));
                    write.setString(3, rs.getString(3));
                    write.setTimestamp(4, rs.getTimestamp(4, utc), utc);
                    chunks.write(write);
                }
            }
        }
        chunks.finish();
    }

    private void copyCertificates(Connection source, Connection target, Chunks chunks) throws SQLException {
        try (PreparedStatement read = source.prepareStatement(CERTIFICATES);
             PreparedStatement revocation = source.prepareStatement(EFFECTIVE_REVOCATION);
             PreparedStatement valid = target.prepareStatement("INSERT INTO KMS55.CERTIFICATES VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement quarantine = target.prepareStatement("INSERT INTO KMS55.QUARANTINED_CERT VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'UNKNOWN_USER')")) {
            read.setString(1, Keys.greatestSerial(target, "CERTIFICATES", "QUARANTINED_CERT"));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    rs.getInt(9);
                    PreparedStatement write = rs.wasNull() ? quarantine : valid;
                    write.setString(1, rs.getString(1));
                    write.setInt(2, rs.getInt(2));
                    write.setString(3, rs.getString(3));
                    write.setString(4, rs.getString(4));
                    write.setString(5, rs.getString(5));
                    write.setTimestamp(6, rs.getTimestamp(6, utc), utc);
                    write.setTimestamp(7, rs.getTimestamp(7, utc), utc);
                    write.setBytes(8, rs.getBytes(8));
                    if (write == valid) {
                        revocation.setString(1, rs.getString(1));
                        try (ResultSet revoked = revocation.executeQuery()) {
                            if (revoked.next()) {
                                valid.setString(9, "R");
                                valid.setTimestamp(10, revoked.getTimestamp(1, utc), utc);
                                valid.setShort(11, revoked.getShort(2));
                            } else {
                                valid.setString(9, "V");
                                valid.setNull(10, Types.TIMESTAMP);
                                valid.setNull(11, Types.SMALLINT);
                            }
                        }
                    }
                    chunks.write(write);
                }
            }
        }
        chunks.finish();
    }

    private void copyKeys(Connection source, Connection target, Chunks chunks) throws SQLException {
        try (PreparedStatement read = source.prepareStatement("SELECT SERIAL, WRAPPED_KEY FROM KMS50.KM_KEY WHERE SERIAL > ? ORDER BY SERIAL");
             PreparedStatement archive = target.prepareStatement("INSERT INTO KMS55.KEY_ARCHIVE VALUES (?, ?)");
             PreparedStatement quarantine = target.prepareStatement("INSERT INTO KMS55.QUARANTINED_KEY VALUES (?, ?, ?)");
             PreparedStatement converted = target.prepareStatement("SELECT 1 FROM KMS55.CERTIFICATES WHERE SERIAL = ?");
             PreparedStatement quarantined = target.prepareStatement("SELECT 1 FROM KMS55.QUARANTINED_CERT WHERE SERIAL = ?")) {
            read.setString(1, Keys.greatestSerial(target, "KEY_ARCHIVE", "QUARANTINED_KEY"));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    String serial = rs.getString(1);
                    boolean archived = Keys.exists(converted, serial);
                    PreparedStatement write = archived ? archive : quarantine;
                    write.setString(1, serial);
                    write.setBytes(2, rs.getBytes(2));
                    if (!archived) {
                        quarantine.setString(3, Keys.exists(quarantined, serial) ? "CERTIFICATE_QUARANTINED" : "NO_CERTIFICATE");
                    }
                    chunks.write(write);
                }
            }
        }
        chunks.finish();
    }

    private void copyUnmatchedRevocations(Connection source, Connection target, Chunks chunks) throws SQLException {
        try (PreparedStatement read = source.prepareStatement(CRL_SERIALS);
             PreparedStatement revocation = source.prepareStatement(EFFECTIVE_REVOCATION);
             PreparedStatement converted = target.prepareStatement("SELECT 1 FROM KMS55.CERTIFICATES WHERE SERIAL = ?");
             PreparedStatement write = target.prepareStatement("INSERT INTO KMS55.UNMATCHED_REVOCATION VALUES (?, ?, ?)")) {
            read.setString(1, Keys.greatestSerial(target, "UNMATCHED_REVOCATION"));
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    String serial = rs.getString(1);
                    if (Keys.exists(converted, serial)) {
                        continue; // revoked in CERTIFICATES
                    }
                    revocation.setString(1, serial);
                    try (ResultSet effective = revocation.executeQuery()) {
                        effective.next();
                        write.setString(1, serial);
                        write.setTimestamp(2, effective.getTimestamp(1, utc), utc);
                        write.setShort(3, effective.getShort(2));
                    }
                    chunks.write(write);
                }
            }
        }
        chunks.finish();
    }
}
