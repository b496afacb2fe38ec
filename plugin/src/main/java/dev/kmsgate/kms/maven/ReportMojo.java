package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.Parameters;
import dev.kmsgate.kms.report.HtmlReport;
import dev.kmsgate.kms.report.ReportStyle;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.reporting.MavenReport;

import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The KMS Gate report as a page of the project's site ({@code mvn verify site}): the very
 * fragments of {@code target/kms-reports/index.html} that the last {@code kms:regression} and
 * {@code kms:verify} runs rendered from their results, inside the site's skin. It embeds that HTML
 * rather than rendering the JSON again, so the site page and the index cannot disagree and there
 * is one renderer only. Needs maven-site-plugin 3.20.0 or newer (Doxia 2).
 *
 * <p>A site report is a Mojo that is a {@link MavenReport}: the site plugin hands it the sink of
 * the page ({@link #generate(Sink, Locale)}) and provides the interface and the sink itself. This
 * goal implements the interface directly rather than extending maven-reporting-impl's
 * {@code AbstractMavenReport}, whose site renderer, Velocity and archivers every goal of the plugin
 * would otherwise resolve and load, a skipped one too (docs/performance.md, seventh round). So it
 * is the one goal that does not extend {@code AbstractKmsMojo}: it checks {@code skip} in
 * {@link #canGenerateReport()}. Run alone ({@code mvn kms:report}) it writes the page itself, with the report's own style,
 * into {@code outputDirectory}, which keeps the name the site plugin gives it.
 *
 * @since 0.1.0
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.SITE, threadSafe = true)
public class ReportMojo extends AbstractMojo implements MavenReport {

    /** What the page says when no run has written a report yet. */
    static final String NO_RUN_YET =
            "No KMS Gate run has written a report into %s yet. Run kms:regression or kms:verify before the site, e.g. mvn verify site.";

    /**
     * Where the page goes when the goal runs alone ({@code mvn kms:report}); in a site, the site
     * plugin's output directory.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.OUTPUT_DIRECTORY_PROPERTY, defaultValue = "${project.build.directory}/reports", required = true)
    private File outputDirectory;

    /**
     * Where {@code kms:regression} and {@code kms:verify} wrote their reports.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.REPORTS_DIRECTORY_PROPERTY, defaultValue = Parameters.DEFAULT_REPORTS_DIRECTORY)
    private File reportsDirectory;

    /**
     * Leaves the page out of the site.
     *
     * @since 0.1.0
     */
    @Parameter(property = Parameters.SKIP_PROPERTY, defaultValue = Parameters.DEFAULT_SKIP_TEXT)
    private boolean skip;

    /** Run alone: writes {@code kms-report.html} into {@code outputDirectory}. */
    @Override
    public void execute() throws MojoExecutionException {
        if (!canGenerateReport()) {
            return;
        }
        Path page = outputDirectory.toPath().resolve(getOutputName() + ".html");
        try {
            HtmlReport.writeReportPage(page, getName(Locale.ROOT), fragments(), noRunYet());
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        getLog().info("Report: " + page);
    }

    /** In a site: the page's content, into the sink the site plugin gives. */
    @Override
    public void generate(Sink sink, Locale locale) {
        List<String> fragments = fragments();
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
            sink.text(noRunYet());
            sink.paragraph_();
        } else {
            sink.rawText("<style>" + ReportStyle.CSS + "</style>");
            fragments.forEach(sink::rawText);
        }
        sink.section1_();
        sink.body_();
        sink.close();
    }

    /** The runs' fragments; none, with a warning, when they cannot be read. */
    private List<String> fragments() {
        try {
            return HtmlReport.fragments(reportsDirectory.toPath());
        } catch (UncheckedIOException e) {
            getLog().warn(e.getMessage());
            return List.of();
        }
    }

    private String noRunYet() {
        return String.format(Locale.ROOT, NO_RUN_YET, reportsDirectory);
    }

    @Override
    public String getOutputName() {
        return "kms-report";
    }

    @Override
    public String getCategoryName() {
        return CATEGORY_PROJECT_REPORTS;
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
    public void setReportOutputDirectory(File directory) {
        this.outputDirectory = directory;
    }

    @Override
    public File getReportOutputDirectory() {
        return outputDirectory;
    }

    @Override
    public boolean isExternalReport() {
        return false;
    }

    @Override
    public boolean canGenerateReport() {
        if (skip) {
            getLog().info("Skipping kms:report (skip is true, -Dkms.skip).");
        }
        return !skip;
    }
}
