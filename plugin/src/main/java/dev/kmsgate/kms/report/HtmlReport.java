package dev.kmsgate.kms.report;

import dev.kmsgate.kms.gate.GateReport;
import dev.kmsgate.kms.gate.Shard;
import dev.kmsgate.kms.verify.VerificationReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The page a person reads, {@code target/kms-reports/index.html}, rendered from the same result
 * records as the JSON and the JUnit XML. Each run writes its own page ({@code kms-regression.html},
 * {@code kms-verify-<name>.html}) around one fragment ({@link RunFragments}), and the index puts
 * every run's fragment of the directory on one page, the gate first. Self-contained: inline CSS and
 * SVG, no script, nothing fetched. Results never carry a secret, so neither does the page.
 *
 * <p>Public for fork and maven, which render the gate's page, the verify goal's page and the report
 * goal's index; not an API.
 */
public final class HtmlReport {

    /** The index every run rewrites. */
    public static final String INDEX = "index.html";
    /** The gate's own page; a shard's is {@code kms-regression-shard-K-of-N.html}. */
    public static final String GATE_PAGE = "kms-regression.html";
    private static final Pattern GATE_SUMMARIES = Pattern.compile("kms-regression(?:-shard-(\\d+)-of-\\d+)?\\.json");
    private static final Pattern VERIFY_SUMMARIES = Pattern.compile("kms-verify-.*\\.json");
    private static final String VERIFY_PREFIX = "kms-verify-";
    private static final Pattern RUN = Pattern.compile("<section class=\"run (pass|fail)\" id=\"([^\"]+)\"><h2>(.*?)</h2>");

    private HtmlReport() {
    }

    /**
     * Writes the gate's page and the index; returns the index. The index takes this run's fragment as
     * rendered here, and every other run's from its summary, so it need not wait for this run's
     * summary to be written.
     */
    public static Path writeGate(Path directory, GateReport report) {
        String fragment = RunFragments.gate(report);
        write(directory.resolve(gatePage(report.shard())), page("KMS Gate regression" + (report.shard().all() ? ""
                : ", " + report.shard().label()), fragment));
        return writeIndex(directory, GateReports.jsonName(report.shard()), fragment);
    }

    /** Writes the page of one verified target and the index; returns the index. */
    public static Path writeVerification(Path directory, VerificationReport report) {
        write(directory.resolve(VERIFY_PREFIX + report.name() + ".html"), page("KMS Gate verification of " + report.name(),
                RunFragments.verification(report)));
        return writeIndex(directory);
    }

    /** Rewrites the index from the runs' summaries in the directory: the gate first, then each verified target by name. */
    public static Path writeIndex(Path directory) {
        return writeIndex(directory, null, null);
    }

    /** The index, with one run's fragment given as rendered instead of read from its summary ({@code summary}, a file name). */
    private static Path writeIndex(Path directory, String summary, String given) {
        List<String> fragments = fragments(directory, summary, given);
        Html body = new Html().element("h1", "KMS Gate report").line();
        body.open("nav", "aria-label", "runs").open("ul", "class", "runs");
        for (String fragment : fragments) {
            Matcher run = RUN.matcher(fragment);
            if (run.find()) {
                body.open("li", "class", run.group(1)).open("a", "href", "#" + run.group(2)).raw(run.group(3)).close("a").close("li");
            }
        }
        body.close("ul").close("nav").line();
        fragments.forEach(body::raw);
        return write(directory.resolve(INDEX), page("KMS Gate report", body.toString()));
    }

    /**
     * The report's page outside a site ({@code mvn kms:report}): the runs' fragments under a title,
     * or a paragraph saying why there are none; returns the file.
     */
    public static Path writeReportPage(Path file, String title, List<String> fragments, String noRunText) {
        Html body = new Html().element("h1", title).line();
        if (fragments.isEmpty()) {
            body.element("p", noRunText).line();
        }
        fragments.forEach(body::raw);
        return write(file, page(title, body.toString()));
    }

    /**
     * Each run's fragment, rendered from the result records the runs' JSON summaries hold, the gate
     * first (the whole run's, then its shards' by number), then each verified target by name; empty
     * when no run wrote one. A summary without a record (written by an older KMS Gate) is left out.
     */
    public static List<String> fragments(Path directory) {
        return fragments(directory, null, null);
    }

    private static List<String> fragments(Path directory, String given, String givenFragment) {
        List<String> fragments = new ArrayList<>();
        List<Path> gates = new ArrayList<>(summaries(directory, GATE_SUMMARIES));
        if (given != null && gates.stream().noneMatch(f -> f.getFileName().toString().equals(given))) {
            gates.add(directory.resolve(given));
            gates.sort(Comparator.comparingInt((Path f) -> shardNumber(f, GATE_SUMMARIES)).thenComparing(f -> f.getFileName().toString()));
        }
        for (Path summary : gates) {
            if (summary.getFileName().toString().equals(given)) {
                fragments.add(givenFragment);
                continue;
            }
            GateReport report = record(summary, GateReport.class);
            if (report != null) {
                fragments.add(RunFragments.gate(report));
            }
        }
        for (Path summary : summaries(directory, VERIFY_SUMMARIES)) {
            VerificationReport report = record(summary, VerificationReport.class);
            if (report != null) {
                fragments.add(RunFragments.verification(report));
            }
        }
        return fragments;
    }

    /** The summaries whose names match, in order: by shard number for the gate's, by name for the others. */
    private static List<Path> summaries(Path directory, Pattern names) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> names.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt((Path f) -> shardNumber(f, names)).thenComparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    /** The result record a summary holds, or null when it holds none that this version can read. */
    private static <T> T record(Path summary, Class<T> type) {
        return RecordJson.readField(summary, VerificationReports.RECORD, type);
    }

    /** The gate's page of a shard, {@link #GATE_PAGE} unsharded. */
    public static String gatePage(Shard shard) {
        return "kms-regression" + shard.fileSuffix() + ".html";
    }

    /** 0 for the whole run's file, K for shard K's. */
    private static int shardNumber(Path file, Pattern names) {
        Matcher name = names.matcher(file.getFileName().toString());
        return name.matches() && name.groupCount() > 0 && name.group(1) != null ? Integer.parseInt(name.group(1)) : 0;
    }

    /** A whole HTML5 page around a body. */
    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>" + Html.escape(title) + "</title>\n<style>\n" + ReportStyle.PAGE + ReportStyle.CSS + "</style>\n</head>\n<body>\n<main>\n"
                + body + "\n</main>\n</body>\n</html>\n";
    }

    private static Path write(Path file, String html) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }
}
