package dev.kmsgate.kms.store;

import dev.kmsgate.kms.KmsUsageException;
import dev.kmsgate.kms.Messages;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

/**
 * Whether a database holds the format a goal needs, with the message that says what it holds instead.
 *
 * <p>Public for convert and verify, which check a database's format before they start; not an API.
 */
public final class Formats {

    private Formats() {
    }

    /** Refuses a source that is not a complete legacy {@code KMS50} database. */
    public static void requireLegacySource(Connection source, String display) {
        List<String> missing = Kms50Schema.missingTables(source);
        if (!missing.isEmpty()) {
            if (Schemas.tables(source, Kms55Schema.SCHEMA).contains("CERTIFICATES")) {
                throw new KmsUsageException(Messages.format(Messages.SOURCE_IS_KMS55, display));
            }
            throw new KmsUsageException(Messages.format(Messages.SOURCE_NOT_KMS50, display, String.join(", ", missing)));
        }
    }

    /**
     * Refuses a target to verify that lacks a {@code KMS55} data table, or (when the conversion
     * record is required) KMS Gate's {@code KMS_CONVERSION} table.
     */
    public static void requireConvertedTarget(Connection target, String display, boolean recordRequired) {
        Set<String> tables = Schemas.tables(target, Kms55Schema.SCHEMA);
        if (!tables.containsAll(Kms55Schema.DATA_TABLES)) {
            if (tables.isEmpty() && Kms50Schema.missingTables(target).isEmpty()) {
                throw new KmsUsageException(Messages.format(Messages.TARGET_IS_KMS50, display));
            }
            throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_KMS55, display));
        }
        if (recordRequired && !tables.contains(Kms55Schema.CONVERSION_TABLE)) {
            throw new KmsUsageException(Messages.format(Messages.TARGET_NOT_KMS55, display));
        }
    }
}
