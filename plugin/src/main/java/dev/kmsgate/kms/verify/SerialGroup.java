package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Rows;

/**
 * Everything both databases hold under one serial: the source's certificate, key and effective
 * revocation, and the target's rows in its five serial-keyed tables. Any of them may be null.
 */
record SerialGroup(String serial, Rows.Cert sourceCert, Rows.Key sourceKey, Rows.Revocation revocation,
                   Rows.ActiveCert cert, Rows.QuarantinedCert quarantinedCert, Rows.Key key,
                   Rows.QuarantinedKey quarantinedKey, Rows.Revocation unmatched) {
}
