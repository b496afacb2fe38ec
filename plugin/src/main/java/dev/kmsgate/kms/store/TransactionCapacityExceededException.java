package dev.kmsgate.kms.store;

import dev.kmsgate.kms.Messages;

import java.sql.SQLException;

/**
 * Thrown by a guarded connection for the statement that would take a transaction past the
 * capacity; the transaction has been rolled back. SQLState {@code 54K01} (class 54: program limit
 * exceeded).
 *
 * <p>Public for convert and gate, which tell an abort under the capacity from other failures;
 * not an API.
 */
public final class TransactionCapacityExceededException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** The SQLState of a refused transaction. */
    public static final String SQL_STATE = "54K01";

    private final long attempted;
    private final int capacity;

    public TransactionCapacityExceededException(long attempted, int capacity) {
        super(Messages.format(Messages.CAPACITY_EXCEEDED, attempted, capacity), SQL_STATE);
        this.attempted = attempted;
        this.capacity = capacity;
    }

    /** The row changes the transaction reached with the refused statement. */
    public long attempted() {
        return attempted;
    }

    public int capacity() {
        return capacity;
    }
}
