package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.convert.ConversionSettings;
import dev.kmsgate.kms.convert.Converter;
import dev.kmsgate.kms.convert.ForeignConverter;
import dev.kmsgate.kms.convert.Strategy;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;


/**
 * Converts a legacy {@code KMS50} database into a {@code KMS55} one under a transaction capacity:
 * no transaction on the target ever holds more than {@code transactionCapacity} row changes. The
 * source is opened read-only. An interrupted conversion of the same source is resumed where it
 * stopped; a finished one is left unchanged unless {@code restart} is set.
 *
 * @since 0.1.0
 */
@Mojo(name = "convert", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class ConvertMojo extends AbstractSourceTargetMojo {

    /**
     * The most row changes (inserts, updates, deletes, bookkeeping included) one transaction on the
     * target may hold. The target connection enforces it.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.TRANSACTION_CAPACITY_PROPERTY, defaultValue = Parameters.DEFAULT_TRANSACTION_CAPACITY_TEXT)
    private int transactionCapacity;

    /**
     * {@code chunked} (the default) converts in transactions of at most the capacity;
     * {@code single-transaction} reproduces the KB Q193567 defect (all revocations in one transaction).
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.STRATEGY_PROPERTY, defaultValue = Parameters.DEFAULT_STRATEGY)
    private String strategy;

    /**
     * Discard a conversion the target already holds (finished, unfinished, or of another source) and start over.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.RESTART_PROPERTY, defaultValue = "false")
    private boolean restart;

    /**
     * Seconds between progress lines on long conversions.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.PROGRESS_SECONDS_PROPERTY, defaultValue = Parameters.DEFAULT_PROGRESS_SECONDS_TEXT)
    private int progressSeconds;

    /**
     * The fully qualified name of a converter of your own (a class implementing
     * {@code dev.kmsgate.kms.api.KmsConverter} with a public no-argument constructor), loaded from
     * the project's classes, test classes and dependencies. Unset: KMS Gate's own converter with
     * {@code strategy}. The target your converter is handed is created empty; with {@code restart}
     * an existing target is deleted first.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.CONVERTER_PROPERTY)
    private String converter;

    @Override
    protected String goal() {
        return "convert";
    }

    @Override
    protected void run() throws MojoExecutionException {
        int capacity = Parameters.transactionCapacity(transactionCapacity);
        Strategy parsed = Strategy.parse(strategy);
        ForeignConverter foreign = converter(converter);
        ConversionSettings settings = new ConversionSettings(sourceDatabase(), targetDatabase(),
                capacity, parsed, restart, null, Parameters.progressInterval(progressSeconds));
        if (foreign == null) {
            new Converter(kmsLog()).convert(settings);
            return;
        }
        if (restart) {
            settings.target().drop();
        }
        foreign.convert(settings, kmsLog());
    }
}
