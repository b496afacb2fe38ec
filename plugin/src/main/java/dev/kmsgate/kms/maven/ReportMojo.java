package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.report.HtmlReport;
import dev.kmsgate.kms.report.ReportStyle;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.reporting.AbstractMavenReport;

import java.io.File;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The KMS Gate report as a page of the project's site ({@code mvn verify site}): the very
 * fragments of {@code target/kms-reports/index.html} that the last {@code kms:regression} and
 * {@code kms:verify} runs rendered from their results, inside the site's skin. It embeds that HTML
 * rather than rendering the JSON again, so the site page and the index cannot disagree and there
 * is one renderer only. Needs maven-site-plugin 3.20.0 or newer (Doxia 2).
 *
 * <p>A site report must extend {@link AbstractMavenReport}, so this goal is the one that does not
 * extend {@code AbstractKmsMojo}: it checks {@code skip} in {@link #canGenerateReport()}, and the
 * parameters it inherits (such as {@code outputDirectory}) keep the names the site plugin gives them.
 *
 * @since 0.1.0
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.SITE, threadSafe = true)
public class ReportMojo extends AbstractMavenReport {

    /** What the page says when no run has written a report yet. */
    static final String NO_RUN_YET =
            "No KMS Gate run has written a report into %s yet. Run kms:regression or kms:verify before the site, e.g. mvn verify site.";

    /**
     * Where {@code kms:regression} and {@code kms:verify} wrote their reports.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.reportsDirectory", defaultValue = "${project.build.directory}/kms-reports")
    private File reportsDirectory;

    /**
     * Leaves the page out of the site.
     *
     * @since 0.1.0
     */
    @Parameter(property = "kms.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public String getOutputName() {
        return "kms-report";
    }

    @Override
    public String getName(Locale locale) {
        return "KMS Gate report";
    }

    @Override
    public String getDescription(Locale locale) {
        return "The KMS Gate regression gate and verifications of this build: each case's transactions against the capacity, and every invariant.";
    }

    @Override
    public boolean canGenerateReport() {
        if (skip) {
            getLog().info("Skipping kms:report (skip is true, -Dkms.skip).");
        }
        return !skip;
    }

    @Override
    protected void executeReport(Locale locale) {
        List<String> fragments;
        try {
            fragments = HtmlReport.fragments(reportsDirectory.toPath());
        } catch (UncheckedIOException e) {
            getLog().warn(e.getMessage());
            fragments = List.of();
        }
        Sink sink = getSink();
        sink.head();
        sink.title();
        sink.text(getName(locale));
        sink.title_();
        sink.head_();
        sink.body();
        sink.section1();
        sink.sectionTitle1();
        sink.text(getName(locale));
        sink.sectionTitle1_();
        if (fragments.isEmpty()) {
            sink.paragraph();
            sink.text(String.format(Locale.ROOT, NO_RUN_YET, reportsDirectory));
            sink.paragraph_();
        } else {
            sink.rawText("<style>" + ReportStyle.CSS + "</style>");
            fragments.forEach(sink::rawText);
        }
        sink.section1_();
        sink.body_();
    }
}
