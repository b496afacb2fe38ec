package dev.kmsgate.kms.convert;

/**
 * How fast a converter runs and how its work grows: what {@code kms:plan} estimates a
 * conversion's time with. A conversion of n source rows takes {@code seconds x (n / rows)^k}, where
 * k is the measured growth exponent, never less than 1: a measurement that saw work grow more
 * slowly than the data (fixed costs that were not all subtracted) promises no less than linear.
 *
 * <p>Public for gate, which measures it, and maven, whose {@code kms:plan} uses it; not an API.
 *
 * @param rows the source rows of the largest database measured
 * @param seconds the work the conversion of that database took above its fixed cost
 * @param exponent the growth exponent measured between a smaller database and that one
 * @param smallerRows the source rows of the smaller database measured, or 0 when no growth was measured
 */
public record ConvertSpeed(long rows, double seconds, double exponent, long smallerRows) {

    /** A speed of this many rows per second, linear. */
    public static ConvertSpeed linear(double rowsPerSecond) {
        return new ConvertSpeed(1_000_000, 1_000_000 / rowsPerSecond, 1, 0);
    }

    public double rowsPerSecond() {
        return rows / seconds;
    }

    /** The growth the estimate uses: the measured exponent, at least 1. */
    public double growth() {
        return Math.max(1, exponent);
    }

    /** The seconds a conversion of this many source rows takes at this speed and growth. */
    public double secondsFor(long sourceRows) {
        return seconds * Math.pow((double) sourceRows / rows, growth());
    }
}
