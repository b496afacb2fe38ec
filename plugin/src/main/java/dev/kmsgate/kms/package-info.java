/**
 * KMS Gate's core, shared by every job: the typed exceptions ({@link dev.kmsgate.kms.KmsUsageException}
 * for what stops a goal working, {@link dev.kmsgate.kms.KmsDefectException} for a defect found),
 * the user-facing {@link dev.kmsgate.kms.Messages}, the shared {@link dev.kmsgate.kms.Parameters}
 * and the core's own {@link dev.kmsgate.kms.KmsLog}.
 *
 * <p>The four entry points, one package each: {@link dev.kmsgate.kms.generate.Generator},
 * {@link dev.kmsgate.kms.convert.Converter}, {@link dev.kmsgate.kms.verify.Verifier} and
 * {@link dev.kmsgate.kms.gate.RegressionGate}. Data flows one way: {@code maven} to {@code gate} to
 * {@code convert}/{@code verify}/{@code generate} to {@code store}; {@code report} renders the
 * results. Nothing outside {@code maven} imports Maven.
 */
package dev.kmsgate.kms;
