package dev.kmsgate.kms.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * What a target records of the conversion it holds: the one row of {@code KMS55.KMS_CONVERSION}.
 * The converter reads it to resume or refuse, the verifier to check invariant 7.
 *
 * <p>Public for convert, which writes and reads it, and verify, which checks it; not an API.
 *
 * @param fingerprint the source's {@link SourceFacts#fingerprint()}
 * @param state {@link Kms55Schema#STATE_CONVERTING} or {@link Kms55Schema#STATE_FINISHED}
 * @param strategy the strategy's id, as {@link dev.kmsgate.kms.Parameters#STRATEGY} names it
 * @param finishedAt when it finished, or null
 */
public record ConversionRecord(String fingerprint, String state, String strategy, String sourceDescription,
                               Timestamp startedAt, Timestamp finishedAt) {

    /** The record of a target, or null when it has none (a bookkeeping table without its row, or no table). */
    public static ConversionRecord read(Connection target) {
        if (!Schemas.tables(target, Kms55Schema.SCHEMA).contains(Kms55Schema.CONVERSION_TABLE)) {
            return null;
        }
        try (PreparedStatement select = target.prepareStatement(Kms55Schema.SELECT_CONVERSION);
             ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new ConversionRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getTimestamp(5, Sql.utc()), rs.getTimestamp(6, Sql.utc()));
        } catch (SQLException e) {
            throw new StoreException(Kms55Schema.SELECT_CONVERSION, e);
        }
    }

    public boolean finished() {
        return Kms55Schema.STATE_FINISHED.equals(state);
    }

    /** Whether it records a conversion of the source with this fingerprint. */
    public boolean isOf(SourceFacts source) {
        return fingerprint.equals(source.fingerprint());
    }

    /** The first 12 hex digits of the recorded fingerprint, as messages show it. */
    public String shortFingerprint() {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }

    /** The phases its strategy must have recorded when finished, that {@code KMS_CONVERSION_PHASE} lacks. */
    public List<String> missingPhases(Connection target) {
        List<String> missing = new ArrayList<>();
        for (String phase : Kms55Schema.phasesOf(strategy)) {
            if (!Kms55Schema.phaseDone(target, phase)) {
                missing.add(phase);
            }
        }
        return missing;
    }
}
