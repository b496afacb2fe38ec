package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.convert.ConversionPlan;
import dev.kmsgate.kms.gate.ConvertRate;
import dev.kmsgate.kms.convert.Strategy;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.util.Locale;

/**
 * A dry run of {@code kms:convert}: the row changes and transactions a conversion of this source at
 * this capacity will take, phase by phase and bookkeeping included, and about how long, writing
 * nothing. The source is opened read-only; no target is touched. It plans KMS Gate's own
 * converter: a converter of your own commits as it chooses. The time is estimated at the rate
 * KMS Gate's converter reaches on this machine and with the growth of its work, both measured
 * first on small databases in memory (4,287 and 17,148 source rows): a conversion of n rows is
 * estimated as the larger one's time times (n / 17,148)^k, k the measured growth, at least 1.
 *
 * @since 0.2.0
 */
@Mojo(name = "plan", threadSafe = true, requiresProject = false)
public class PlanMojo extends AbstractKmsMojo {

    /**
     * The legacy database: a directory or a {@code jdbc:derby:} URL.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.SOURCE_PROPERTY, defaultValue = Parameters.DEFAULT_SOURCE)
    private String source;

    /**
     * Id of a settings.xml {@code <server>} with the source's credentials.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.SOURCE_SERVER_ID_PROPERTY)
    private String sourceServerId;

    /**
     * The capacity to plan for.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.TRANSACTION_CAPACITY_PROPERTY, defaultValue = Parameters.DEFAULT_TRANSACTION_CAPACITY_TEXT)
    private int transactionCapacity;

    /**
     * The strategy to plan for: {@code chunked} or {@code single-transaction}.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.STRATEGY_PROPERTY, defaultValue = Parameters.DEFAULT_STRATEGY)
    private String strategy;

    @Override
    protected String goal() {
        return "plan";
    }

    @Override
    protected void run() throws MojoExecutionException {
        ConversionPlan plan = ConversionPlan.of(database("source", source, sourceServerId),
                Parameters.transactionCapacity(transactionCapacity), Strategy.parse(strategy));
        // the estimate's rate and growth are this machine's, measured now on small databases in memory
        plan.logLines(ConvertRate.speed(plan.transactionCapacity())).forEach(line -> line.logTo(kmsLog()));
    }
}
