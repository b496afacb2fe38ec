package dev.kmsgate.kms.gate;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scaling proof's arithmetic and its lines, on measurements given here. */
class GrowthTest {

    private static Growth measured(double fixed, double small, double large) {
        return new Growth("scale-1x", "scale-8x", 2_500, 20_000, 8_000, seconds(fixed), seconds(small), seconds(large), null);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    @Test
    void linearWorkAboveTheFixedCostPasses() {
        Growth growth = measured(0.1, 0.2, 0.9);

        assertEquals(8.0, growth.rowRatio(), 1e-9);
        assertEquals(8.0, growth.workRatio(), 1e-6);
        assertEquals(1.0, growth.exponent(), 1e-6);
        assertTrue(growth.passed());
        assertEquals("scaling proof: 8.0x the rows took 8.0x the work (about n^1.00; cases scale-1x and scale-8x): "
                + "work grows linearly with the data.", growth.line());
    }

    @Test
    void quadraticWorkFailsNamingTheGrowthAndAProductionDatabasesTime() {
        Growth growth = measured(0.1, 0.2, 6.5); // 64x the work above the fixed cost

        assertEquals(2.0, growth.exponent(), 1e-6);
        assertFalse(growth.passed());
        // 1,000,000 certificates in the proof's shape: 20,000 / 8,000 rows per certificate, 2,500,000 rows, 125 times the larger
        // case: 6.4 s x 125^2 = 100,000 s of work, 27.8 h; linear, 6.4 s x 125 = 800 s, 13 min
        assertEquals("scaling proof: 8.0x the rows took 64x the work: about n^2.00, beyond n^1.5 (cases scale-1x and scale-8x, "
                + "2,500 and 20,000 rows: 0.200 s and 6.500 s of the converter's CPU above a fixed 0.100 s). At that growth a database "
                + "of 1,000,000 certificates would take about 27.8 h of conversion work, where linear work would take 13 min.", growth.line());
    }

    @Test
    void aFailureNamesTheTableWhoseWorkGrewFastest() {
        Growth.Phase keys = new Growth.Phase("KMS55.KEY_ARCHIVE", 500, 4_000, 60_000_000, 3_840_000_000L);
        Growth growth = new Growth("scale-1x", "scale-8x", 2_500, 20_000, 8_000, seconds(0.1), seconds(0.2), seconds(6.5), null, keys);

        assertEquals(2.0, keys.exponent(), 1e-9);
        assertTrue(growth.line().endsWith(" where linear work would take 13 min. The work that grew fastest wrote KMS55.KEY_ARCHIVE: "
                + "8.0x its rows took 64x the work (about n^2.00)."), growth::line);
        assertTrue(measured(0.1, 0.2, 0.9).line().endsWith("work grows linearly with the data."), "a pass names no table");
        Growth.Phase steep = new Growth.Phase("KMS55.KEY_ARCHIVE", 500, 4_000, 60_000_000, 3_840_000_000L);
        Growth passing = new Growth("scale-1x", "scale-8x", 2_500, 20_000, 8_000, seconds(0.1), seconds(0.2), seconds(0.9), null, steep);
        assertTrue(passing.phaseWarning());
        assertEquals("scaling proof: 8.0x the rows took 8.0x the work (about n^1.00; cases scale-1x and scale-8x): work grows linearly with "
                + "the data. Yet one phase grew faster. The work that grew fastest wrote KMS55.KEY_ARCHIVE: 8.0x its rows took 64x the work "
                + "(about n^2.00).", passing.line());
    }

    @Test
    void aTableWhoseWorkIsAFewTicksOfCpuTimeIsNotJudgedByThem() {
        // one 10 ms tick on the smaller case, 40 on the larger: measured as 50 ms and 400 ms, n^1.00, not n^1.77
        Growth.Phase users = new Growth.Phase("KMS55.USERS", 500, 4_000, 10_000_000, 400_000_000);
        Growth growth = new Growth("scale-1x", "scale-8x", 2_500, 20_000, 8_000, seconds(0.1), seconds(0.2), seconds(0.9), null, users);

        assertEquals(1.0, users.exponent(), 1e-9);
        assertFalse(growth.phaseWarning(), growth::line);
        assertEquals("scaling proof: 8.0x the rows took 8.0x the work (about n^1.00; cases scale-1x and scale-8x): work grows linearly with "
                + "the data.", growth.line());
        // above the floor a table's growth counts as measured: 60 ms to 3.84 s is n^2.00
        assertEquals(2.0, new Growth.Phase("KMS55.KEY_ARCHIVE", 500, 4_000, 60_000_000, 3_840_000_000L).exponent(), 1e-9);
    }

    @Test
    void theLimitIsBetweenASortAndQuadraticWork() {
        // n log n from 2,500 to 20,000 rows: 8 x log(20,000) / log(2,500), about n^1.11
        double nLogN = 8 * Math.log(20_000) / Math.log(2_500);
        assertTrue(measured(0, 0.1, 0.1 * nLogN).passed());
        assertTrue(measured(0, 0.1, 0.1 * Math.pow(8, 1.49)).passed());
        assertFalse(measured(0, 0.1, 0.1 * Math.pow(8, 1.51)).passed());
    }

    @Test
    void aFixedCostOfMoreThanHalfTheSmallerCaseIsSubtractedOnlyToHalfIt() {
        // the empty database took 0.36 s, the smaller case 0.35 s: noise, since the smaller case does all the empty one does and more
        Growth growth = measured(0.36, 0.35, 0.9);

        assertEquals(175_000_000, growth.subtracted());
        assertEquals(175_000_000, growth.smallWork());
        assertEquals(725_000_000, growth.largeWork());
        assertEquals(Math.log(725.0 / 175) / Math.log(8), growth.exponent(), 1e-9);
        assertTrue(growth.passed(), "subtracting the whole 0.36 s would have measured n^4.4");
    }

    @Test
    void noWorkAtAllCountsAsAMillisecondOnEachSide() {
        Growth growth = measured(0, 0, 0);

        assertEquals(1_000_000, growth.smallWork());
        assertEquals(1_000_000, growth.largeWork());
        assertEquals(0.0, growth.exponent(), 1e-9);
        assertTrue(growth.passed());
    }

    @Test
    void aProofThatCouldNotMeasureFailsSayingWhy() {
        Growth growth = Growth.unmeasured("scale-1x", "scale-8x", 2_500, 20_000, 8_000, "case scale-8x did not convert");

        assertFalse(growth.passed());
        assertEquals("scaling proof: not measured: case scale-8x did not convert", growth.line());
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertEquals("1 s", Growth.human(Duration.ofMillis(200)));
        assertEquals("41 s", Growth.human(Duration.ofSeconds(41)));
        assertEquals("13 min", Growth.human(Duration.ofSeconds(800)));
        assertEquals("27.8 h", Growth.human(Duration.ofSeconds(100_000)));
        assertEquals("9.2 days", Growth.human(Duration.ofHours(221)));
        assertEquals("3.0 years", Growth.human(Duration.ofDays(1095)));
    }
}
