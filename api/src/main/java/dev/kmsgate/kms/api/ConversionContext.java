package dev.kmsgate.kms.api;

import java.sql.Connection;

/**
 * What KMS Gate hands a {@link KmsConverter} for one conversion. Valid only during
 * {@link KmsConverter#convert}.
 */
public interface ConversionContext {

    /**
     * A read-only connection to the legacy database (schema {@code KMS50}). The plugin owns it:
     * do not close it. Every write through it fails; the source is never changed.
     */
    Connection source();

    /**
     * The target (schema {@code KMS55}) under the capacity guard, with autocommit off (turning it
     * on is refused: it would hide each transaction from the guard). The plugin owns it: do not
     * close it. Savepoints, stored procedure calls, updatable result sets and {@code unwrap} are
     * refused, because each would let row changes pass uncounted.
     */
    Connection target();

    /**
     * A JDBC URL that opens more read-only connections to the source through
     * {@link java.sql.DriverManager}, for code that opens its own. Those connections are the
     * converter's to close.
     */
    String sourceUrl();

    /**
     * A JDBC URL that opens more connections to the target through {@link java.sql.DriverManager},
     * each under the same guard and counted into the same ledger as {@link #target()}: for code that
     * opens its own (a {@code DataSource}, Flyway, Liquibase, Spring JDBC). Each connection holds
     * its own transactions, each at most the capacity. Those connections are the converter's to
     * close; any still open when the conversion ends are rolled back and closed.
     */
    String targetUrl();

    /** The most row changes one transaction on the target may hold: {@code transactionCapacity}. */
    int transactionCapacity();

    /**
     * Writes an info line to the build log; under {@code kms:regression}, after the name of the
     * target being converted ({@code [10C-chunked] }), since the gate converts several at once.
     * Never pass it a secret (a wrapped key, a password).
     */
    void log(String message);
}
