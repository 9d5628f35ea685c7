package io.github.fastgn;

import io.github.fastgn.data.LabelledData;

import io.github.fastgn.testing.Properties;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded properties ({@link Properties}) of the objective {@code sum_i c_i CE(W x_i + b, y_i) / sum_i c_i + l2/2 ||W||^2}:
 * it does not change when the rows are permuted, when the same constant is added to every class's
 * bias (every logit of every row moves by it; the bias is not penalised), when all example weights
 * are scaled by one factor, or when the classes are relabelled with the rows of {@code [W | b]}
 * permuted to match; the gradient moves accordingly. Random shapes, scales and weights; fixed seeds.
 */
class ObjectiveInvariancePropertiesTest {

    /** A random problem and point. */
    private record Problem(double[] x, int[] y, double[] c, int n, int d, int k, double l2, double[] w) {
        LabelledData data() {
            return new LabelledData(x, y, c, n, d, k);
        }

        double[] gradient() {
            double[] g = new double[w.length];
            new SoftmaxObjective(data(), l2).evaluate(w, g);
            return g;
        }

        double value() {
            return new SoftmaxObjective(data(), l2).evaluate(w, null);
        }
    }

    private static Problem problem(long seed, int n, int d, int k, int scaleExponent, boolean weighted) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double scale = Math.pow(10, scaleExponent);
        double[] x = new double[n * d];
        for (int t = 0; t < x.length; t++) {
            x[t] = scale * (2 * rnd.nextDouble() - 1);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < k ? i : rnd.nextInt(k);
        }
        double[] c = null;
        if (weighted) {
            c = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = 0.1 + rnd.nextDouble();
            }
        }
        double[] w = new double[k * (d + 1)];
        for (int t = 0; t < w.length; t++) {
            w[t] = 3 * (2 * rnd.nextDouble() - 1) / scale;
        }
        return new Problem(x, y, c, n, d, k, rnd.nextBoolean() ? 0.0 : 1e-3 * rnd.nextDouble(), w);
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-12 * Math.max(1.0, Math.abs(expected)), what);
    }

    private static void close(double[] expected, double[] actual, String what) {
        double norm = 0;
        for (double v : expected) {
            norm = Math.max(norm, Math.abs(v));
        }
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], actual[t], 1e-11 * Math.max(1e-3, norm), what + " [" + t + "]");
        }
    }

    @Test
    void permutingRowsChangesNothing() {
        Properties.forAll(101L, 150, draw -> permutingRowsChangesNothing(
                draw.intIn("n", 2, 12),
                draw.intIn("d", 1, 5),
                draw.intIn("k", 2, 4),
                draw.intIn("scaleExponent", -3, 3),
                draw.bool("weighted"),
                draw.seed("seed")));
    }

    private static void permutingRowsChangesNothing(int n, int d, int k, int scaleExponent, boolean weighted,
            long seed) {
        Problem a = problem(seed, n, d, k, scaleExponent, weighted);
        int[] perm = permutation(n, new SplittableRandom(seed ^ 0x5DEECE66DL));
        double[] x = new double[n * d];
        int[] y = new int[n];
        double[] c = a.c() == null ? null : new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a.x(), perm[i] * d, x, i * d, d);
            y[i] = a.y()[perm[i]];
            if (c != null) {
                c[i] = a.c()[perm[i]];
            }
        }
        Problem b = new Problem(x, y, c, n, d, k, a.l2(), a.w());
        close(a.value(), b.value(), "objective");
        close(a.gradient(), b.gradient(), "gradient");
    }

    @Test
    void aCommonShiftOfTheBiasesChangesNothing() {
        Properties.forAll(202L, 150, draw -> aCommonShiftOfTheBiasesChangesNothing(
                draw.intIn("n", 1, 10),
                draw.intIn("d", 1, 5),
                draw.intIn("k", 2, 4),
                draw.intIn("scaleExponent", -3, 3),
                draw.doubleIn("shift", -20, 20),
                draw.bool("weighted"),
                draw.seed("seed")));
    }

    private static void aCommonShiftOfTheBiasesChangesNothing(int n, int d, int k, int scaleExponent, double shift,
            boolean weighted, long seed) {
        Problem a = problem(seed, n, d, k, scaleExponent, weighted);
        double[] w = a.w().clone();
        for (int cl = 0; cl < k; cl++) {
            w[cl * (d + 1) + d] += shift;
        }
        Problem b = new Problem(a.x(), a.y(), a.c(), n, d, k, a.l2(), w);
        // a shift moves every logit by about |shift|: the rounding of the sums scales with it
        assertEquals(a.value(), b.value(), 1e-12 * (Math.abs(a.value()) + Math.abs(shift) + 1), "objective");
        double[] ga = a.gradient();
        double[] gb = b.gradient();
        double norm = 0;
        for (double v : ga) {
            norm = Math.max(norm, Math.abs(v));
        }
        for (int t = 0; t < ga.length; t++) {
            assertEquals(ga[t], gb[t], 1e-10 * Math.max(1.0, norm) * (1 + Math.abs(shift)), "gradient [" + t + "]");
        }
    }

    @Test
    void scalingAllExampleWeightsChangesNothing() {
        Properties.forAll(303L, 150, draw -> scalingAllExampleWeightsChangesNothing(
                draw.intIn("n", 1, 10),
                draw.intIn("d", 1, 5),
                draw.intIn("k", 2, 4),
                draw.intIn("scaleExponent", -3, 3),
                draw.intIn("factorExponent", -150, 150),
                draw.seed("seed")));
    }

    private static void scalingAllExampleWeightsChangesNothing(int n, int d, int k, int scaleExponent,
            int factorExponent, long seed) {
        Problem a = problem(seed, n, d, k, scaleExponent, true);
        double factor = Math.pow(10, factorExponent);
        double[] c = a.c().clone();
        for (int i = 0; i < n; i++) {
            c[i] *= factor;
        }
        Problem b = new Problem(a.x(), a.y(), c, n, d, k, a.l2(), a.w());
        close(a.value(), b.value(), "objective");
        close(a.gradient(), b.gradient(), "gradient");
        // unit weights are the unweighted objective
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, factor);
        Problem unit = new Problem(a.x(), a.y(), ones, n, d, k, a.l2(), a.w());
        Problem none = new Problem(a.x(), a.y(), null, n, d, k, a.l2(), a.w());
        close(none.value(), unit.value(), "unweighted objective");
    }

    @Test
    void relabellingClassesWithTheRowsPermutedChangesNothing() {
        Properties.forAll(404L, 150, draw -> relabellingClassesWithTheRowsPermutedChangesNothing(
                draw.intIn("n", 1, 10),
                draw.intIn("d", 1, 5),
                draw.intIn("k", 2, 5),
                draw.intIn("scaleExponent", -3, 3),
                draw.bool("weighted"),
                draw.seed("seed")));
    }

    private static void relabellingClassesWithTheRowsPermutedChangesNothing(int n, int d, int k, int scaleExponent,
            boolean weighted, long seed) {
        Problem a = problem(seed, n, d, k, scaleExponent, weighted);
        int[] pi = permutation(k, new SplittableRandom(~seed));
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = pi[a.y()[i]];
        }
        int dd = d + 1;
        double[] w = new double[a.w().length];
        for (int cl = 0; cl < k; cl++) {
            System.arraycopy(a.w(), cl * dd, w, pi[cl] * dd, dd);
        }
        Problem b = new Problem(a.x(), y, a.c(), n, d, k, a.l2(), w);
        close(a.value(), b.value(), "objective");
        double[] ga = a.gradient();
        double[] gb = b.gradient();
        double[] expected = new double[ga.length];
        for (int cl = 0; cl < k; cl++) {
            System.arraycopy(ga, cl * dd, expected, pi[cl] * dd, dd);
        }
        close(expected, gb, "gradient, rows permuted");
    }

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
