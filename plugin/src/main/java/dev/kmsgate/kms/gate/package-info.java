/**
 * The regression gate. Entry point: {@link dev.kmsgate.kms.gate.RegressionGate#run}, answering a
 * {@link dev.kmsgate.kms.gate.GateReport} of one {@link dev.kmsgate.kms.gate.CaseResult} per
 * {@link dev.kmsgate.kms.gate.GateCase} and the self-proof.
 */
package dev.kmsgate.kms.gate;
