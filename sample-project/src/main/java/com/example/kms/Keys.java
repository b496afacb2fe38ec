package com.example.kms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Where a resumed upgrade goes on: the greatest key each table already holds. */
final class Keys {

    private Keys() {
    }

    /** The greatest user id the target holds, or null when it holds none. */
    static Integer greatestUser(Connection target) throws SQLException {
        try (Statement query = target.createStatement(); ResultSet rs = query.executeQuery("SELECT MAX(USER_ID) FROM KMS55.USERS")) {
            rs.next();
            int greatest = rs.getInt(1);
            return rs.wasNull() ? null : greatest;
        }
    }

    /** The greatest serial over tables written together in serial order, or "" when they are empty. */
    static String greatestSerial(Connection target, String... tables) throws SQLException {
        String greatest = "";
        for (String table : tables) {
            try (Statement query = target.createStatement(); ResultSet rs = query.executeQuery("SELECT MAX(SERIAL) FROM KMS55." + table)) {
                rs.next();
                String serial = rs.getString(1);
                if (serial != null && serial.compareTo(greatest) > 0) {
                    greatest = serial;
                }
            }
        }
        return greatest;
    }

    static boolean exists(PreparedStatement query, String serial) throws SQLException {
        query.setString(1, serial);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next();
        }
    }
}
