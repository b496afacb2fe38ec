package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.report.HtmlReport;
import dev.kmsgate.kms.report.VerificationReports;
import dev.kmsgate.kms.verify.VerificationReport;
import dev.kmsgate.kms.verify.Verifier;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import java.io.File;

/**
 * Checks every invariant of the KMS formats between a legacy source and its converted target:
 * counts, revoked serial sets with their effective revocations, row-level equality of every row
 * (BLOBs included) and a finished conversion record of this very source. Both sides are streamed
 * in key order. Writes JUnit XML and a JSON summary, and fails the build once, listing every
 * invariant that does not hold.
 *
 * @since 0.1.0
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractSourceTargetMojo {

    /**
     * Where the JUnit XML ({@code TEST-kms.verify.<name>.xml}), the JSON summary and the HTML report
     * ({@code index.html}, {@code kms-verify-<name>.html}) go.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.REPORTS_DIRECTORY_PROPERTY, defaultValue = Parameters.DEFAULT_REPORTS_DIRECTORY)
    private File reportsDirectory;

    /**
     * How many differing keys each failed invariant lists.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.MISMATCH_LIMIT_PROPERTY, defaultValue = Parameters.DEFAULT_MISMATCH_LIMIT_TEXT)
    private int mismatchLimit;

    /**
     * Require the target to record a finished conversion of this very source (invariant 7). Turn
     * off to verify a target written by another converter.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.CHECK_CONVERSION_RECORD_PROPERTY, defaultValue = "true")
    private boolean checkConversionRecord;

    /**
     * Seconds between progress lines on long verifications.
     *
     * @since 0.2.0
     */
    @Parameter(property = Parameters.PROGRESS_SECONDS_PROPERTY, defaultValue = Parameters.DEFAULT_PROGRESS_SECONDS_TEXT)
    private int progressSeconds;

    @Override
    protected String goal() {
        return "verify";
    }

    @Override
    protected void run() throws MojoExecutionException {
        Verifier.Settings verification = new Verifier.Settings(sourceDatabase(), targetDatabase(), mismatchLimit, checkConversionRecord,
                Parameters.progressInterval(progressSeconds));
        VerificationReport report = new Verifier(kmsLog()).verify(verification);
        VerificationReports.write(reportsDirectory.toPath(), report);
        getLog().info("Report: " + HtmlReport.writeVerification(reportsDirectory.toPath(), report).toAbsolutePath());
        report.requirePassed();
    }
}
