package dev.kmsgate.kms.report;

/**
 * The report's one style sheet, inlined into every page (and the site's report page) so nothing is fetched.
 *
 * <p>Public for maven, whose report goal puts it on the site's page; not an API.
 */
public final class ReportStyle {

    /** The page's frame: only on the pages {@link HtmlReport} writes, not inside a site's skin. */
    static final String PAGE = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); margin: 0; background: #f6f8fa; }
            main { max-width: 980px; margin: 0 auto; padding: 16px 24px 48px; background: #fff; }
            h1 { font-size: 22px; margin: 8px 0 12px; }
            """;

    /** CSS of the report's fragments, on its own pages and on the site's report page. */
    public static final String CSS = """
            :root { --pass: #1a7f37; --fail: #cf222e; --skip: #6e7781; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --bar: #0969da; }
            h2 { font-size: 19px; margin: 28px 0 8px; padding-top: 12px; border-top: 3px solid var(--line); }
            h3 { font-size: 16px; margin: 20px 0 6px; }
            h4 { font-size: 15px; margin: 0 0 4px; }
            .run.pass > h2 { border-top-color: var(--pass); }
            .run.fail > h2 { border-top-color: var(--fail); }
            .verdict { font-weight: 600; padding: 8px 12px; border-radius: 6px; margin: 8px 0; }
            .verdict.pass { background: #dafbe1; color: #116329; }
            .verdict.fail { background: #ffebe9; color: #a40e26; }
            ul.runs { list-style: none; padding: 0; margin: 0 0 8px; }
            ul.runs li { margin: 2px 0; padding-left: 10px; border-left: 6px solid var(--line); }
            ul.runs li.pass { border-left-color: var(--pass); }
            ul.runs li.fail { border-left-color: var(--fail); }
            dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
            dl.facts dt { color: var(--muted); }
            dl.facts dd { margin: 0; overflow-wrap: anywhere; }
            table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
            th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
            thead th { background: #f6f8fa; font-weight: 600; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.over { color: var(--fail); font-weight: 700; }
            .outcome { font-weight: 700; }
            .outcome.pass, .outcome.passed { color: var(--pass); }
            .outcome.fail, .outcome.failed { color: var(--fail); }
            .outcome.skipped { color: var(--skip); }
            tr.fail, tr.failed { background: #fff5f5; }
            .statement { display: block; font-weight: 400; font-size: 12px; color: var(--muted); }
            ol.differences { margin: 4px 0; padding-left: 20px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
            ul.problems { margin: 4px 0 8px; padding-left: 20px; color: #a40e26; }
            section.case { border: 1px solid var(--line); border-left: 6px solid var(--pass); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
            section.case.fail { border-left-color: var(--fail); }
            .meta { color: var(--muted); font-size: 12px; margin: 2px 0; }
            .summary { margin: 6px 0 2px; }
            figure { margin: 4px 0 8px; }
            figcaption { color: var(--muted); font-size: 12px; }
            svg.chart { width: 100%; max-width: 720px; height: auto; display: block; }
            svg .committed { fill: var(--bar); }
            svg .committed-line { stroke: var(--bar); stroke-width: 1; fill: none; }
            svg .refused { fill: var(--fail); }
            svg .rate { fill: #8250df; }
            svg .measured { stroke: var(--bar); stroke-width: 2; fill: none; }
            svg .measured.fail { stroke: var(--fail); }
            svg .point { fill: var(--bar); }
            svg .point.fail { fill: var(--fail); }
            svg .linear { stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 6 4; fill: none; }
            svg .capacity { stroke: var(--fail); stroke-width: 1.5; stroke-dasharray: 6 4; }
            svg .capacity-label { fill: var(--fail); font-size: 12px; font-weight: 600; }
            svg .halo { fill: #fff; stroke: #fff; stroke-width: 3px; }
            svg .axis { stroke: var(--muted); stroke-width: 1; }
            svg .grid { stroke: #eaeef2; stroke-width: 1; }
            svg .tick, svg .note { fill: var(--muted); font-size: 11px; }
            svg .axis-label { fill: var(--muted); font-size: 12px; }
            details summary { cursor: pointer; font-weight: 600; margin: 6px 0; }
            summary h4 { display: inline; }
            summary h4 .meta { font-weight: 400; margin-left: 12px; }
            """;

    private ReportStyle() {
    }
}
