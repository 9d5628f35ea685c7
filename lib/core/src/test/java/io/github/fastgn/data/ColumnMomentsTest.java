package io.github.fastgn.data;

import io.github.fastgn.testing.Properties;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ColumnMoments} against {@link Standardizer#fit} on the same rows held dense (the implicit
 * zeros written out), at any scale from {@code 1e-300} to {@code 1e300}; the moments of parts merged
 * in order (row views of one matrix) against those of the whole; float values against the same values
 * as doubles; a row view scaled by its own values; bad weights. Seeded
 * properties ({@link Properties}).
 */
class ColumnMomentsTest {

    /** Random sparse rows: each entry stored with probability {@code density}, columns at the given scales. */
    private record Rows(int n, int d, int[] rowStart, int[] columns, double[] values, double[] dense) {
        static Rows draw(int n, int d, double density, double[] colScale, boolean offset, SplittableRandom rnd) {
            int[] rowStart = new int[n + 1];
            int[] columns = new int[n * d];
            double[] values = new double[n * d];
            double[] dense = new double[n * d];
            int q = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    if (rnd.nextDouble() < density) {
                        double v = (offset ? 3 * colScale[j] : 0) + colScale[j] * (2 * rnd.nextDouble() - 1);
                        columns[q] = j;
                        values[q++] = v;
                        dense[i * d + j] = v;
                    }
                }
                rowStart[i + 1] = q;
            }
            return new Rows(n, d, rowStart, java.util.Arrays.copyOf(columns, q), java.util.Arrays.copyOf(values, q),
                    dense);
        }

        CsrFeatures matrix() {
            return CsrFeatures.of(rowStart, columns, values, n, d);
        }

        /** Rows {@code [from, to)} as a row view of the matrix (its offsets do not start at 0). */
        ColumnMoments part(int from, int to, double[] weights) {
            double[] w = weights == null ? null : java.util.Arrays.copyOfRange(weights, from, to);
            return ColumnMoments.of(matrix().rowRange(from, to), w);
        }
    }

    @Test
    void matchesTheDenseStandardizerAndMergesLikeTheWhole() {
        Properties.forAll(4242L, 200, draw -> matchesTheDenseStandardizer(
                draw.intIn("n", 1, 40),
                draw.intIn("d", 1, 6),
                draw.intIn("density percent", 5, 100) / 100.0,
                draw.intIn("exponent", -300, 300),
                draw.bool("offset"),
                draw.bool("weighted"),
                draw.intIn("parts", 1, 4),
                draw.seed("seed")));
    }

    private static void matchesTheDenseStandardizer(int n, int d, double density, int exponent, boolean offset,
                                                    boolean weighted, int parts, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] colScale = new double[d];
        for (int j = 0; j < d; j++) {
            colScale[j] = Math.pow(10, Math.max(-300, Math.min(300, exponent + j - d / 2)));
        }
        Rows rows = Rows.draw(n, d, density, colScale, offset, rnd);
        double[] weights = null;
        if (weighted) {
            weights = new double[n];
            for (int i = 0; i < n; i++) {
                weights[i] = 0.25 + rnd.nextDouble();
            }
        }
        Standardizer expected = Standardizer.fit(rows.dense(), n, d, weights);
        ColumnMoments whole = ColumnMoments.of(rows.matrix(), weights);
        assertClose(expected, whole.standardizer(), "whole");
        // parts merged in order: cut points drawn from the rows
        ColumnMoments merged = ColumnMoments.none(d);
        int from = 0;
        for (int p = 1; p <= parts; p++) {
            int to = p == parts ? n : from + rnd.nextInt(n - from + 1);
            if (to > from) {
                merged.merge(rows.part(from, to, weights));
            }
            from = to;
        }
        assertEquals(whole.weight(), merged.weight(), 1e-12 * whole.weight());
        assertClose(expected, merged.standardizer(), parts + " parts");
    }

    private static void assertClose(Standardizer expected, Standardizer actual, String what) {
        double[] m = expected.mean();
        double[] s = expected.scale();
        double[] am = actual.mean();
        double[] as = actual.scale();
        for (int j = 0; j < m.length; j++) {
            // the mean to rounding of the column's spread (a mean near 0 is a cancellation of values of size s)
            assertEquals(m[j], am[j], 1e-12 * (Math.abs(m[j]) + s[j]), what + " mean " + j);
            assertEquals(s[j], as[j], 1e-9 * s[j], what + " scale " + j);
            assertTrue(Double.isFinite(am[j]) && Double.isFinite(as[j]), what);
        }
    }

    @Test
    void floatValuesGiveTheMomentsOfTheSameValuesAsDoubles() {
        int[] rowStart = {0, 2, 3, 5};
        int[] columns = {0, 2, 1, 0, 2};
        float[] f = {1.5f, -2.25f, 3e30f, 0.125f, 7f};
        double[] v = new double[f.length];
        for (int q = 0; q < f.length; q++) {
            v[q] = f[q];
        }
        double[] w = {1, 2, 0.5};
        Standardizer a = ColumnMoments.of(CsrFeatures.ofFloat(rowStart, columns, f, 3, 3), w).standardizer();
        Standardizer b = ColumnMoments.of(CsrFeatures.of(rowStart, columns, v, 3, 3), w).standardizer();
        assertEquals(java.util.Arrays.toString(b.mean()), java.util.Arrays.toString(a.mean()));
        assertEquals(java.util.Arrays.toString(b.scale()), java.util.Arrays.toString(a.scale()));
    }

    @Test
    void columnsNearTheTopOfTheRangeHaveFiniteMoments() {
        // squares of 1e300 overflow double: the scaled sums do not
        CsrFeatures x = CsrFeatures.of(new int[] {0, 1, 2, 3}, new int[] {0, 0, 0}, new double[] {1e300, -1e300, 1e300},
                3, 1);
        Standardizer st = ColumnMoments.of(x, null).standardizer();
        assertEquals(1e300 / 3, st.mean()[0], 1e-15 * 1e300);
        assertEquals(Math.sqrt(8.0 / 9.0) * 1e300, st.scale()[0], 1e-15 * 1e300);
    }

    @Test
    void aRowViewScalesByItsOwnValuesOnly() {
        // a value of 1e300 before the view: scaled by its power of two, the view's 1e-140 values would underflow
        CsrFeatures x = CsrFeatures.of(new int[] {0, 1, 2, 3}, new int[] {0, 0, 0},
                new double[] {1e300, 1e-140, 3e-140}, 3, 1);
        Standardizer view = ColumnMoments.of(x.rowRange(1, 3), null).standardizer();
        assertEquals(2e-140, view.mean()[0], 1e-15 * 2e-140);
        assertEquals(1e-140, view.scale()[0], 1e-15 * 1e-140);
    }

    @Test
    void badWeightsAreNamedAndPartsOfZeroWeightChangeNothing() {
        CsrFeatures two = CsrFeatures.of(new int[] {0, 1, 2}, new int[] {0, 1}, new double[] {1, 2}, 2, 2);
        String bad = assertThrows(IllegalArgumentException.class, () -> ColumnMoments.of(two, new double[] {1, -1}))
                .getMessage();
        assertTrue(bad.contains("weight of example 1"), bad);
        String count = assertThrows(IllegalArgumentException.class, () -> ColumnMoments.of(two, new double[] {1}))
                .getMessage();
        assertTrue(count.contains("1 weights for 2"), count);
        ColumnMoments none = ColumnMoments.none(2);
        String m = assertThrows(IllegalArgumentException.class, none::standardizer).getMessage();
        assertTrue(m.contains("no weight"), m);
        ColumnMoments one = ColumnMoments.of(CsrFeatures.of(new int[] {0, 1}, new int[] {1}, new double[] {4}, 1, 2),
                null);
        none.merge(ColumnMoments.of(CsrFeatures.of(new int[] {0, 1}, new int[] {0}, new double[] {9}, 1, 2),
                new double[] {0}));
        none.merge(one);
        assertEquals(java.util.Arrays.toString(one.standardizer().mean()),
                java.util.Arrays.toString(none.standardizer().mean()));
        assertThrows(IllegalArgumentException.class, () -> none.merge(ColumnMoments.none(3)));
    }
}
