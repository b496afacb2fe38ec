package dev.kmsgate.kms.report;

import dev.kmsgate.kms.gate.Growth;
import dev.kmsgate.kms.store.TransactionHistory;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static dev.kmsgate.kms.report.Html.coordinate;
import static dev.kmsgate.kms.report.Html.number;

/**
 * The report's inline SVG charts, drawn from a {@link TransactionHistory}: every committed
 * transaction's row changes against the capacity line with the refused ones marked (a histogram
 * of sizes when the ledger kept too many to draw one by one), and the row changes committed per
 * second over the run. No script: titles are SVG {@code <title>} elements a browser shows on hover.
 */
final class SvgCharts {

    static final int WIDTH = 720;
    static final int HEIGHT = 230;
    private static final int LEFT = 64;
    private static final int RIGHT = 24;
    private static final int TOP = 14;
    private static final int BOTTOM = 40;
    private static final int PLOT_W = WIDTH - LEFT - RIGHT;
    private static final int PLOT_H = HEIGHT - TOP - BOTTOM;
    /** Above this many bars, each pixel column draws the largest transaction that falls in it. */
    private static final int BARS_DRAWN_ONE_BY_ONE = PLOT_W / 2;
    private static final int RATE_SLICES = 60;

    private SvgCharts() {
    }

    /** Every committed transaction in commit order, the refused ones in red where they happened, and the capacity line. */
    static String transactions(TransactionHistory history, int capacity, String id) {
        if (!history.complete()) {
            return sizeHistogram(history, capacity, id);
        }
        int[] sizes = history.sizes();
        List<TransactionHistory.Refusal> refusals = history.refusals();
        int slots = sizes.length + refusals.size();
        long top = capacity;
        for (int size : sizes) {
            top = Math.max(top, size);
        }
        for (TransactionHistory.Refusal refusal : refusals) {
            top = Math.max(top, refusal.attempted());
        }
        double yMax = niceCeiling(top * 1.08);
        Html svg = start(id, "Row changes of each of the " + number(sizes.length) + " committed transactions against the capacity of "
                + number(capacity) + (refusals.isEmpty() ? "" : "; " + refusals.size() + " refused"));
        yAxis(svg, yMax, capacity, "row changes");
        if (slots == 0) {
            svg.element("text", "no transaction committed", "x", Integer.toString(LEFT + PLOT_W / 2), "y", Integer.toString(TOP + PLOT_H / 2), "class", "note");
        }
        double slotWidth = slots == 0 ? 0 : (double) PLOT_W / slots;
        StringBuilder columns = new StringBuilder();
        int refusal = 0;
        int lastColumn = -1;
        int columnMax = 0;
        for (int slot = 0, committed = 0; slot < slots; slot++) {
            double x = LEFT + slot * slotWidth;
            if (refusal < refusals.size() && refusals.get(refusal).afterTransactions() <= committed) {
                TransactionHistory.Refusal refused = refusals.get(refusal++);
                bar(svg.open("rect", barAttributes(x, Math.max(slotWidth, 3), refused.attempted(), yMax, "refused")), "refused transaction after "
                        + number(refused.afterTransactions()) + " commits: " + number(refused.attempted()) + " row changes, beyond the capacity of " + number(capacity));
                continue;
            }
            int size = sizes[committed++];
            if (slots <= BARS_DRAWN_ONE_BY_ONE) {
                bar(svg.open("rect", barAttributes(x + slotWidth * 0.1, slotWidth * 0.8, size, yMax, "committed")),
                        "transaction " + number(committed) + ": " + number(size) + " row changes");
            } else {
                int column = (int) (x - LEFT);
                if (column != lastColumn && lastColumn >= 0) {
                    columns.append(columnPath(LEFT + lastColumn + 0.5, columnMax, yMax));
                    columnMax = 0;
                }
                lastColumn = column;
                columnMax = Math.max(columnMax, size);
            }
        }
        if (lastColumn >= 0) {
            columns.append(columnPath(LEFT + lastColumn + 0.5, columnMax, yMax));
            svg.empty("path", "class", "committed-line", "d", columns.toString());
        }
        capacityLine(svg, capacity, yMax);
        xAxis(svg, "1", number(sizes.length), "committed transactions in commit order" + (refusals.isEmpty() ? "" : " (refused ones in red)"));
        return svg.close("svg").toString();
    }

    /** Committed transactions by size, when there are too many to keep one by one. */
    private static String sizeHistogram(TransactionHistory history, int capacity, String id) {
        TransactionHistory.Histogram histogram = history.sizeHistogram();
        long width = histogram.width();
        long xTop = Math.max(capacity, (histogram.lastUsed() + 1) * width);
        for (TransactionHistory.Refusal refusal : history.refusals()) {
            xTop = Math.max(xTop, refusal.attempted());
        }
        double xMax = niceCeiling(xTop * 1.05);
        long most = 1;
        for (long count : histogram.counts()) {
            most = Math.max(most, count);
        }
        double yMax = niceCeiling(most * 1.08);
        Html svg = start(id, "Histogram of the " + number(history.transactions()) + " committed transactions by row changes, against the capacity of "
                + number(capacity));
        yAxis(svg, yMax, -1, "transactions");
        for (int i = 0; i <= histogram.lastUsed(); i++) {
            long count = histogram.counts()[i];
            if (count > 0) {
                double x = LEFT + i * width / xMax * PLOT_W;
                bar(svg.open("rect", barAttributes(x, Math.max(1, width / xMax * PLOT_W - 1), count, yMax, "committed")),
                        number(count) + " transactions of " + number(i * width) + " to " + number((i + 1) * width - 1) + " row changes");
            }
        }
        double capacityX = LEFT + capacity / xMax * PLOT_W;
        svg.empty("line", "class", "capacity", "x1", coordinate(capacityX), "x2", coordinate(capacityX), "y1", Integer.toString(TOP), "y2", Integer.toString(TOP + PLOT_H));
        svg.element("text", "capacity " + number(capacity), "x", coordinate(capacityX - 4), "y", Integer.toString(TOP + 12), "class", "capacity-label", "text-anchor", "end");
        for (TransactionHistory.Refusal refusal : history.refusals()) {
            double x = LEFT + refusal.attempted() / xMax * PLOT_W;
            bar(svg.open("rect", "class", "refused", "x", coordinate(x - 1.5), "y", Integer.toString(TOP), "width", "3", "height", Integer.toString(PLOT_H)),
                    "refused transaction: " + number(refusal.attempted()) + " row changes");
        }
        xAxis(svg, "0", number((long) xMax), "row changes per transaction (all " + number(history.transactions()) + " transactions)");
        return svg.close("svg").toString();
    }

    /** Row changes committed per second, in equal slices of the run. */
    static String rate(TransactionHistory history, String id) {
        long[] rows;
        double sliceSeconds;
        if (history.complete()) {
            int n = history.sizes().length;
            long end = n == 0 ? 0 : history.commitNanos()[n - 1];
            int slices = Math.max(1, Math.min(RATE_SLICES, n));
            long sliceNanos = Math.max(1, (end + slices) / slices);
            rows = new long[slices];
            for (int i = 0; i < n; i++) {
                rows[(int) Math.min(slices - 1, history.commitNanos()[i] / sliceNanos)] += history.sizes()[i];
            }
            sliceSeconds = sliceNanos / 1e9;
        } else {
            TransactionHistory.Histogram timeline = history.timeline();
            rows = Arrays.copyOf(timeline.counts(), timeline.lastUsed() + 1);
            sliceSeconds = timeline.width() / 1e9;
        }
        double peak = 1;
        for (long r : rows) {
            peak = Math.max(peak, r / sliceSeconds);
        }
        double yMax = niceCeiling(peak * 1.08);
        Html svg = start(id, "Row changes committed per second over the run");
        yAxis(svg, yMax, -1, "row changes/s");
        double barWidth = (double) PLOT_W / Math.max(1, rows.length);
        for (int i = 0; i < rows.length; i++) {
            double perSecond = rows[i] / sliceSeconds;
            if (rows[i] > 0) {
                bar(svg.open("rect", barAttributes(LEFT + i * barWidth + barWidth * 0.05, barWidth * 0.9, perSecond, yMax, "rate")),
                        String.format(Locale.ROOT, "%.2f s to %.2f s: %s row changes (%s/s)", i * sliceSeconds, (i + 1) * sliceSeconds,
                                number(rows[i]), number(Math.round(perSecond))));
            }
        }
        xAxis(svg, "0 s", Html.seconds(rows.length * sliceSeconds) + " s", "time since the conversion opened the target");
        return svg.close("svg").toString();
    }

    /**
     * The scaling proof: the converter's CPU time against the rows it converted, for the empty
     * database and the proof's two cases, with the linear expectation drawn dashed: the line from
     * the fixed cost the proof subtracts ({@link Growth#subtracted()}) through the smaller case, on to
     * the larger case's rows.
     */
    static String growth(Growth growth, String id) {
        double fixed = growth.fixed().toNanos() / 1e6;
        double small = growth.small().toNanos() / 1e6;
        double large = growth.large().toNanos() / 1e6;
        double subtracted = growth.subtracted() / 1e6;
        double linear = subtracted + growth.smallWork() / 1e6 * growth.rowRatio();
        double yMax = niceCeiling(Math.max(large, linear) * 1.08);
        double xMax = growth.largeRows();
        String status = growth.passed() ? "" : " fail";
        Html svg = start(id, "The converter's CPU time against the rows it converted, with the linear expectation");
        yAxis(svg, yMax, -1, "converter CPU, ms");
        svg.open("path", "class", "linear", "d", "M" + point(0, subtracted, xMax, yMax) + "L" + point(xMax, linear, xMax, yMax))
                .element("title", String.format(Locale.ROOT, "linear: %s ms at %s rows", number(Math.round(linear)), number(growth.largeRows())))
                .close("path");
        svg.empty("path", "class", "measured" + status, "d", "M" + point(0, fixed, xMax, yMax) + "L" + point(growth.smallRows(), small, xMax, yMax)
                + "L" + point(xMax, large, xMax, yMax));
        dot(svg, 0, fixed, xMax, yMax, status, "empty database: " + number(Math.round(fixed)) + " ms");
        dot(svg, growth.smallRows(), small, xMax, yMax, status, String.format(Locale.ROOT, "case %s: %s rows, %s ms", growth.smallCase(),
                number(growth.smallRows()), number(Math.round(small))));
        dot(svg, xMax, large, xMax, yMax, status, String.format(Locale.ROOT, "case %s: %s rows, %s ms", growth.largeCase(),
                number(growth.largeRows()), number(Math.round(large))));
        xAxis(svg, "0", number(growth.largeRows()), "source rows (users, certificates, keys, CRL rows)");
        return svg.close("svg").toString();
    }

    private static String point(double rows, double millis, double xMax, double yMax) {
        return coordinate(LEFT + rows / xMax * PLOT_W) + " " + coordinate(TOP + PLOT_H - Math.min(millis, yMax) / yMax * PLOT_H);
    }

    private static void dot(Html svg, double rows, double millis, double xMax, double yMax, String status, String title) {
        String[] at = point(rows, millis, xMax, yMax).split(" ");
        svg.open("circle", "class", "point" + status, "cx", at[0], "cy", at[1], "r", "4").element("title", title).close("circle");
    }

    private static Html start(String htmlId, String title) {
        String id = xmlName(htmlId);
        Html svg = new Html().open("svg", "xmlns", "http://www.w3.org/2000/svg", "viewBox", "0 0 " + WIDTH + " " + HEIGHT,
                "class", "chart", "role", "img", "aria-labelledby", id);
        return svg.element("title", title, "id", id);
    }

    /** SVG ids are XML names: every character but letters, digits, '.', '-' and '_' becomes {@code _<hex>}. */
    static String xmlName(String id) {
        StringBuilder name = new StringBuilder(id.length() + 8);
        for (char c : id.toCharArray()) {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-')) {
                name.append(c);
            } else {
                name.append('_').append(Integer.toHexString(c));
            }
        }
        return Character.isLetter(name.charAt(0)) ? name.toString() : "c" + name;
    }

    private static String[] barAttributes(double x, double width, double value, double yMax, String cssClass) {
        double height = Math.max(value > 0 ? 1 : 0, value / yMax * PLOT_H);
        return new String[] {"class", cssClass, "x", coordinate(x), "y", coordinate(TOP + PLOT_H - height),
                "width", coordinate(Math.max(0.5, width)), "height", coordinate(height)};
    }

    private static void bar(Html svg, String title) {
        svg.element("title", title).close("rect");
    }

    private static String columnPath(double x, int value, double yMax) {
        return "M" + coordinate(x) + " " + (TOP + PLOT_H) + "V" + coordinate(TOP + PLOT_H - Math.max(1, value / yMax * PLOT_H));
    }

    private static void capacityLine(Html svg, int capacity, double yMax) {
        double y = TOP + PLOT_H - capacity / yMax * PLOT_H;
        svg.empty("line", "class", "capacity", "x1", Integer.toString(LEFT), "x2", Integer.toString(LEFT + PLOT_W), "y1", coordinate(y), "y2", coordinate(y));
        for (String cssClass : new String[] {"capacity-label halo", "capacity-label"}) {
            svg.element("text", "capacity " + number(capacity), "x", Integer.toString(LEFT + 6), "y", coordinate(y - 4), "class", cssClass, "text-anchor", "start");
        }
    }

    /** The left axis with ticks at 0, half and the top; {@code mark} (the capacity) gets a tick of its own when positive. */
    private static void yAxis(Html svg, double yMax, long mark, String label) {
        svg.empty("line", "class", "axis", "x1", Integer.toString(LEFT), "x2", Integer.toString(LEFT), "y1", Integer.toString(TOP), "y2", Integer.toString(TOP + PLOT_H));
        svg.empty("line", "class", "axis", "x1", Integer.toString(LEFT), "x2", Integer.toString(LEFT + PLOT_W), "y1", Integer.toString(TOP + PLOT_H), "y2", Integer.toString(TOP + PLOT_H));
        for (double tick : new double[] {0, yMax / 2, yMax}) {
            if (mark > 0 && Math.abs(tick - mark) < yMax * 0.08) {
                continue;
            }
            tick(svg, tick, yMax);
        }
        if (mark > 0) {
            tick(svg, mark, yMax);
        }
        svg.element("text", label, "class", "axis-label", "transform", "rotate(-90)", "x", Integer.toString(-(TOP + PLOT_H / 2)), "y", "14", "text-anchor", "middle");
    }

    private static void tick(Html svg, double value, double yMax) {
        double y = TOP + PLOT_H - value / yMax * PLOT_H;
        svg.empty("line", "class", "grid", "x1", Integer.toString(LEFT), "x2", Integer.toString(LEFT + PLOT_W), "y1", coordinate(y), "y2", coordinate(y));
        svg.element("text", number(Math.round(value)), "x", Integer.toString(LEFT - 6), "y", coordinate(y + 4), "class", "tick", "text-anchor", "end");
    }

    private static void xAxis(Html svg, String first, String last, String label) {
        String y = Integer.toString(TOP + PLOT_H + 16);
        svg.element("text", first, "x", Integer.toString(LEFT), "y", y, "class", "tick", "text-anchor", "start");
        svg.element("text", last, "x", Integer.toString(LEFT + PLOT_W), "y", y, "class", "tick", "text-anchor", "end");
        svg.element("text", label, "x", Integer.toString(LEFT + PLOT_W / 2), "y", Integer.toString(TOP + PLOT_H + 32), "class", "axis-label", "text-anchor", "middle");
    }

    /** The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or above {@code value}, at least 1. */
    static double niceCeiling(double value) {
        double power = 1;
        while (power * 10 <= value) {
            power *= 10;
        }
        for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }
}
