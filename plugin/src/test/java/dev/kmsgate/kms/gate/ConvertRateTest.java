package dev.kmsgate.kms.gate;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kms:plan's rate: measured on this machine in memory, leaving nothing behind. */
class ConvertRateTest {

    @Test
    void theRateIsMeasuredInMemoryAndLeavesNoFileBehind() throws Exception {
        List<Path> before = listing();

        double rate = ConvertRate.measure(37);

        // a rate, not a constant: a conversion of 4,287 rows takes more than a millisecond and less than a minute
        assertEquals(4_287, ConvertRate.rows());
        assertTrue(rate > ConvertRate.rows() / 60.0 && rate < ConvertRate.rows() * 1_000.0, () -> "rate " + rate);
        assertEquals(before, listing(), "the measurement left files in the working directory");
    }

    private static List<Path> listing() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(""))) {
            return files.sorted().toList();
        }
    }
}
