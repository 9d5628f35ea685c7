package io.github.fastgn.testing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The property runner itself: same draws for the same seed, failures that name the try and its draws. */
class PropertiesTest {

    @Test
    void theSameSeedDrawsTheSameValues() {
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        Properties.forAll(11, 50, draw -> first.add(draw.intIn("n", -3, 40)));
        Properties.forAll(11, 50, draw -> second.add(draw.intIn("n", -3, 40)));
        assertEquals(first, second);
    }

    @Test
    void drawsStayInRangeAndReachBothEnds() {
        List<Integer> seen = new ArrayList<>();
        Properties.forAll(5, 400, draw -> {
            int v = draw.intIn("v", 1000, 1_000_000);
            double x = draw.doubleIn("x", -2.5, 7.0);
            assertTrue(v >= 1000 && v <= 1_000_000 && x >= -2.5 && x <= 7.0);
            seen.add(v);
        });
        assertTrue(seen.contains(1000) && seen.contains(1_000_000), "ends drawn: " + seen.subList(0, 10));
    }

    @Test
    void aFailureNamesTheTryTheSeedAndTheDraws() {
        AssertionError e = assertThrows(AssertionError.class, () -> Properties.forAll(3, 100, draw -> {
            int n = draw.intIn("n", 0, 9);
            draw.bool("flag");
            if (n == 9) {
                throw new IllegalStateException("nine");
            }
        }));
        assertTrue(e.getMessage().matches("property failed at try \\d+ of 100 \\(seed 3\\) with n=9, flag=(true|false): nine"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Properties.forAll(3, 0, draw -> { }));
    }
}
