package dev.kmsgate.kms.gate;

import java.time.Duration;
import java.util.Locale;

/**
 * What the scaling proof measured: the converter's CPU time on an empty database (its fixed cost)
 * and on two cases of the same shape, the second {@link #rowRatio()} times the first, and how its
 * work grew between them. Work that grows as n<sup>k</sup> grows {@code rowRatio^k} times; the
 * proof fails when k, measured above the fixed cost, is beyond {@link #LIMIT}.
 *
 * <p>Public for report, which renders it, and fork and cache, which carry and store it; not an API.
 *
 * @param smallCase the smaller case's name
 * @param largeCase the larger case's name
 * @param smallRows the smaller case's source rows (users, certificates, keys and CRL rows)
 * @param largeRows the larger case's source rows
 * @param largeCertificates the larger case's certificates, which the production estimate scales from
 * @param fixed the converter's CPU time on an empty database, the least of two runs
 * @param small its CPU time on the smaller case, the least of two runs, fixed cost included
 * @param large its CPU time on the larger case, fixed cost included
 * @param problem why the growth could not be measured, or null
 * @param fastest the table whose work grew fastest between the two cases, or null when the converter's work could not be
 *        told apart by table (it committed everything at once, or wrote one table)
 */
public record Growth(String smallCase, String largeCase, long smallRows, long largeRows, long largeCertificates, Duration fixed, Duration small,
                     Duration large, String problem, Phase fastest) {

    /** A growth without work by table. */
    public Growth(String smallCase, String largeCase, long smallRows, long largeRows, long largeCertificates, Duration fixed, Duration small,
                  Duration large, String problem) {
        this(smallCase, largeCase, smallRows, largeRows, largeCertificates, fixed, small, large, problem, null);
    }

    /**
     * One table's growth between the two cases: the row changes the converter made there and the
     * work the guard's ledger shared to it ({@link dev.kmsgate.kms.store.PhaseWork}).
     */
    public record Phase(String table, long smallRows, long largeRows, long smallNanos, long largeNanos) {

        public double rowRatio() {
            return (double) largeRows / smallRows;
        }

        public double workRatio() {
            return (double) Math.max(PHASE_FLOOR_NANOS, largeNanos) / Math.max(PHASE_FLOOR_NANOS, smallNanos);
        }

        public double exponent() {
            return Math.log(workRatio()) / Math.log(rowRatio());
        }

        /** {@code The work that grew fastest wrote KMS55.KEY_ARCHIVE: 8.0x its rows took 95x the work (about n^2.19).} */
        public String sentence() {
            return String.format(Locale.ROOT, "The work that grew fastest wrote %s: %sx its rows took %sx the work (about n^%.2f).", table,
                    ratio(rowRatio()), ratio(workRatio()), exponent());
        }
    }

    /**
     * The growth exponent beyond which the proof fails: clearly faster than linear. Correct
     * converters measured up to 1.2 on a quiet machine and up to 1.38 with two builds beside them (a
     * sort's n log n, with caches that a bigger database misses more); quadratic ones 1.6-1.9 on a
     * quiet machine (docs/performance.md, tenth round).
     */
    public static final double LIMIT = 1.5;

    /** The production database the failure message sizes its estimate for, in certificates. */
    public static final long PRODUCTION_CERTIFICATES = 1_000_000;

    /** Work below this is measured as this, so that a converter with no work beyond its fixed cost has a ratio. */
    private static final long FLOOR_NANOS = 1_000_000;

    /**
     * A table's work below this is measured as this: five of the ticks (10 ms on Linux) in which a
     * thread's CPU time is counted. The built-in converter's users took one or two ticks on the
     * smaller case, and once, under load, forty on the larger: n^1.77, a warning on a correct
     * converter. A table whose work is a few ticks is too little to tell growth by.
     */
    static final long PHASE_FLOOR_NANOS = 50_000_000;

    /** The growth of a proof that could not measure it, saying why. */
    static Growth unmeasured(String smallCase, String largeCase, long smallRows, long largeRows, long largeCertificates, String problem) {
        return new Growth(smallCase, largeCase, smallRows, largeRows, largeCertificates, Duration.ZERO, Duration.ZERO, Duration.ZERO, problem,
                null);
    }

    public boolean measured() {
        return problem == null;
    }

    /** How many times the larger case's rows are the smaller's. */
    public double rowRatio() {
        return (double) largeRows / smallRows;
    }

    /**
     * The fixed cost subtracted from both cases: the empty database's, but never more than half
     * the smaller case's. A converter whose fixed cost is most of its time on the smaller case
     * leaves that case little work to measure, and the noise of two nearly equal times would make
     * its growth look steep: the proof errs toward passing it.
     */
    public long subtracted() {
        return Math.min(fixed.toNanos(), small.toNanos() / 2);
    }

    /** The smaller case's work above the fixed cost, in nanoseconds (at least a millisecond). */
    public long smallWork() {
        return Math.max(FLOOR_NANOS, small.toNanos() - subtracted());
    }

    /** The larger case's work above the fixed cost, in nanoseconds (at least a millisecond). */
    public long largeWork() {
        return Math.max(FLOOR_NANOS, large.toNanos() - subtracted());
    }

    /** How many times the smaller case's work the larger one took. */
    public double workRatio() {
        return (double) largeWork() / smallWork();
    }

    /** k in n<sup>k</sup>: 1 for linear work, 2 for quadratic. */
    public double exponent() {
        return Math.log(workRatio()) / Math.log(rowRatio());
    }

    /**
     * Whether the converter passed while the phase that grew fastest grew beyond {@link #LIMIT}: a
     * converter quadratic in one phase whose other phases still outweigh it at these sizes. Its
     * line says so and warns; it does not fail the gate, since one phase's share of the work is
     * measured less surely than the whole.
     */
    public boolean phaseWarning() {
        return passed() && fastest != null && fastest.exponent() > LIMIT;
    }

    /** Whether the growth was measured and is not beyond {@link #LIMIT}. */
    public boolean passed() {
        return measured() && exponent() <= LIMIT;
    }

    /** The work the converter would take on a database of this many source rows, at the measured growth. */
    public Duration workAt(long rows, double exponent) {
        double seconds = largeWork() / 1e9 * Math.pow((double) rows / largeRows, exponent);
        return Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2.0));
    }

    /** Source rows of a production database of {@link #PRODUCTION_CERTIFICATES}, in the proof cases' shape. */
    public long productionRows() {
        return Math.round((double) largeRows / largeCertificates * PRODUCTION_CERTIFICATES);
    }

    /**
     * The proof's line: {@code scaling proof: 8x the rows took 8.3x the work (about n^1.02; cases
     * scale-1x and scale-8x): work grows linearly with the data.}, or why it fails.
     */
    public String line() {
        if (!measured()) {
            return "scaling proof: not measured: " + problem;
        }
        String measuredGrowth = String.format(Locale.ROOT, "%sx the rows took %sx the work", ratio(rowRatio()), ratio(workRatio()));
        if (passed()) {
            return String.format(Locale.ROOT, "scaling proof: %s (about n^%.2f; cases %s and %s): work grows linearly with the data.",
                    measuredGrowth, exponent(), smallCase, largeCase) + (phaseWarning() ? " Yet one phase grew faster. " + fastest.sentence() : "");
        }
        long production = productionRows();
        return String.format(Locale.ROOT, "scaling proof: %s: about n^%.2f, beyond n^%.1f (cases %s and %s, %,d and %,d rows: %s and %s "
                        + "of the converter's CPU above a fixed %s). At that growth a database of %,d certificates would take about %s "
                        + "of conversion work, where linear work would take %s.",
                measuredGrowth, exponent(), LIMIT, smallCase, largeCase, smallRows, largeRows, seconds(small), seconds(large),
                seconds(Duration.ofNanos(subtracted())), PRODUCTION_CERTIFICATES, human(workAt(production, exponent())), human(workAt(production, 1)))
                + (fastest == null ? "" : " " + fastest.sentence());
    }

    private static String ratio(double ratio) {
        return ratio >= 10 ? String.format(Locale.ROOT, "%,.0f", ratio) : String.format(Locale.ROOT, "%.1f", ratio);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }

    /** {@code 41 s}, {@code 12 min}, {@code 3.2 h}, {@code 9.1 days}, {@code 2.3 years}. */
    static String human(Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", Math.max(1, seconds));
        }
        if (seconds < 2 * 3600) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        if (seconds < 2 * 86400) {
            return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        }
        if (seconds < 2 * 365 * 86400) {
            return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
        }
        return String.format(Locale.ROOT, "%,.1f years", seconds / (365 * 86400));
    }
}
