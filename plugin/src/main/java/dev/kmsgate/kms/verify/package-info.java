/**
 * Verification of every invariant between a source and its converted target. Entry point:
 * {@link dev.kmsgate.kms.verify.Verifier#verify}, answering a
 * {@link dev.kmsgate.kms.verify.VerificationReport} of one
 * {@link dev.kmsgate.kms.verify.InvariantResult} per {@link dev.kmsgate.kms.verify.Invariant}.
 * Each invariant has its own package-private check with its own counters: {@code UserPass} (1),
 * {@code CertificateCheck} (2), {@code KeyCheck} (3), {@code RevocationCountCheck} (4),
 * {@code RevocationSetCheck} (5), {@code RowEquality} (6), {@code ConversionRecordCheck} (7).
 */
package dev.kmsgate.kms.verify;
