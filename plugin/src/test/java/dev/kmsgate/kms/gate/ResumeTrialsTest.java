package dev.kmsgate.kms.gate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the resume trials crash a run: seeded points in equal spans, or every commit in turn. */
class ResumeTrialsTest {

    @Test
    void seededPointsFallOneInEachEqualSpanAndDependOnTheSeedOnly() {
        List<Long> points = ResumeTrials.seededPoints(40, 3, 1L);
        assertEquals(3, points.size());
        assertTrue(points.get(0) >= 1 && points.get(0) <= 13, points.toString());
        assertTrue(points.get(1) >= 14 && points.get(1) <= 26, points.toString());
        assertTrue(points.get(2) >= 27 && points.get(2) <= 40, points.toString());
        assertEquals(points, ResumeTrials.seededPoints(40, 3, 1L));
        // fewer commits than trials: every span is one commit wide at least
        assertEquals(List.of(1L, 1L, 2L), ResumeTrials.seededPoints(2, 3, 1L));
    }

    @Test
    void aRunWithoutCommitsGetsPointsZeroThatEachFailSayingSo() {
        assertEquals(List.of(0L, 0L, 0L), ResumeTrials.seededPoints(0, 3, 1L));
        assertEquals(List.of(0L), ResumeTrials.everyCommit(0, 12, 1L));
    }

    @Test
    void everyCommitInTurnUpToTheLimitThenSeededPoints() {
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ResumeTrials.everyCommit(5, 12, 1L));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L), ResumeTrials.everyCommit(12, 12, 1L));
        List<Long> spread = ResumeTrials.everyCommit(100, 12, 1L);
        assertEquals(ResumeTrials.seededPoints(100, 12, 1L), spread);
        assertEquals(12, spread.size());
        for (int i = 1; i < spread.size(); i++) {
            assertTrue(spread.get(i) > spread.get(i - 1), spread.toString());
        }
        assertTrue(spread.get(11) <= 100 && spread.get(0) >= 1, spread.toString());
    }
}
