package com.example.kms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Commits the target every {@code capacity} row changes, so no transaction ever holds more. */
final class Chunks {

    private final Connection target;
    private final int capacity;
    private int pending;
    private long total;

    Chunks(Connection target, int capacity) {
        this.target = target;
        this.capacity = capacity;
    }

    /** Executes one single-row insert; commits when the chunk is full. */
    void write(PreparedStatement insert) throws SQLException {
        pending += insert.executeUpdate();
        total++;
        if (pending >= capacity) {
            finish();
        }
    }

    /** Commits what is pending. */
    void finish() throws SQLException {
        target.commit();
        pending = 0;
    }

    long total() {
        return total;
    }
}
