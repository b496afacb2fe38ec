/**
 * Renders results into files: JUnit XML and JSON for the gate and for verification, from the same
 * result records the log table is printed from.
 */
package dev.kmsgate.kms.report;
