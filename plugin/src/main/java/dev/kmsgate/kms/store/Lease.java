package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsException;

import java.util.HashMap;
import java.util.Map;

/**
 * A claim on an embedded database's engine: whoever boots a database holds a lease on it, and the
 * last lease to close shuts it down, releasing its files and lock. Leases nest and are counted per
 * database across threads, so the gate can hold a case's databases across the conversion and
 * verification it runs on them (each of which leases them again) without a reboot in between,
 * and two cases that share a source never shut it down under each other.
 *
 * <p>Public for convert, verify, generate and gate, which hold the engines they boot; not an API.
 */
public final class Lease implements AutoCloseable {

    private static final Map<String, Integer> HOLDERS = new HashMap<>();

    private final Database database;
    private boolean closed;

    private Lease(Database database) {
        this.database = database;
    }

    /** Takes a lease on a database; network databases, which this JVM does not boot, need none but take one harmlessly. */
    public static Lease on(Database database) {
        synchronized (HOLDERS) {
            HOLDERS.merge(key(database), 1, Integer::sum);
        }
        return new Lease(database);
    }

    private static String key(Database database) {
        return database.address().url();
    }

    /**
     * Releases the lease; the last one shuts the database down. A database that will not shut down
     * is released at the JVM's exit, so a failure here never hides the outcome of the work.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (HOLDERS) {
            String key = key(database);
            int left = HOLDERS.merge(key, -1, Integer::sum);
            if (left > 0) {
                return;
            }
            HOLDERS.remove(key);
            try {
                database.shutdown();
            } catch (KmsException e) {
                // the database is released at JVM exit; the caller's own outcome is what counts
            }
        }
    }
}
