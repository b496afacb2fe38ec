package dev.kmsgate.kms.verify;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.Messages;

import java.util.stream.Collectors;

/** Some invariant does not hold: the message names each failure, its numbers and first keys. */
final class VerificationFailedException extends KmsDefectException {

    private static final long serialVersionUID = 1L;

    private final transient VerificationReport report;

    public VerificationFailedException(VerificationReport report) {
        super(message(report));
        this.report = report;
    }

    public VerificationReport report() {
        return report;
    }

    private static String message(VerificationReport report) {
        return Messages.format(Messages.VERIFICATION_FAILED, report.target(), report.source(),
                report.failures().size(), report.results().size()) + System.lineSeparator()
                + report.failures().stream().map(r -> "  - " + r.describe()).collect(Collectors.joining(System.lineSeparator()));
    }
}
