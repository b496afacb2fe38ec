package dev.kmsgate.kms.api;

/**
 * A converter of a legacy KMS 5.0 database (schema {@code KMS50}) into the KMS 5.5 format (schema
 * {@code KMS55}): your team's upgrade code, put under KMS Gate's regression gate.
 *
 * <p>Name the implementing class in the plugin's {@code <converter>} parameter (or
 * {@code -Dkms.converter}). It needs a public no-argument constructor; KMS Gate creates a new
 * instance for every conversion it runs, so an instance is never shared between threads or runs.
 * The class is loaded from the project's main and test classes and their dependencies; the types of
 * this package always come from the plugin, whatever version of this artifact the project compiled
 * against, so depend on it with scope {@code provided}.
 *
 * <h2>What the gate holds a converter to</h2>
 * <ul>
 *   <li><b>The capacity.</b> No transaction on the target may hold more than
 *       {@link ConversionContext#transactionCapacity()} row changes (inserts, updates and deletes,
 *       your own bookkeeping rows included). The statement that would pass it fails with an
 *       {@link java.sql.SQLException} of SQLState {@code 54K01} that names the count and the
 *       capacity, and the transaction is rolled back. Commit in chunks.</li>
 *   <li><b>Every row.</b> Every user, certificate, key and revocation of the source must arrive as
 *       the KMS 5.5 format says (the invariants 1 to 6 of the project's {@code docs/formats.md}).</li>
 *   <li><b>Only through the guard.</b> Write the target only through {@link ConversionContext#target()}
 *       or connections opened with {@link ConversionContext#targetUrl()}. A target that ends with
 *       more rows than the row changes the guard counted was written around it (another driver,
 *       a trigger), and the gate fails that case.</li>
 *   <li><b>Resumable.</b> The gate interrupts runs at chosen commits (the transaction in flight is
 *       lost, and every connection of that run fails from then on), then calls a new instance on
 *       the same target. The result must equal an uninterrupted run: keep your checkpoint in the
 *       same transaction as the rows it covers, or derive it from what the target holds.</li>
 * </ul>
 */
public interface KmsConverter {

    /**
     * Converts {@code context.source()} (KMS50) into {@code context.target()} (KMS55).
     *
     * <p>The target is either an empty database (create the KMS55 schema yourself; DDL changes no
     * row), or exactly what an interrupted earlier run of this converter committed into it. KMS
     * Gate never commits for you: what is not committed when this method returns or throws is
     * rolled back. An exception fails the conversion (in the gate: its case) with the exception's
     * message.
     *
     * @param context the databases, the capacity and the build log
     * @throws Exception anything that stops the conversion
     */
    void convert(ConversionContext context) throws Exception;
}
