package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.store.SourceFacts;

import java.time.Duration;

/**
 * What a conversion run did.
 *
 * <p>Public for gate, which judges the run; not an API.
 *
 * @param outcome a fresh conversion, a resumed one, or a target that was already finished
 * @param source the source's counts and fingerprint
 * @param rowChanges row changes this run committed (data and bookkeeping)
 * @param transactions transactions this run committed
 * @param largestTransaction the most row changes one transaction attempted, as the guard measured
 * @param revokedCertificates revoked certificates the target holds: the whole conversion's, earlier runs included
 * @param unmatchedRevocations unmatched revocations the target holds, likewise
 * @param quarantinedCertificates quarantined certificates the target holds, likewise
 * @param quarantinedKeys quarantined keys the target holds, likewise
 */
public record ConversionResult(Outcome outcome, SourceFacts source, long rowChanges, long transactions,
                               long largestTransaction, long revokedCertificates, long unmatchedRevocations,
                               long quarantinedCertificates, long quarantinedKeys, Duration elapsed) {

    /** How a run ended well. */
    public enum Outcome { CONVERTED, RESUMED, ALREADY_FINISHED }

    /** Source rows per second over the run (0 when nothing was done). */
    public double rowsPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        long rows = source.users() + source.certificates() + source.keys() + source.crlRows();
        return seconds <= 0 || outcome == Outcome.ALREADY_FINISHED ? 0 : rows / seconds;
    }
}
