package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.store.Kms50Schema;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.ReadAhead;
import dev.kmsgate.kms.store.Rows;
import dev.kmsgate.kms.store.Sql;

import java.sql.SQLException;
import java.util.Calendar;

/**
 * Invariant 1 (every user once) and its share of invariant 6 (each equal in every column): a merge
 * of {@code KM_USER} and {@code USERS} by {@code USER_ID}, each side streamed by its own thread.
 */
final class UserPass {

    private final Streams streams;
    private final CountCheck count;
    private final RowEquality rows;
    private final TargetUserIds targetUsers;

    /**
     * @param targetUsers filled with the id of every row of the target's {@code USERS}
     */
    UserPass(Streams streams, RowEquality rows, int limit, TargetUserIds targetUsers) {
        this.streams = streams;
        this.rows = rows;
        this.targetUsers = targetUsers;
        this.count = new CountCheck(Invariant.USER_COUNT, "users", limit);
    }

    void run() throws SQLException {
        long nullKeys = SerialPass.nullKeys(streams.target(), "USERS");
        if (nullKeys > 0) {
            count.target(nullKeys);
            count.differs(nullKeys + (nullKeys == 1 ? " row" : " rows") + " of USERS with a NULL USER_ID");
        }
        Calendar sourceUtc = Sql.utc(); // one per reader thread: calendars are not thread-safe
        Calendar targetUtc = Sql.utc();
        try (ReadAhead<Rows.User> s = streams.stream("kms-verify-source-users", streams.source(), Kms50Schema.USERS_ALL,
                     "KMS50.KM_USER", rs -> Rows.user(rs, sourceUtc), Rows.User::userId);
             ReadAhead<Rows.User> t = streams.streamRepeating("kms-verify-target-users", streams.target(), Kms55Schema.USERS_KEYED_IN_ORDER,
                     "KMS55.USERS", rs -> Rows.user(rs, targetUtc), Rows.User::userId)) {
            Rows.User su = Streams.next(s);
            Rows.User tu = Streams.next(t);
            while (su != null || tu != null) {
                int key = su == null ? tu.userId() : tu == null ? su.userId() : Math.min(su.userId(), tu.userId());
                Rows.User sRow = su != null && su.userId() == key ? su : null;
                Rows.User tRow = tu != null && tu.userId() == key ? tu : null;
                int targetRows = 0;
                if (tRow != null) {
                    targetUsers.add(key);
                    for (; tu != null && tu.userId() == key; tu = Streams.next(t)) {
                        targetRows++; // more than one breaks the key of USERS
                    }
                }
                user(key, sRow, tRow, targetRows);
                if (sRow != null) {
                    su = Streams.next(s);
                }
            }
        }
    }

    private void user(int key, Rows.User source, Rows.User target, int targetRows) {
        if (source != null) {
            count.source(1);
            rows.sourceRow();
            streams.progress().advance(1);
        }
        count.target(targetRows);
        String nullColumn = target == null ? null : NotNull.user(target);
        if (targetRows > 1) {
            count.differs("user " + key + ": " + targetRows + " rows in USERS, whose key is USER_ID");
            rows.differs("user " + key + ": in USERS " + targetRows + " times");
        } else if (source != null && target == null) {
            count.differs("user " + key + ": in KM_USER, missing from USERS");
            rows.differs("user " + key + ": missing from USERS");
        } else if (source == null) {
            count.differs("user " + key + ": in USERS, not in KM_USER");
            rows.differs("user " + key + ": in USERS but not in KM_USER");
        } else if (nullColumn != null) {
            rows.differs(NotNull.describe("user " + key, nullColumn, "USERS"));
        } else {
            String column = source.firstDifference(target);
            if (column == null) {
                rows.equal();
            } else {
                rows.differs("user " + key + ": " + column + " differs");
            }
        }
    }

    InvariantResult result() {
        return count.result();
    }
}
