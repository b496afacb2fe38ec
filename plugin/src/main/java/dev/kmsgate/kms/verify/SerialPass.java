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

    SerialPass(Streams streams, RowEquality rows, int limit, boolean strictCauses) throws SQLException {
        this.streams = streams;
        this.certificates = new CertificateCheck(rows, limit, streams.lookups(), strictCauses);
        this.keys = new KeyCheck(rows, limit, strictCauses);
        this.revocationSet = new RevocationSetCheck(limit);
        this.revocationCounts = new RevocationCountCheck(revocationSet);
    }

    /** One serial's rows in the target. */
    private record TargetSerial(String serial, Rows.ActiveCert active, Rows.QuarantinedCert quarantined, Rows.Key key,
                                Rows.QuarantinedKey quarantinedKey, Rows.Revocation unmatched) {
    }

    void run() throws SQLException {
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
                        tRow == null ? null : tRow.quarantinedKey(), tRow == null ? null : tRow.unmatched()));
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

    private void targetSerials(ReadAhead.Sink<TargetSerial> sink) throws SQLException, InterruptedException {
        Calendar calendar = Sql.utc();
        Connection target = streams.target();
        try (PreparedStatement tc = target.prepareStatement(Kms55Schema.CERTS_IN_ORDER);
             PreparedStatement tq = target.prepareStatement(Kms55Schema.QUARANTINED_CERTS_IN_ORDER);
             PreparedStatement tk = target.prepareStatement(Kms55Schema.KEYS_IN_ORDER);
             PreparedStatement tqk = target.prepareStatement(Kms55Schema.QUARANTINED_KEYS_IN_ORDER);
             PreparedStatement tu = target.prepareStatement(Kms55Schema.UNMATCHED_IN_ORDER);
             OrderedCursor<Rows.ActiveCert, String> active = OrderedCursor.open("KMS55.CERTIFICATES", tc,
                     rs -> Rows.activeCert(rs, calendar), r -> r.cert().serial(), true);
             OrderedCursor<Rows.QuarantinedCert, String> quarantined = OrderedCursor.open("KMS55.QUARANTINED_CERT", tq,
                     rs -> Rows.quarantinedCert(rs, calendar), r -> r.cert().serial(), true);
             OrderedCursor<Rows.Key, String> keys = OrderedCursor.open("KMS55.KEY_ARCHIVE", tk, Rows::key, Rows.Key::serial, true);
             OrderedCursor<Rows.QuarantinedKey, String> quarantinedKeys = OrderedCursor.open("KMS55.QUARANTINED_KEY", tqk,
                     Rows::quarantinedKey, r -> r.key().serial(), true);
             OrderedCursor<Rows.Revocation, String> unmatched = OrderedCursor.open("KMS55.UNMATCHED_REVOCATION", tu,
                     rs -> Rows.revocation(rs, calendar), Rows.Revocation::serial, true)) {
            for (String serial = OrderedCursor.smallest(active.peekKey(), quarantined.peekKey(), keys.peekKey(), quarantinedKeys.peekKey(), unmatched.peekKey());
                 serial != null;
                 serial = OrderedCursor.smallest(active.peekKey(), quarantined.peekKey(), keys.peekKey(), quarantinedKeys.peekKey(), unmatched.peekKey())) {
                sink.accept(new TargetSerial(serial, active.takeIf(serial), quarantined.takeIf(serial), keys.takeIf(serial),
                        quarantinedKeys.takeIf(serial), unmatched.takeIf(serial)));
            }
            streams.rowsStreamed().addAndGet(active.rows() + quarantined.rows() + keys.rows() + quarantinedKeys.rows() + unmatched.rows());
        }
    }

    /** Invariants 2, 3, 4 and 5, in that order. */
    List<InvariantResult> results() {
        return List.of(certificates.result(), keys.result(), revocationCounts.result(), revocationSet.result());
    }
}
