package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Rows;

/**
 * The format's NOT NULL rule, checked on a target row whatever its schema declares: each method
 * returns the first column, in column order, that the format declares NOT NULL and the row holds
 * as NULL, or null when there is none. Keys are not asked: rows with a NULL key are counted apart.
 */
final class NotNull {

    private NotNull() {
    }

    static String user(Rows.User user) {
        if (user.mailboxDn() == null) return "MAILBOX_DN";
        if (user.enrolledAt() == null) return "ENROLLED_AT";
        return null;
    }

    static String cert(Rows.Cert cert) {
        if (cert.userId() == null) return "USER_ID";
        if (cert.usage() == null) return "USAGE";
        if (cert.issuerDn() == null) return "ISSUER_DN";
        if (cert.subjectDn() == null) return "SUBJECT_DN";
        if (cert.notBefore() == null) return "NOT_BEFORE";
        if (cert.notAfter() == null) return "NOT_AFTER";
        if (cert.der() == null) return "CERT_DER";
        return null;
    }

    static String activeCert(Rows.ActiveCert cert) {
        String column = cert(cert.cert());
        return column != null || cert.status() != null ? column : "STATUS";
    }

    static String quarantinedCert(Rows.QuarantinedCert cert) {
        String column = cert(cert.cert());
        return column != null || cert.cause() != null ? column : "CAUSE";
    }

    static String key(Rows.Key key) {
        return key.wrappedKey() == null ? "WRAPPED_KEY" : null;
    }

    static String quarantinedKey(Rows.QuarantinedKey key) {
        String column = key(key.key());
        return column != null || key.cause() != null ? column : "CAUSE";
    }

    static String revocation(Rows.Revocation revocation) {
        if (revocation.revokedAt() == null) return "REVOKED_AT";
        if (revocation.reason() == null) return "REASON";
        return null;
    }

    /** {@code serial 3fa2: CAUSE is NULL in QUARANTINED_CERT, which the format declares NOT NULL}. */
    static String describe(String key, String column, String table) {
        return key + ": " + column + " is NULL in " + table + ", which the format declares NOT NULL";
    }
}
