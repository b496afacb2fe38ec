package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Progress;
import dev.kmsgate.kms.store.ChunkWriter;
import dev.kmsgate.kms.store.KeyAndRevocation;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.OrderedCursor;
import dev.kmsgate.kms.store.ReadAhead;
import dev.kmsgate.kms.store.Rows;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.UserIds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Calendar;

/**
 * Phase {@code SERIALS}: one merged pass over the certificates, keys and CRL in serial order. Two
 * reader threads read the source, each through its own connection: one the certificates (each
 * with whether its user exists), one the keys merged with the CRL. The calling thread merges the
 * two streams, decides where each row goes and writes the target. Each certificate is written
 * with its effective revocation (or quarantined), each key to the archive (or quarantine), and
 * each unmatched revocation once; the {@code single-transaction} strategy writes every
 * certificate as valid and leaves the revocations to its own phase.
 */
final class SerialPass {

    // kinds of row change at one serial, in the order they are written
    private static final int CERT = 0;
    private static final int KEY = 1;
    private static final int UNMATCHED = 2;

    // target tables of the serial pass, in the order their batches run
    private static final int TO_CERTIFICATES = 0;
    private static final int TO_QUARANTINED_CERT = 1;
    private static final int TO_KEY_ARCHIVE = 2;
    private static final int TO_QUARANTINED_KEY = 3;
    private static final int TO_UNMATCHED = 4;

    /** A source certificate and whether its user exists, as the certificate reader delivers them. */
    private record SourceCert(Rows.Cert cert, boolean userKnown) {
    }

    private final ConversionRun run;
    private final Tally tally;
    private final boolean chunked;
    private final Calendar utc = Sql.utc();
    /** The reader thread's own calendar: calendars are not thread-safe. */
    private final Calendar readerUtc = Sql.utc();

    SerialPass(ConversionRun run, Tally tally) {
        this.run = run;
        this.tally = tally;
        this.chunked = run.settings().strategy() == Strategy.CHUNKED;
    }

    void run(Progress progress) throws SQLException {
        Connection target = run.target();
        Position resume = Position.read(target);
        target.commit();
        String from = resume == null ? "" : resume.serial();
        try (Connection keySource = run.settings().source().openReadOnly()) {
            try (ReadAhead<SourceCert> certs = new ReadAhead<>("kms-convert-certificates", ConversionRun.READ_BATCH,
                     ConversionRun.READ_DEPTH, sink -> sourceCertificates(from, sink));
                 ReadAhead<KeyAndRevocation> others = new ReadAhead<>("kms-convert-keys", ConversionRun.READ_BATCH,
                     ConversionRun.READ_DEPTH, sink -> KeyAndRevocation.stream(keySource, from, sink));
                 ChunkWriter writer = new ChunkWriter(target, run.rowsPerCommit(), progress, run.stop()::check,
                     Kms55Schema.INSERT_CERT, Kms55Schema.INSERT_QUARANTINED_CERT, Kms55Schema.INSERT_KEY,
                     Kms55Schema.INSERT_QUARANTINED_KEY, Kms55Schema.INSERT_UNMATCHED)) {
                SourceCert nextCert = ConversionRun.next(certs);
                KeyAndRevocation nextOther = ConversionRun.next(others);
                while (nextCert != null || nextOther != null) {
                    String serial = OrderedCursor.smallest(nextCert == null ? null : nextCert.cert().serial(),
                            nextOther == null ? null : nextOther.serial());
                    SourceCert cert = nextCert != null && nextCert.cert().serial().equals(serial) ? nextCert : null;
                    KeyAndRevocation other = nextOther != null && nextOther.serial().equals(serial) ? nextOther : null;
                    serial(writer, resume, serial, cert, other);
                    if (cert != null) {
                        nextCert = ConversionRun.next(certs);
                    }
                    if (other != null) {
                        nextOther = ConversionRun.next(others);
                    }
                }
                writer.flush();
            } finally {
                keySource.rollback(); // a read-only connection ends its read transaction before it closes
            }
        }
    }

    /**
     * Runs on the certificate reader thread: the certificates in key order, each with whether
     * its user exists, answered by {@link UserIds} rather than a look-up per certificate.
     */
    private void sourceCertificates(String from, ReadAhead.Sink<SourceCert> sink) throws SQLException, InterruptedException {
        Connection source = run.source();
        try (UserIds users = UserIds.read(source);
             PreparedStatement query = source.prepareStatement(Kms50Schema.CERTS_FROM)) {
            query.setString(1, from);
            try (OrderedCursor<Rows.Cert, String> certs = OrderedCursor.open("KMS50.KM_CERT", query,
                    rs -> Rows.cert(rs, readerUtc), Rows.Cert::serial, true)) {
                for (Rows.Cert cert = certs.take(); cert != null; cert = certs.take()) {
                    sink.accept(new SourceCert(cert, users.contains(cert.userId())));
                }
            }
        }
    }

    /** Writes what one serial becomes: its certificate, its key, its unmatched revocation, in that order. */
    private void serial(ChunkWriter writer, Position resume, String serial, SourceCert cert, KeyAndRevocation other)
            throws SQLException {
        boolean active = cert != null && cert.userKnown();
        Rows.Revocation revocation = other == null ? null : other.revocation();
        Rows.Key key = other == null ? null : other.key();
        if (cert != null && Position.isAfter(resume, serial, CERT)) {
            if (active) {
                writeCert(writer, cert.cert(), chunked ? revocation : null);
            } else {
                writeQuarantinedCert(writer, cert.cert());
            }
        }
        if (key != null && Position.isAfter(resume, serial, KEY)) {
            if (active) {
                writeKey(writer, TO_KEY_ARCHIVE, key, null);
            } else {
                writeKey(writer, TO_QUARANTINED_KEY, key,
                        cert == null ? Kms55Schema.CAUSE_NO_CERTIFICATE : Kms55Schema.CAUSE_CERTIFICATE_QUARANTINED);
            }
        }
        if (chunked && revocation != null && !active && Position.isAfter(resume, serial, UNMATCHED)) {
            ConversionRun.bindRevocation(writer.statement(TO_UNMATCHED), revocation, utc);
            writer.add(TO_UNMATCHED, false); // the progress total (users, certificates, keys) cannot know how many there are
            tally.unmatched++;
            tally.serialRows++;
        }
    }

    private void bindCert(PreparedStatement insert, Rows.Cert cert) throws SQLException {
        insert.setString(1, cert.serial());
        insert.setInt(2, cert.userId());
        insert.setString(3, cert.usage());
        insert.setString(4, cert.issuerDn());
        insert.setString(5, cert.subjectDn());
        insert.setTimestamp(6, cert.notBefore(), utc);
        insert.setTimestamp(7, cert.notAfter(), utc);
        insert.setBytes(8, cert.der());
    }

    private void writeCert(ChunkWriter writer, Rows.Cert cert, Rows.Revocation revocation) throws SQLException {
        PreparedStatement insert = writer.statement(TO_CERTIFICATES);
        bindCert(insert, cert);
        if (revocation == null) {
            insert.setString(9, "V");
            insert.setNull(10, Types.TIMESTAMP);
            insert.setNull(11, Types.SMALLINT);
        } else {
            insert.setString(9, "R");
            insert.setTimestamp(10, revocation.revokedAt(), utc);
            insert.setShort(11, revocation.reason());
            tally.revoked++;
        }
        writer.add(TO_CERTIFICATES);
        tally.certificates++;
        tally.serialRows++;
    }

    private void writeQuarantinedCert(ChunkWriter writer, Rows.Cert cert) throws SQLException {
        PreparedStatement insert = writer.statement(TO_QUARANTINED_CERT);
        bindCert(insert, cert);
        insert.setString(9, Kms55Schema.CAUSE_UNKNOWN_USER);
        writer.add(TO_QUARANTINED_CERT);
        tally.quarantinedCerts++;
        tally.certificates++;
        tally.serialRows++;
    }

    private void writeKey(ChunkWriter writer, int table, Rows.Key key, String cause) throws SQLException {
        PreparedStatement insert = writer.statement(table);
        insert.setString(1, key.serial());
        insert.setBytes(2, key.wrappedKey());
        if (cause != null) {
            insert.setString(3, cause);
            tally.quarantinedKeys++;
        }
        writer.add(table);
        tally.keys++;
        tally.serialRows++;
    }

    /** Where a resumed serial pass starts: the greatest (serial, kind) committed. */
    record Position(String serial, int kind) {

        static Position read(Connection target) {
            Position position = null;
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_CERT), CERT);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_QUARANTINED_CERT), CERT);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_KEY), KEY);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_QUARANTINED_KEY), KEY);
            position = max(position, Sql.queryString(target, Kms55Schema.MAX_UNMATCHED), UNMATCHED);
            return position;
        }

        private static Position max(Position current, String serial, int kind) {
            if (serial == null) {
                return current;
            }
            Position candidate = new Position(serial, kind);
            return current == null || isAfter(current, serial, kind) ? candidate : current;
        }

        /** Whether the change (serial, kind) comes after the resume position, i.e. is not yet committed. */
        static boolean isAfter(Position position, String serial, int kind) {
            if (position == null) {
                return true;
            }
            int order = serial.compareTo(position.serial);
            return order > 0 || (order == 0 && kind > position.kind);
        }
    }
}
