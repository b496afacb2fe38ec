package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.KmsLog;
import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;
import dev.kmsgate.kms.api.ConversionContext;
import dev.kmsgate.kms.api.KmsConverter;
import dev.kmsgate.kms.store.CapacityGuard;
import dev.kmsgate.kms.store.Formats;
import dev.kmsgate.kms.store.GuardedDriver;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.Lease;
import dev.kmsgate.kms.store.Schemas;
import dev.kmsgate.kms.store.SourceFacts;
import dev.kmsgate.kms.store.Sql;
import dev.kmsgate.kms.store.StoreException;
import dev.kmsgate.kms.store.TransactionCapacityExceededException;
import dev.kmsgate.kms.store.TransactionLedger;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A converter of the user's own ({@link KmsConverter}), run under the capacity guard: every
 * connection it can reach the target through, the one it is handed and each one it opens with
 * {@link ConversionContext#targetUrl()}, is guarded and counted into the run's ledger. A new
 * instance converts each run. The source is opened read-only.
 *
 * <p>Public for fork and maven, which load the user's converter, and gate, which runs it;
 * not an API.
 */
public final class ForeignConverter {

    private final String className;
    private final Supplier<KmsConverter> instances;

    private ForeignConverter(String className, Supplier<KmsConverter> instances) {
        this.className = className;
        this.instances = instances;
    }

    /**
     * A converter made by code rather than named by class (for tools that embed the core): a new
     * instance from {@code instances} converts each run.
     *
     * @param name how reports name it
     */
    public static ForeignConverter of(String name, Supplier<KmsConverter> instances) {
        return new ForeignConverter(name, instances);
    }

    /**
     * Loads the user's converter from their project's class path, in a loader of its own that
     * lives as long as the converter, which runs in every case of a gate: the one way a goal or the
     * gate's own JVM loads it.
     *
     * @param classpath the project's classes, test classes and test-scope dependencies
     */
    public static ForeignConverter load(String className, List<Path> classpath) {
        return load(className, new ConverterClassLoader(classpath));
    }

    /**
     * Loads a converter class, refusing with a message that names the class and the fix when it is
     * missing, does not implement {@link KmsConverter}, or has no public no-argument constructor.
     *
     * @param loader where the project's classes are (see {@link ConverterClassLoader})
     */
    public static ForeignConverter load(String className, ClassLoader loader) {
        String name = className.trim();
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new KmsUsageException(Messages.format(Messages.CONVERTER_NOT_FOUND, name), e);
        }
        if (!KmsConverter.class.isAssignableFrom(type)) {
            throw new KmsUsageException(Messages.format(Messages.CONVERTER_NOT_A_CONVERTER, name));
        }
        try {
            Constructor<? extends KmsConverter> constructor = type.asSubclass(KmsConverter.class).getConstructor();
            if (Modifier.isAbstract(type.getModifiers())) {
                throw new KmsUsageException(Messages.format(Messages.CONVERTER_NO_CONSTRUCTOR, name));
            }
            ForeignConverter converter = new ForeignConverter(name, () -> instantiate(name, constructor));
            converter.newInstance(); // fail now, with the goal's message, rather than in every case
            return converter;
        } catch (NoSuchMethodException e) {
            throw new KmsUsageException(Messages.format(Messages.CONVERTER_NO_CONSTRUCTOR, name), e);
        }
    }

    /** The converter's fully qualified class name, as reports show it. */
    public String className() {
        return className;
    }

    private KmsConverter newInstance() {
        return instances.get();
    }

    private static KmsConverter instantiate(String className, Constructor<? extends KmsConverter> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new KmsUsageException(Messages.format(Messages.CONVERTER_NOT_INSTANTIABLE, className, describe(e.getCause())), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KmsUsageException(Messages.format(Messages.CONVERTER_NOT_INSTANTIABLE, className, describe(e)), e);
        }
    }

    /**
     * Runs a new instance on the settings' source and target under the capacity, into the settings'
     * ledger. The strategy and restart of the settings do not apply: the converter is its own.
     *
     * @throws KmsDefectException when the converter throws or a transaction goes beyond the capacity
     */
    public ConversionResult convert(ConversionSettings settings, KmsLog log) {
        return convert(settings, log, log);
    }

    /**
     * As {@link #convert(ConversionSettings, KmsLog)}, with the converter's own lines
     * ({@code context.log}) on a log of their own.
     */
    public ConversionResult convert(ConversionSettings settings, KmsLog log, KmsLog converterLog) {
        try (Lease sourceLease = settings.source().lease(); Lease targetLease = settings.target().lease()) {
            return convertLeased(settings, log, converterLog);
        }
    }

    private ConversionResult convertLeased(ConversionSettings settings, KmsLog log, KmsLog converterLog) {
        long started = System.nanoTime();
        TransactionLedger ledger = settings.ledger();
        int capacity = settings.transactionCapacity();
        if (settings.target().address().isReadOnly()) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_IS_READ_ONLY_ARCHIVE, settings.target().display()));
        }
        try (Connection source = settings.source().openReadOnly()) {
            Formats.requireLegacySource(source, settings.source().display());
            SourceFacts facts = SourceFacts.read(source);
            source.rollback();
            log.info(String.format(Locale.ROOT, "Converting %s into %s with converter %s (transactionCapacity %,d): %,d users, "
                            + "%,d certificates, %,d keys, %,d CRL rows.", settings.source().display(), settings.target().display(),
                    className, capacity, facts.users(), facts.certificates(), facts.keys(), facts.crlRows()));
            try (GuardedDriver.Registration urls = GuardedDriver.register(settings.source(), settings.target(), capacity, ledger);
                 Connection target = CapacityGuard.guard(settings.target().openOrCreate(), capacity, ledger)) {
                run(new Context(source, target, urls, capacity, converterLog));
            } finally {
                source.rollback(); // end the converter's read transaction, or the source cannot be closed
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            ConversionResult result = summary(settings, facts, elapsed);
            log.info(String.format(Locale.ROOT, "Converted %s with %s in %.1f s: %,d row changes in %,d transactions, the largest %,d "
                            + "(capacity %,d); %,d revoked, %,d unmatched revocations, %,d certificates and %,d keys quarantined.",
                    settings.target().display(), className, elapsed.toMillis() / 1000.0, result.rowChanges(), result.transactions(),
                    result.largestTransaction(), capacity, result.revokedCertificates(), result.unmatchedRevocations(),
                    result.quarantinedCertificates(), result.quarantinedKeys()));
            return result;
        } catch (SQLException e) {
            throw new StoreException("Converting into " + settings.target().display() + " with " + className, e);
        }
    }

    private void run(Context context) {
        try {
            newInstance().convert(context);
        } catch (Exception e) {
            TransactionCapacityExceededException refusal = refusal(e);
            if (refusal != null) {
                throw new KmsDefectException(Messages.format(Messages.CONVERTER_ABORTED, className, refusal.attempted(),
                        refusal.capacity(), refusal.capacity()), e);
            }
            SQLException refused = authenticationFailure(e);
            if (refused != null) {
                throw new KmsDefectException(Messages.format(Messages.CONVERTER_AROUND_GUARD, className, refused.getSQLState()), e);
            }
            throw new KmsDefectException(Messages.format(Messages.CONVERTER_FAILED, className, describe(e)), e);
        }
    }

    /**
     * The refusal of a connection without the target's credentials: the gate's targets accept
     * only KMS Gate's connections, so the converter opened one of its own, around the guard.
     */
    private static SQLException authenticationFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && Sql.hasState(sql, "08004")) {
                return sql;
            }
        }
        return null;
    }

    /** The guard's refusal behind an exception, however the converter wrapped it. */
    private static TransactionCapacityExceededException refusal(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransactionCapacityExceededException refusal) {
                return refusal;
            }
            if (cause instanceof SQLException sql && sql.getNextException() instanceof TransactionCapacityExceededException next) {
                return next;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getName() + (message == null || message.isBlank() ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    /** What the target holds, read back: a foreign converter reports nothing of its own. */
    private static ConversionResult summary(ConversionSettings settings, SourceFacts facts, Duration elapsed) throws SQLException {
        TransactionLedger ledger = settings.ledger();
        long revoked = 0;
        long unmatched = 0;
        long quarantinedCerts = 0;
        long quarantinedKeys = 0;
        try (Connection target = settings.target().openReadOnly()) {
            Set<String> tables = Schemas.tables(target, Kms55Schema.SCHEMA);
            revoked = tables.contains("CERTIFICATES") ? Sql.count(target, Kms55Schema.COUNT_REVOKED) : 0;
            unmatched = tables.contains("UNMATCHED_REVOCATION") ? Sql.count(target, "SELECT COUNT(*) FROM KMS55.UNMATCHED_REVOCATION") : 0;
            quarantinedCerts = tables.contains("QUARANTINED_CERT") ? Sql.count(target, "SELECT COUNT(*) FROM KMS55.QUARANTINED_CERT") : 0;
            quarantinedKeys = tables.contains("QUARANTINED_KEY") ? Sql.count(target, "SELECT COUNT(*) FROM KMS55.QUARANTINED_KEY") : 0;
            target.rollback();
        }
        return new ConversionResult(ConversionResult.Outcome.CONVERTED, facts, ledger.committedRowChanges(),
                ledger.committedTransactions(), ledger.largestTransaction(), revoked, unmatched, quarantinedCerts, quarantinedKeys, elapsed);
    }


    /** What the converter is handed. */
    private record Context(Connection source, Connection target, GuardedDriver.Registration urls, int transactionCapacity,
                           KmsLog buildLog) implements ConversionContext {
        @Override
        public String sourceUrl() {
            return urls.sourceUrl();
        }

        @Override
        public String targetUrl() {
            return urls.targetUrl();
        }

        @Override
        public void log(String message) {
            buildLog.info(message);
        }
    }
}
