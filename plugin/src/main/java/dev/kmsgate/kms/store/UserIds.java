package dev.kmsgate.kms.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;

/**
 * Which user ids exist in a legacy source, answered without a look-up per certificate. The ids in
 * a window of {@link #WINDOW} ids from the smallest one are held as one bit each (at most 4 MiB,
 * whatever the source's size; 62 KiB for 500,000 consecutive ids); an id outside the window is
 * looked up in {@code KM_USER}'s primary key. Filling the window is one index-only scan of
 * {@code KM_USER} (about 1 us a user), against about 20 us for each certificate's own look-up.
 *
 * <p>Not thread-safe: one reader thread builds and asks it, on its own connection.
 *
 * <p>Public for convert and verify, which ask whether a user exists without a query each;
 * not an API.
 */
public final class UserIds implements AutoCloseable {

    /** Ids held as bits, from the smallest id on: 2^25 bits, 4 MiB at most. */
    public static final int WINDOW = 1 << 25;

    private final BitSet bits;
    private final long first;
    private final PreparedStatement lookup;

    private UserIds(BitSet bits, long first, PreparedStatement lookup) {
        this.bits = bits;
        this.first = first;
        this.lookup = lookup;
    }

    /** Reads the user ids of the source behind {@code source}; the connection stays open for look-ups. */
    public static UserIds read(Connection source) throws SQLException {
        BitSet bits = new BitSet();
        long first = 0;
        try (PreparedStatement ids = source.prepareStatement(Kms50Schema.USER_IDS);
             ResultSet rs = ids.executeQuery()) {
            boolean any = false;
            while (rs.next()) {
                long id = rs.getInt(1);
                if (!any) {
                    first = id; // ascending: the first id is the smallest
                    any = true;
                }
                if (id - first >= WINDOW) {
                    break; // the rest are looked up one by one
                }
                bits.set((int) (id - first));
            }
        }
        return new UserIds(bits, first, source.prepareStatement(Kms50Schema.USER_EXISTS));
    }

    /** Whether {@code KM_USER} has a row with this id. */
    public boolean contains(int userId) throws SQLException {
        long offset = (long) userId - first;
        if (offset >= 0 && offset < WINDOW) {
            return bits.get((int) offset);
        }
        if (offset < 0) {
            return false; // below the smallest id
        }
        lookup.setInt(1, userId);
        try (ResultSet rs = lookup.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    public void close() throws SQLException {
        lookup.close();
    }
}
