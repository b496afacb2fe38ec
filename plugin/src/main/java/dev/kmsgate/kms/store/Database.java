package dev.kmsgate.kms.store;

import java.sql.Connection;
import java.util.Objects;

/**
 * A database to open: where it lives and the credentials it takes. Every settings record of the
 * core names its databases with this one type, so an address never travels without its
 * credentials, and {@link #toString()} never shows a secret.
 *
 * <p>Public for every package that names a database; not an API.
 *
 * @param address where the database lives
 * @param credentials its user, password and boot password; {@link Credentials#NONE} when unset
 */
public record Database(DatabaseAddress address, Credentials credentials) {

    public Database {
        Objects.requireNonNull(address, "address");
        credentials = credentials == null ? Credentials.NONE : credentials;
    }

    /** A database without credentials. */
    public static Database of(DatabaseAddress address) {
        return new Database(address, Credentials.NONE);
    }

    /**
     * One of the gate's own targets: created empty, it accepts only connections with credentials
     * made for this JVM, which KMS Gate's connections (and those of {@code context.targetUrl()})
     * carry and no other code knows, so no converter can write to it around the capacity guard.
     */
    public static Database gateTarget(DatabaseAddress address) {
        return new Database(address, EmptyDatabase.GATE);
    }

    /**
     * One of the gate's own targets for KMS Gate's own converter: as {@link #gateTarget}, but created
     * holding the empty KMS55 schema, as the converter's first step would make it.
     */
    public static Database gateTargetWithKms55Schema(DatabaseAddress address) {
        return new Database(address, EmptyDatabase.GATE_KMS55);
    }

    /**
     * Whether the database is a gate target created holding the empty KMS55 schema
     * ({@link #gateTargetWithKms55Schema}): until its converter commits, the schema it holds is that one.
     */
    public boolean createdWithKms55Schema() {
        return credentials == EmptyDatabase.GATE_KMS55;
    }

    /** The same database, named in messages by another POM element (e.g. a gate source as {@code database}). */
    public Database as(String parameter) {
        return new Database(address.as(parameter), credentials);
    }

    /** How the database is shown in logs and reports: never with credentials. */
    public String display() {
        return address.display();
    }

    /** See {@link Databases#openReadOnly}. */
    public Connection openReadOnly() {
        return Databases.openReadOnly(address, credentials);
    }

    /** See {@link Databases#openOrCreate}. */
    public Connection openOrCreate() {
        return Databases.openOrCreate(address, credentials);
    }

    /** A claim on this database's engine: the last lease to close shuts it down. */
    public Lease lease() {
        return Lease.on(this);
    }

    /** See {@link Databases#shutdown}. */
    public void shutdown() {
        Databases.shutdown(address, credentials);
    }

    /** See {@link Databases#drop}. */
    public void drop() {
        Databases.drop(address, credentials);
    }

    @Override
    public String toString() {
        return display();
    }
}
