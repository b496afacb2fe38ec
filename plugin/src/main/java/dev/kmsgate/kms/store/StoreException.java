package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsException;

import java.sql.SQLException;

/**
 * A database operation failed for a reason that is not the user's: it names the statement and
 * the SQLState, and keeps the original {@link SQLException} as its cause.
 *
 * <p>Public for convert, verify, generate and gate, which throw or catch it; not an API.
 */
public class StoreException extends KmsException {

    private static final long serialVersionUID = 1L;

    private final String sqlState;

    public StoreException(String what, SQLException cause) {
        super(what + " failed: " + firstLine(cause.getMessage()) + " (SQLState " + Sql.rootState(cause) + ")", cause);
        this.sqlState = Sql.rootState(cause);
    }

    /** The most specific SQLState of the failure, e.g. {@code XSDB6}. */
    public String sqlState() {
        return sqlState;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
