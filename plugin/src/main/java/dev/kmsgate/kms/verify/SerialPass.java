package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.KeyAndRevocation;
import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.OrderedCursor;
import dev.kmsgate.kms.store.ReadAhead;
import dev.kmsgate.kms.store.Rows;
import dev.kmsgate.kms.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Calendar;
import java.util.List;

/**
 * The serial space: invariants 2 to 5 and their share of 6. Three reader threads stream the
 * source's certificates, the source's keys merged with its CRL, and the target's five
 * serial-keyed tables merged into one group per serial; this thread joins them into a
 * {@link SerialGroup} per serial and hands each group to every check.
 */
final class SerialPass {

    private final Streams streams;
    private final CertificateCheck certificates;
    private final KeyCheck keys;
    private final RevocationSetCheck revocationSet;
    private final RevocationCountCheck revocationCounts;

    SerialPass(Streams streams, RowEquality rows, int limit, TargetUserIds targetUsers, boolean strictCauses) throws SQLException {
        this.streams = streams;
        this.certificates = new CertificateCheck(rows, limit, streams.lookups(), targetUsers, strictCauses);
        this.keys = new KeyCheck(rows, limit, strictCauses);
        this.revocationSet = new RevocationSetCheck(limit);
        this.revocationCounts = new RevocationCountCheck(revocationSet);
    }

    /** One serial's rows in the target: the first of each table, and how many each has. */
    private record TargetSerial(String serial, Rows.ActiveCert active, Rows.QuarantinedCert quarantined, Rows.Key key,
                                Rows.QuarantinedKey quarantinedKey, Rows.Revocation unmatched, SerialGroup.TargetRows rows) {
    }

    void run() throws SQLException {
        Connection target = streams.target();
        certificates.nullKeys(nullKeys(target, "CERTIFICATES"), nullKeys(target, "QUARANTINED_CERT"));
        keys.nullKeys(nullKeys(target, "KEY_ARCHIVE"), nullKeys(target, "QUARANTINED_KEY"));
        long unmatchedNullKeys = nullKeys(target, "UNMATCHED_REVOCATION");
        revocationCounts.nullKeys(unmatchedNullKeys);
        revocationSet.nullKeys(unmatchedNullKeys);
        Calendar certUtc = Sql.utc(); // one per reader thread: calendars are not thread-safe
        try (ReadAhead<Rows.Cert> c = streams.stream("kms-verify-source-certificates", streams.source(), Kms50Schema.CERTS_FROM,
                     "KMS50.KM_CERT", rs -> Rows.cert(rs, certUtc), Rows.Cert::serial, "");
             ReadAhead<KeyAndRevocation> s = new ReadAhead<>("kms-verify-source-keys", Streams.READ_BATCH, Streams.READ_DEPTH,
                     sink -> streams.rowsStreamed().addAndGet(KeyAndRevocation.stream(streams.keySource(), "", sink)));
             ReadAhead<TargetSerial> t = new ReadAhead<>("kms-verify-target-serials", Streams.READ_BATCH, Streams.READ_DEPTH,
                     this::targetSerials)) {
            Rows.Cert cg = Streams.next(c);
            KeyAndRevocation sg = Streams.next(s);
            TargetSerial tg = Streams.next(t);
            while (cg != null || sg != null || tg != null) {
                String serial = OrderedCursor.smallest(cg == null ? null : cg.serial(), sg == null ? null : sg.serial(),
                        tg == null ? null : tg.serial());
                Rows.Cert cRow = cg != null && cg.serial().equals(serial) ? cg : null;
                KeyAndRevocation sRow = sg != null && sg.serial().equals(serial) ? sg : null;
                TargetSerial tRow = tg != null && tg.serial().equals(serial) ? tg : null;
                accept(new SerialGroup(serial, cRow, sRow == null ? null : sRow.key(), sRow == null ? null : sRow.revocation(),
                        tRow == null ? null : tRow.active(), tRow == null ? null : tRow.quarantined(), tRow == null ? null : tRow.key(),
                        tRow == null ? null : tRow.quarantinedKey(), tRow == null ? null : tRow.unmatched(),
                        tRow == null ? SerialGroup.TargetRows.NONE : tRow.rows()));
                if (cRow != null) {
                    cg = Streams.next(c);
                }
                if (sRow != null) {
                    sg = Streams.next(s);
                }
                if (tRow != null) {
                    tg = Streams.next(t);
                }
            }
        } finally {
            certificates.close();
        }
    }

    private void accept(SerialGroup group) throws SQLException {
        streams.progress().advance((group.sourceCert() != null ? 1 : 0) + (group.sourceKey() != null ? 1 : 0));
        certificates.accept(group);
        keys.accept(group);
        revocationCounts.accept(group);
        revocationSet.accept(group);
    }

    /** Rows of a target table whose key is NULL (left out of the streams, which merge by key). */
    static long nullKeys(Connection target, String table) {
        Long rows = Sql.queryLong(target, Kms55Schema.nullKeys(table));
        return rows == null ? 0 : rows;
    }

    /**
     * Streams the target's five serial-keyed tables merged by serial. The cursors allow repeated
     * keys (a target another converter wrote may break the format's keys): each repeat is counted
     * into the serial's {@link SerialGroup.TargetRows} for the checks to report.
     */
    private void targetSerials(ReadAhead.Sink<TargetSerial> sink) throws SQLException, InterruptedException {
        Calendar calendar = Sql.utc();
        Connection target = streams.target();
        try (PreparedStatement tc = target.prepareStatement(Kms55Schema.CERTS_KEYED_IN_ORDER);
             PreparedStatement tq = target.prepareStatement(Kms55Schema.QUARANTINED_CERTS_KEYED_IN_ORDER);
             PreparedStatement tk = target.prepareStatement(Kms55Schema.KEYS_KEYED_IN_ORDER);
             PreparedStatement tqk = target.prepareStatement(Kms55Schema.QUARANTINED_KEYS_KEYED_IN_ORDER);
             PreparedStatement tu = target.prepareStatement(Kms55Schema.UNMATCHED_KEYED_IN_ORDER);
             OrderedCursor<Rows.ActiveCert, String> active = OrderedCursor.open("KMS55.CERTIFICATES", tc,
                     rs -> Rows.activeCert(rs, calendar), r -> r.cert().serial(), false);
             OrderedCursor<Rows.QuarantinedCert, String> quarantined = OrderedCursor.open("KMS55.QUARANTINED_CERT", tq,
                     rs -> Rows.quarantinedCert(rs, calendar), r -> r.cert().serial(), false);
             OrderedCursor<Rows.Key, String> keys = OrderedCursor.open("KMS55.KEY_ARCHIVE", tk, Rows::key, Rows.Key::serial, false);
             OrderedCursor<Rows.QuarantinedKey, String> quarantinedKeys = OrderedCursor.open("KMS55.QUARANTINED_KEY", tqk,
                     Rows::quarantinedKey, r -> r.key().serial(), false);
             OrderedCursor<Rows.Revocation, String> unmatched = OrderedCursor.open("KMS55.UNMATCHED_REVOCATION", tu,
                     rs -> Rows.revocation(rs, calendar), Rows.Revocation::serial, false)) {
            for (String serial = OrderedCursor.smallest(active.peekKey(), quarantined.peekKey(), keys.peekKey(), quarantinedKeys.peekKey(), unmatched.peekKey());
                 serial != null;
                 serial = OrderedCursor.smallest(active.peekKey(), quarantined.peekKey(), keys.peekKey(), quarantinedKeys.peekKey(), unmatched.peekKey())) {
                Rows.ActiveCert a = active.takeIf(serial);
                int aRows = rows(a, active, serial);
                Rows.QuarantinedCert q = quarantined.takeIf(serial);
                int qRows = rows(q, quarantined, serial);
                Rows.Key k = keys.takeIf(serial);
                int kRows = rows(k, keys, serial);
                Rows.QuarantinedKey qk = quarantinedKeys.takeIf(serial);
                int qkRows = rows(qk, quarantinedKeys, serial);
                Rows.Revocation u = unmatched.takeIf(serial);
                int uRows = rows(u, unmatched, serial);
                sink.accept(new TargetSerial(serial, a, q, k, qk, u, new SerialGroup.TargetRows(aRows, qRows, kRows, qkRows, uRows)));
            }
            streams.rowsStreamed().addAndGet(active.rows() + quarantined.rows() + keys.rows() + quarantinedKeys.rows() + unmatched.rows());
        }
    }

    /** 0 when {@code first} is null, else 1 and the rows after it with the same serial, which it skips. */
    private static <T> int rows(T first, OrderedCursor<T, String> cursor, String serial) {
        if (first == null) {
            return 0;
        }
        int rows = 1;
        while (cursor.takeIf(serial) != null) {
            rows++;
        }
        return rows;
    }

    /** Invariants 2, 3, 4 and 5, in that order. */
    List<InvariantResult> results() {
        return List.of(certificates.result(), keys.result(), revocationCounts.result(), revocationSet.result());
    }
}
