/**
 * The Maven goals: thin adapters that map their parameters to the core's settings records, run
 * the core, write the reports and turn the core's typed exceptions into Maven's two outcomes
 * ({@link dev.kmsgate.kms.KmsDefectException} becomes a {@code MojoFailureException}, every other
 * {@link dev.kmsgate.kms.KmsException} a {@code MojoExecutionException}).
 */
package dev.kmsgate.kms.maven;
