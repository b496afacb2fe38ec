package dev.kmsgate.kms.maven;

import dev.kmsgate.kms.gate.ConverterUnderTest;
import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.Shard;
import dev.kmsgate.kms.report.GateReports;
import dev.kmsgate.kms.report.HtmlReport;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.project.MavenProject;
import org.apache.maven.reporting.MavenReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.inject.Inject;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kms:report through the real plugin descriptor: the site's page written into the sink the site
 * plugin hands it, and the page it writes itself when run alone, both from the fragments the runs
 * wrote into the reports directory.
 */
@MojoTest
class ReportMojoTest {

    @TempDir
    Path dir;

    @Inject
    MavenProject project;

    @BeforeEach
    void projectInTemporaryDirectory() throws Exception {
        MojoExtension.setVariableValueToObject(project, "basedir", dir.toFile());
        project.getBuild().setDirectory(dir.resolve("target").toString());
    }

    /** A gate's run as it leaves the reports directory: its summary with its result record; returns its fragment. */
    private String gateRunWritten() {
        Path reports = dir.resolve("target/kms-reports");
        GateReport run = new GateReport(7, "chunked", ConverterUnderTest.BUILT_IN, true, 2, List.of(), List.of(),
                new GateReport.SelfProof("C+1", 8, 8, List.of(7), List.of(4, 5), List.of()), Duration.ofSeconds(3), Shard.ALL);
        GateReports.write(reports, run);
        List<String> fragments = HtmlReport.fragments(reports);
        assertEquals(1, fragments.size());
        assertTrue(fragments.get(0).contains("<h2>Regression gate: PASSED</h2>"), fragments.get(0));
        return fragments.get(0);
    }

    /** A sink that records each call: its name, and its text if it has one. */
    private static Sink recording(List<String> calls) {
        return (Sink) Proxy.newProxyInstance(Sink.class.getClassLoader(), new Class<?>[] {Sink.class}, (proxy, method, args) -> {
            calls.add(args != null && args.length > 0 && args[0] instanceof String text ? method.getName() + ":" + text : method.getName());
            return null;
        });
    }

    @Test
    void inASiteItWritesTheRunsFragmentsIntoTheSinkUnderTheReportsName(@InjectMojo(goal = "report") ReportMojo report) throws Exception {
        String fragment = gateRunWritten();
        List<String> calls = new ArrayList<>();

        report.generate(recording(calls), Locale.ENGLISH);

        assertEquals("KMS Gate report", report.getName(Locale.ENGLISH));
        assertEquals("kms-report", report.getOutputName());
        assertEquals(MavenReport.CATEGORY_PROJECT_REPORTS, report.getCategoryName());
        assertEquals(List.of("head", "title", "text:KMS Gate report", "title_", "head_", "body", "section1", "sectionTitle1",
                "text:KMS Gate report", "sectionTitle1_"), calls.subList(0, 10));
        assertTrue(calls.get(10).startsWith("rawText:<style>:root {"), calls.get(10));
        assertEquals(List.of("rawText:" + fragment, "section1_", "body_", "close"), calls.subList(11, calls.size()));
    }

    @Test
    void runAloneItWritesTheReportPageIntoTheOutputDirectory(@InjectMojo(goal = "report") ReportMojo report) throws Exception {
        String fragment = gateRunWritten();
        RecordingLog log = new RecordingLog();
        report.setLog(log);

        report.execute();

        Path page = dir.resolve("target/reports/kms-report.html");
        assertEquals(List.of("[info] Report: " + page), log.lines());
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(html.contains("<title>KMS Gate report</title>"), html);
        assertTrue(html.contains(fragment), html);
    }

    @Test
    void withoutARunItSaysSo(@InjectMojo(goal = "report") ReportMojo report) throws Exception {
        report.setLog(new RecordingLog());
        List<String> calls = new ArrayList<>();

        report.execute();
        report.generate(recording(calls), Locale.ENGLISH);

        String noRun = String.format(Locale.ROOT, ReportMojo.NO_RUN_YET, dir.resolve("target/kms-reports"));
        assertTrue(calls.contains("text:" + noRun), calls::toString);
        String html = Files.readString(dir.resolve("target/reports/kms-report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("<p>" + noRun + "</p>"), html);
    }

    @Test
    void skippedItWritesNothing(@InjectMojo(goal = "report") @MojoParameter(name = "skip", value = "true") ReportMojo report)
            throws Exception {
        String fragment = gateRunWritten();
        RecordingLog log = new RecordingLog();
        report.setLog(log);

        report.execute();

        assertFalse(report.canGenerateReport());
        assertEquals("[info] Skipping kms:report (skip is true, -Dkms.skip).", log.lines().get(0));
        assertFalse(Files.exists(dir.resolve("target/reports")));
    }
}
