package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.KmsDefectException;
import dev.kmsgate.kms.convert.Strategy;
import dev.kmsgate.kms.gate.GateCase;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.RegressionGate;
import dev.kmsgate.kms.report.GateReports;
import dev.kmsgate.kms.report.HtmlReport;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gate: for a transaction capacity C and a strategy under test, generates the boundary cases
 * (0, 1, C-1, C, C+1, 2C+1 and a large multiple of C revocations, a dirty database, and any
 * {@code <cases>} declared here), converts and verifies each in parallel, and proves it can fail by
 * running the reference defect where it must fail. Prints one table, writes JUnit XML (one suite
 * per case, one test case per invariant) and a JSON summary, and fails the build if any case falls
 * short or the gate cannot prove itself.
 *
 * @since 0.1.0
 */
@Mojo(name = "regression", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class RegressionMojo extends AbstractKmsMojo {

    /**
     * The capacity C under test: the most row changes one transaction of the target may hold.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.transactionCapacity", defaultValue = "1000")
    private int transactionCapacity;

    /**
     * The strategy under test: {@code chunked} (the default) or {@code single-transaction} (the
     * KB Q193567 defect, which the gate must reject).
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.strategy", defaultValue = "chunked")
    private String strategy;

    /**
     * Cases to run besides the boundary cases and the dirty database; see {@link CaseDefinition}.
     *
     * @since 0.1.0
     */
    @Parameter
    private List<CaseDefinition> cases;

    /**
     * Cases run in parallel on independent databases; 0 means one per core.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.threads", defaultValue = "0")
    private int threads;

    /**
     * The large boundary case has this many times C revocations.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.largeMultiple", defaultValue = "10")
    private int largeMultiple;

    /**
     * Seed of the generated databases.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.seed", defaultValue = "1")
    private long seed;

    /**
     * How many differing keys each failed invariant lists.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.mismatchLimit", defaultValue = "10")
    private int mismatchLimit;

    /**
     * Where the gate keeps its databases. Sources are keyed by profile and reused across builds;
     * targets are rebuilt on every run.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.workDirectory", defaultValue = "${project.build.directory}/kms-gate")
    private File workDirectory;

    /**
     * Where the JUnit XML ({@code TEST-kms.regression.<case>.xml}), {@code kms-regression.json} and the
     * HTML report ({@code index.html}, {@code kms-regression.html}) go.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.reportsDirectory", defaultValue = "${project.build.directory}/kms-reports")
    private File reportsDirectory;

    @Override
    protected String goal() {
        return "regression";
    }

    @Override
    protected void run() throws MojoExecutionException {
        List<GateCase> extra = new ArrayList<>();
        if (cases != null) {
            for (int i = 0; i < cases.size(); i++) {
                extra.add(cases.get(i).toGateCase(seed, i + 1));
            }
        }
        RegressionGate.Settings settings = new RegressionGate.Settings(transactionCapacity, Strategy.parse(strategy), extra,
                threads, largeMultiple, seed, mismatchLimit, workDirectory.toPath(), Duration.ofSeconds(10));
        GateReport report = new RegressionGate(kmsLog()).run(settings);
        GateReports.write(reportsDirectory.toPath(), report);
        getLog().info("Report: " + HtmlReport.writeGate(reportsDirectory.toPath(), report).toAbsolutePath());
        if (!report.passed()) {
            throw new KmsDefectException(RegressionGate.failureMessage(report));
        }
    }
}
