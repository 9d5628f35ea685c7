package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeededNormalTest {

    @Test
    void momentsOfTheNormals() {
        SeededNormal rng = new SeededNormal(123);
        int n = 400_000;
        double s1 = 0;
        double s2 = 0;
        double s4 = 0;
        int beyond2 = 0;
        for (int i = 0; i < n; i++) {
            double v = rng.next();
            s1 += v;
            s2 += v * v;
            s4 += v * v * v * v;
            beyond2 += Math.abs(v) > 2 ? 1 : 0;
        }
        assertEquals(0.0, s1 / n, 0.006);
        assertEquals(1.0, s2 / n, 0.01);
        assertEquals(3.0, s4 / n, 0.05);
        assertEquals(0.0455, beyond2 / (double) n, 0.002); // P(|Z| > 2)
    }

    @Test
    void sameSeedSameStream() {
        double[] a = new double[101];
        double[] b = new double[101];
        new SeededNormal(5).fill(a, 2.0);
        new SeededNormal(5).fill(b, 2.0);
        assertArrayEquals(a, b, 0.0);
        int[] p = {0, 1, 2, 3, 4, 5, 6, 7};
        new SeededNormal(5).shuffle(p);
        int sum = 0;
        for (int v : p) {
            sum += v;
        }
        assertEquals(28, sum);
        assertTrue(new SeededNormal(5).uniform(-0.5, 0.5) < 0.5);
    }

    /** Pins the stream: changing the generator would silently change every experiment's data. */
    @Test
    void streamIsPinned() {
        SeededNormal rng = new SeededNormal(0);
        assertEquals(-1.8839083333524405, rng.next(), 0.0);
        assertEquals(0.8645068595575148, rng.next(), 0.0);
        assertEquals(0.22760793546360525, rng.next(), 0.0);
        assertEquals(789, rng.nextInt(1000));
        assertEquals(-0.17267423578187424, rng.uniform(-0.5, 0.5), 0.0);
    }
}
