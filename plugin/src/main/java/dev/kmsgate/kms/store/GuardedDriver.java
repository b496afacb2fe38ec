package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsException;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The JDBC driver behind a conversion's {@code sourceUrl} and {@code targetUrl}: code of the user's
 * own that opens connections through {@link DriverManager} (a {@code DataSource}, Flyway, Spring
 * JDBC) gets read-only connections to the source, and connections to the target that go through
 * the {@link CapacityGuard} and count into the conversion's {@link TransactionLedger}, without
 * knowing KMS Gate. URLs are {@code jdbc:kmsgate:target:<id>} and {@code jdbc:kmsgate:source:<id>},
 * each valid while its {@link Registration} is open. They carry no path and no secret.
 *
 * <p>Public for convert, which gives the user's converter its connections through it; not an API.
 */
public final class GuardedDriver implements Driver {

    private static final String PREFIX = "jdbc:kmsgate:";
    private static final Map<String, Registration> OPEN = new ConcurrentHashMap<>();
    private static final GuardedDriver INSTANCE = new GuardedDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Use {@link #register}. */
    public GuardedDriver() {
    }

    /**
     * Opens URLs for one conversion until the registration is closed, which also closes every
     * connection opened through them that the user's code left open.
     */
    public static Registration register(Database source, Database target, int capacity, TransactionLedger ledger) {
        Registration registration = new Registration(UUID.randomUUID().toString(), source, target, capacity, ledger);
        OPEN.put(registration.id, registration);
        return registration;
    }

    /** One conversion's URLs and the connections opened through them. */
    public static final class Registration implements AutoCloseable {
        private final String id;
        private final Database source;
        private final Database target;
        private final int capacity;
        private final TransactionLedger ledger;
        private final List<Connection> opened = new ArrayList<>();

        private Registration(String id, Database source, Database target, int capacity, TransactionLedger ledger) {
            this.id = id;
            this.source = source;
            this.target = target;
            this.capacity = capacity;
            this.ledger = ledger;
        }

        public String sourceUrl() {
            return PREFIX + "source:" + id;
        }

        public String targetUrl() {
            return PREFIX + "target:" + id;
        }

        private Connection open(boolean toTarget) throws SQLException {
            Connection connection;
            try {
                connection = toTarget ? CapacityGuard.guard(Databases.openExisting(target.address(), target.credentials()), capacity, ledger)
                        : source.openReadOnly();
            } catch (KmsException e) {
                throw new SQLException(e.getMessage(), "08001", e);
            }
            synchronized (opened) {
                opened.add(connection);
            }
            return connection;
        }

        /** Stops the URLs and rolls back and closes every connection still open through them. */
        @Override
        public void close() {
            OPEN.remove(id);
            synchronized (opened) {
                for (Connection connection : opened) {
                    try {
                        if (!connection.isClosed()) {
                            rollbackQuietly(connection); // fails on a crashed run's connection, which closes all the same
                            connection.close();
                        }
                    } catch (SQLException e) {
                        // a connection that cannot be closed is released with its database
                    }
                }
                opened.clear();
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // closing is what matters
        }
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // JDBC: not ours, let the next driver try
        }
        String rest = url.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String role = colon < 0 ? rest : rest.substring(0, colon);
        Registration registration = colon < 0 ? null : OPEN.get(rest.substring(colon + 1));
        if (registration == null || !(role.equals("target") || role.equals("source"))) {
            throw new SQLException("No KMS Gate conversion is running for " + url
                    + ": a conversion's sourceUrl() and targetUrl() are valid only while its convert() runs.", "08001");
        }
        return registration.open(role.equals("target"));
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("KMS Gate's driver does not log through java.util.logging.");
    }
}
