/**
 * Plumbing shared by the jobs, with no knowledge of conversion: addressing and opening databases
 * ({@link dev.kmsgate.kms.store.Database}, {@link dev.kmsgate.kms.store.Databases},
 * {@link dev.kmsgate.kms.store.Lease}), the transaction-capacity guard and its ledger, both
 * schemas' SQL ({@link dev.kmsgate.kms.store.Kms50Schema}, {@link dev.kmsgate.kms.store.Kms55Schema}),
 * the conversion record, and the streaming readers and writers. Plain JDBC throughout, so another
 * engine stays possible. Not an API: the classes are public only because the job packages share them.
 */
package dev.kmsgate.kms.store;
