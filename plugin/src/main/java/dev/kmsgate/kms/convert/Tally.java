package dev.kmsgate.kms.convert;

/** What one run wrote, by kind: the counters the summary line and {@link ConversionResult} report. */
final class Tally {
    long revoked;
    long unmatched;
    long quarantinedCerts;
    long quarantinedKeys;
}
