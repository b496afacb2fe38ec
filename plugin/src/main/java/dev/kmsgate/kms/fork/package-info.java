/**
 * Where the regression gate runs: {@link dev.kmsgate.kms.fork.GateJob} is one run of
 * {@code kms:regression} as plain values, and {@link dev.kmsgate.kms.fork.GateFork} runs it in a JVM of
 * its own (by default with C1 alone, since most of a short gate's CPU is otherwise C2 compiling
 * Derby), relaying its log to the build and its outcome back as the same exception.
 */
package dev.kmsgate.kms.fork;
