package dev.kmsgate.kms.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Calendar;

/**
 * One serial's escrowed key and effective revocation in a legacy source: the merge of
 * {@code KM_KEY} and {@code KM_CRL} in serial order. Either part may be null, never both. The
 * converter and the verifier read it on a thread of its own, beside the certificates.
 *
 * <p>Public for convert and verify, which merge keys and revocations in one pass; not an API.
 */
public record KeyAndRevocation(String serial, Rows.Key key, Rows.Revocation revocation) {

    /**
     * Streams every serial from {@code from} on (inclusive) into the sink, in serial order, through
     * its own connection. Returns the source rows read (keys and CRL rows).
     */
    public static long stream(Connection source, String from, ReadAhead.Sink<KeyAndRevocation> sink)
            throws SQLException, InterruptedException {
        Calendar utc = Sql.utc();
        try (PreparedStatement keyQuery = source.prepareStatement(Kms50Schema.KEYS_FROM);
             PreparedStatement crlQuery = source.prepareStatement(Kms50Schema.CRL_FROM)) {
            keyQuery.setString(1, from);
            crlQuery.setString(1, from);
            try (OrderedCursor<Rows.Key, String> keys = OrderedCursor.open("KMS50.KM_KEY", keyQuery, Rows::key, Rows.Key::serial, true);
                 EffectiveRevocations crl = new EffectiveRevocations(OrderedCursor.open("KMS50.KM_CRL", crlQuery,
                         rs -> Rows.revocation(rs, utc), Rows.Revocation::serial, false))) {
                for (String serial = OrderedCursor.smallest(keys.peekKey(), crl.peekSerial()); serial != null;
                     serial = OrderedCursor.smallest(keys.peekKey(), crl.peekSerial())) {
                    sink.accept(new KeyAndRevocation(serial, keys.takeIf(serial), crl.takeIf(serial)));
                }
                return keys.rows() + crl.rowsRead();
            }
        }
    }
}
