package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.store.Database;
import dev.kmsgate.kms.store.DatabaseAddress;
import dev.kmsgate.kms.store.Databases;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps two converters from writing one target at the same time. Within one JVM a registry of
 * targets refuses the second at once; across JVMs an embedded database cannot be booted twice
 * (Derby XSDB6), and a network database is guarded by an exclusive lock on
 * {@code KMS55.KMS_CONVERSION_LOCK}, held by a separate connection for the whole run.
 */
final class ConversionLock implements AutoCloseable {

    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

    private final String key;
    private Connection lockConnection;

    private ConversionLock(String key) {
        this.key = key;
    }

    /** Takes the in-JVM lock on a target, or refuses. */
    static ConversionLock acquire(DatabaseAddress target) {
        String key = target.url();
        if (!HELD.add(key)) {
            throw new KmsUsageException(Messages.format(Messages.CONVERSION_RUNNING, target.display()));
        }
        return new ConversionLock(key);
    }

    /** Takes the database lock too, once the target's schema exists. */
    void lockDatabase(Database target) {
        Connection connection = Databases.openExisting(target.address(), target.credentials());
        try {
            Long holders = Sql.queryLong(connection, Kms55Schema.LOCK_HELD);
            if (holders != null && holders > 0) {
                throw new KmsUsageException(Messages.format(Messages.CONVERSION_RUNNING, target.display()));
            }
            try {
                Sql.execute(connection, Kms55Schema.LOCK);
            } catch (StoreException e) {
                if ("40XL1".equals(e.sqlState()) || "40XL2".equals(e.sqlState())) {
                    // both looked at once and the other took the lock: it held it past the lock timeout
                    throw new KmsUsageException(Messages.format(Messages.CONVERSION_RUNNING, target.display()), e);
                }
                throw e;
            }
            lockConnection = connection;
        } catch (RuntimeException e) {
            close(connection);
            throw e;
        }
    }

    @Override
    public void close() {
        if (lockConnection != null) {
            close(lockConnection);
            lockConnection = null;
        }
        HELD.remove(key);
    }

    private static void close(Connection connection) {
        try {
            connection.rollback();
            connection.close();
        } catch (SQLException ignored) {
            // releasing a lock on a connection that is gone: the lock went with it
        }
    }
}
