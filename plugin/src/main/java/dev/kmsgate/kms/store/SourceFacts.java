package dev.kmsgate.kms.store;

import dev.kmsgate.kms.Sha256;

import java.sql.Connection;

/**
 * Row counts and identity of a legacy source. The fingerprint is a SHA-256 over the engine's
 * identifier of the KMS50 schema (a UUID Derby gives it at creation), the four tables' row counts
 * and greatest keys: a copy of the same database has the same fingerprint, another database (or
 * this one after rows were added or removed) has another.
 *
 * <p>Public for convert, verify and gate, which fingerprint and count a source; not an API.
 *
 * @param fingerprint 64 hex digits
 */
public record SourceFacts(String fingerprint, long users, long certificates, long keys, long crlRows) {

    /** Reads the facts through an open source connection (a few indexed counts, no table scan of data pages). */
    public static SourceFacts read(Connection source) {
        long users = Sql.count(source, Kms50Schema.COUNT_USERS);
        long certificates = Sql.count(source, Kms50Schema.COUNT_CERTS);
        long keys = Sql.count(source, Kms50Schema.COUNT_KEYS);
        long crlRows = Sql.count(source, Kms50Schema.COUNT_CRL);
        String identity = String.join("|",
                schemaId(source),
                Long.toString(users), Long.toString(certificates), Long.toString(keys), Long.toString(crlRows),
                String.valueOf(Sql.queryLong(source, Kms50Schema.MAX_USER)),
                String.valueOf(Sql.queryString(source, Kms50Schema.MAX_CERT)),
                String.valueOf(Sql.queryString(source, Kms50Schema.MAX_KEY)),
                String.valueOf(Sql.queryString(source, Kms50Schema.MAX_CRL)));
        return new SourceFacts(Sha256.hex(identity), users, certificates, keys, crlRows);
    }


    private static String schemaId(Connection source) {
        try {
            String id = Sql.queryString(source, Kms50Schema.SCHEMA_ID);
            return id == null ? "" : id;
        } catch (StoreException e) {
            return ""; // another engine without Derby's catalog: counts and keys alone identify the source
        }
    }

    /** The first 12 hex digits, enough to tell sources apart in a message. */
    public String shortFingerprint() {
        return fingerprint.substring(0, 12);
    }
}
