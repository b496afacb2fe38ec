package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.report.HtmlReport;
import dev.kmsgate.kms.report.VerificationReports;
import dev.kmsgate.kms.verify.VerificationFailedException;
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
    @Parameter(property = "kms.reportsDirectory", defaultValue = "${project.build.directory}/kms-reports")
    private File reportsDirectory;

    /**
     * How many differing keys each failed invariant lists.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.mismatchLimit", defaultValue = "10")
    private int mismatchLimit;

    /**
     * Require the target to record a finished conversion of this very source (invariant 7). Turn
     * off to verify a target written by another converter.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.checkConversionRecord", defaultValue = "true")
    private boolean checkConversionRecord;

    @Override
    protected String goal() {
        return "verify";
    }

    @Override
    protected void run() throws MojoExecutionException {
        SourceAndTarget databases = databases();
        VerificationReport report = new Verifier(kmsLog()).verify(new Verifier.Settings(
                databases.source(), databases.sourceCredentials(), databases.target(), databases.targetCredentials(),
                mismatchLimit, checkConversionRecord));
        VerificationReports.write(reportsDirectory.toPath(), report);
        getLog().info("Report: " + HtmlReport.writeVerification(reportsDirectory.toPath(), report).toAbsolutePath());
        if (!report.passed()) {
            throw new VerificationFailedException(report);
        }
    }
}
