package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.UserIds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;

/**
 * The user ids of the target's {@code USERS}, for the foreign-key rule of {@code CERTIFICATES}
 * checked on the data: the user pass, which streams {@code USERS} in key order anyway, adds each
 * id; the certificate check then asks for each converted certificate's {@code USER_ID}.
 *
 * <p>Why bits and not a look-up per certificate: a target another converter wrote may have no key
 * on {@code USERS}, and there a look-up is a table scan, once per certificate. Ids in a window of
 * {@link UserIds#WINDOW} ids from the smallest one are held as one bit each (4 MiB at most,
 * whatever the target's size); only an id beyond the window is looked up in the target.
 */
final class TargetUserIds implements AutoCloseable {

    private final int window;
    private final Connection target;
    private final BitSet bits = new BitSet();
    private long first;
    private boolean any;
    private boolean beyond;
    private PreparedStatement lookup;

    /**
     * @param target a target connection for look-ups beyond the window, owned by the caller
     */
    TargetUserIds(Connection target) {
        this(target, UserIds.WINDOW);
    }

    TargetUserIds(Connection target, int window) {
        this.target = target;
        this.window = window;
    }

    /** Adds a user id; ids come in ascending order, so the first is the smallest. */
    void add(int userId) {
        if (!any) {
            first = userId;
            any = true;
        }
        long offset = userId - first;
        if (offset < window) {
            bits.set((int) offset);
        } else {
            beyond = true;
        }
    }

    /** Whether the target's {@code USERS} has a row with this id. */
    boolean contains(int userId) throws SQLException {
        long offset = (long) userId - first;
        if (!any || offset < 0) {
            return false;
        }
        if (offset < window) {
            return bits.get((int) offset);
        }
        if (!beyond) {
            return false;
        }
        if (lookup == null) {
            lookup = target.prepareStatement(Kms55Schema.TARGET_USER_EXISTS);
        }
        lookup.setInt(1, userId);
        try (ResultSet rs = lookup.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    public void close() throws SQLException {
        if (lookup != null) {
            lookup.close();
        }
    }
}
