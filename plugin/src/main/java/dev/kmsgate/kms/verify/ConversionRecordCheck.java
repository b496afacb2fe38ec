package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.store.ConversionRecord;
import dev.kmsgate.kms.store.Kms55Schema;
import dev.kmsgate.kms.store.SourceFacts;

import java.sql.Connection;
import java.util.List;

/**
 * Invariant 7: the target records a finished conversion of this very source, with every phase of
 * its strategy and every key its last phase adds. A target that fails it is unfinished or foreign,
 * and its data invariants are reported as not checked rather than as mismatches.
 */
final class ConversionRecordCheck {

    private ConversionRecordCheck() {
    }

    static InvariantResult check(Connection target, SourceFacts facts, boolean required) {
        if (!required) {
            return new InvariantResult(Invariant.CONVERSION_RECORD, InvariantResult.Status.SKIPPED, 0, 0,
                    "not checked: checkConversionRecord is off", List.of(), 0);
        }
        ConversionRecord record = ConversionRecord.read(target);
        if (record == null) {
            return failed("the target has no conversion record; it was never converted into");
        }
        if (!record.isOf(facts)) {
            return failed("the target holds a conversion of another source (fingerprint " + record.shortFingerprint()
                    + ", this source is " + facts.shortFingerprint()
                    + "); convert this source into it with restart, or verify against the right source");
        }
        if (!record.finished() && Parameters.STRATEGY_SINGLE_TRANSACTION.equals(record.strategy())) {
            // resuming would only fail again: the reference defect cannot finish beyond the capacity
            return failed("the target holds an unfinished '" + record.strategy() + "' conversion of this source (state "
                    + record.state() + "), which applies every revocation in one transaction and cannot finish beyond the capacity; "
                    + "convert with strategy chunked and restart");
        }
        if (!record.finished()) {
            return failed("the target holds an unfinished conversion of this source (state " + record.state()
                    + "); run kms:convert again to resume and finish it");
        }
        List<String> missingPhases = record.missingPhases(target);
        if (!missingPhases.isEmpty()) {
            return failed("the conversion record says FINISHED, but its phase " + missingPhases.get(0)
                    + " is not recorded in KMS55.KMS_CONVERSION_PHASE; convert again with restart");
        }
        List<Kms55Schema.Key> missingKeys = Kms55Schema.missingKeys(target);
        if (!missingKeys.isEmpty()) {
            return failed("the conversion record says FINISHED, but the target lacks the keys "
                    + String.join(", ", missingKeys.stream().map(Kms55Schema.Key::name).toList())
                    + " that its KEYS phase adds; convert again with restart");
        }
        return new InvariantResult(Invariant.CONVERSION_RECORD, InvariantResult.Status.PASSED, 1, 1,
                "a finished conversion of this source (fingerprint " + facts.shortFingerprint() + ")", List.of(), 0);
    }

    private static InvariantResult failed(String detail) {
        return new InvariantResult(Invariant.CONVERSION_RECORD, InvariantResult.Status.FAILED, 1, 0, detail, List.of(), 1);
    }
}
