/**
 * Conversion of a {@code KMS50} source into a {@code KMS55} target under a transaction capacity.
 * Entry point: {@link dev.kmsgate.kms.convert.Converter#convert}, configured by
 * {@link dev.kmsgate.kms.convert.ConversionSettings}, answering a
 * {@link dev.kmsgate.kms.convert.ConversionResult}. The rest of the package (the run's phases, the
 * serial pass, the lock, the stop signal) is package-private plumbing.
 */
package dev.kmsgate.kms.convert;
