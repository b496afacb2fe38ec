package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Rows;

/**
 * Everything both databases hold under one serial: the source's certificate, key and effective
 * revocation, and the target's rows in its five serial-keyed tables (the first of each, with how
 * many there are). Any of them may be null.
 */
record SerialGroup(String serial, Rows.Cert sourceCert, Rows.Key sourceKey, Rows.Revocation revocation,
                   Rows.ActiveCert cert, Rows.QuarantinedCert quarantinedCert, Rows.Key key,
                   Rows.QuarantinedKey quarantinedKey, Rows.Revocation unmatched, TargetRows rows) {

    /**
     * How many rows each target table holds under the serial: 0 or 1 in a target that keeps the
     * format's keys; the group carries the first of them.
     */
    record TargetRows(int certs, int quarantinedCerts, int keys, int quarantinedKeys, int unmatched) {
        static final TargetRows NONE = new TargetRows(0, 0, 0, 0, 0);
    }
}
