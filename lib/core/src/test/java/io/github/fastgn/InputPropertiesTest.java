package io.github.fastgn;

import io.github.fastgn.data.LabelledData;

import io.github.fastgn.testing.Properties;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded properties ({@link Properties}) of the input checks: over random shapes, scales, weights and label sets (some of
 * them broken on purpose), {@link LabelledData} accepts exactly the inputs an independent oracle calls
 * valid, rejects the others with an {@link IllegalArgumentException} whose message names what is wrong,
 * and on every accepted input {@link SoftmaxObjective} is finite with a gradient that matches a
 * central finite difference. Seeds are fixed, so the tries are the same on every build.
 */
class InputPropertiesTest {

    /** Which single defect a try carries (or none). */
    enum Defect { NONE, SHORT_FEATURES, SHORT_LABELS, LABEL_TOO_BIG, NEGATIVE_LABEL, NAN_FEATURE, INF_FEATURE,
        NEGATIVE_WEIGHT, NAN_WEIGHT, ZERO_WEIGHTS, SHORT_WEIGHTS }

    /** The words a rejection of each defect must contain. */
    private static String expectedWords(Defect defect) {
        switch (defect) {
            case SHORT_FEATURES:
                return "expected n*d";
            case SHORT_LABELS:
                return "labels for";
            case LABEL_TOO_BIG:
            case NEGATIVE_LABEL:
                return "is outside [0, ";
            case NAN_FEATURE:
            case INF_FEATURE:
                return "remove or impute";
            case NEGATIVE_WEIGHT:
            case NAN_WEIGHT:
                return "weights must be finite and >= 0";
            case ZERO_WEIGHTS:
                return "all example weights are zero";
            case SHORT_WEIGHTS:
                return "weights for";
            default:
                return null;
        }
    }

    @Test
    void labelledDataAcceptsExactlyValidInputAndTheObjectiveIsFiniteWithAMatchingGradient() {
        Properties.forAll(20261206L, 200, draw ->
                labelledDataAcceptsExactlyValidInputAndTheObjectiveIsFiniteWithAMatchingGradient(
                draw.intIn("n", 1, 7),
                draw.intIn("d", 1, 4),
                draw.intIn("k", 2, 5),
                draw.intIn("scaleExponent", -6, 6),
                draw.bool("weighted"),
                draw.bool("asFloat"),
                draw.oneOf("defect", Defect.class),
                draw.seed("seed")));
    }

    private static void labelledDataAcceptsExactlyValidInputAndTheObjectiveIsFiniteWithAMatchingGradient(int n,
            int d, int k, int scaleExponent, boolean weighted, boolean asFloat, Defect defect, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double scale = Math.pow(10, scaleExponent);
        double[] x = new double[n * d];
        for (int t = 0; t < x.length; t++) {
            x[t] = scale * (2 * rnd.nextDouble() - 1);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(k);
        }
        double[] w = weighted || defect.name().contains("WEIGHT") ? new double[n] : null;
        if (w != null) {
            for (int i = 0; i < n; i++) {
                w[i] = Math.pow(10, rnd.nextInt(-3, 4)) * rnd.nextDouble() + (i == 0 ? 1e-3 : 0);
            }
        }
        int bad = rnd.nextInt(n);
        switch (defect) {
            case SHORT_FEATURES -> x = java.util.Arrays.copyOf(x, x.length - 1);
            case SHORT_LABELS -> y = java.util.Arrays.copyOf(y, n - 1);
            case LABEL_TOO_BIG -> y[bad] = k + rnd.nextInt(3);
            case NEGATIVE_LABEL -> y[bad] = -1 - rnd.nextInt(3);
            case NAN_FEATURE -> x[bad * d + rnd.nextInt(d)] = Double.NaN;
            case INF_FEATURE -> x[bad * d + rnd.nextInt(d)] = rnd.nextBoolean() ? Double.POSITIVE_INFINITY
                    : Double.NEGATIVE_INFINITY;
            case NEGATIVE_WEIGHT -> w[bad] = -w[bad] - 1e-6;
            case NAN_WEIGHT -> w[bad] = Double.NaN;
            case ZERO_WEIGHTS -> java.util.Arrays.fill(w, 0.0);
            case SHORT_WEIGHTS -> w = java.util.Arrays.copyOf(w, n + 1);
            default -> { }
        }
        LabelledData data;
        try {
            data = asFloat ? LabelledData.ofFloat(toFloat(x), y, w, n, d, k) : new LabelledData(x, y, w, n, d, k);
        } catch (IllegalArgumentException e) {
            assertTrue(defect != Defect.NONE, () -> "valid input rejected: " + e.getMessage());
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().contains(expectedWords(defect)),
                    () -> defect + ": the message does not say what is wrong: " + e.getMessage());
            return;
        }
        if (defect != Defect.NONE) {
            fail(defect + " accepted");
        }
        objectiveIsFiniteAndMatchesACentralDifference(data, scale, rnd);
    }

    /** Valid data only (the property above reaches the objective in about one try of eleven). */
    @Test
    void validDataHasAFiniteObjectiveWhoseGradientMatchesACentralDifference() {
        Properties.forAll(424242L, 150, draw -> validDataHasAFiniteObjectiveWhoseGradientMatchesACentralDifference(
                draw.intIn("n", 1, 9),
                draw.intIn("d", 1, 5),
                draw.intIn("k", 2, 5),
                draw.intIn("scaleExponent", -6, 6),
                draw.bool("weighted"),
                draw.bool("asFloat"),
                draw.seed("seed")));
    }

    private static void validDataHasAFiniteObjectiveWhoseGradientMatchesACentralDifference(int n, int d, int k,
            int scaleExponent, boolean weighted, boolean asFloat, long seed) {
        labelledDataAcceptsExactlyValidInputAndTheObjectiveIsFiniteWithAMatchingGradient(n, d, k, scaleExponent,
                weighted, asFloat, Defect.NONE, seed);
    }

    private static void objectiveIsFiniteAndMatchesACentralDifference(LabelledData data, double scale,
                                                                      SplittableRandom rnd) {
        // the objective and its gradient at a random point; the gradient against a central difference
        SoftmaxObjective f = new SoftmaxObjective(data, rnd.nextBoolean() ? 0 : 1e-2);
        int p = f.parameterCount();
        double[] wt = new double[p];
        for (int t = 0; t < p; t++) {
            wt[t] = (2 * rnd.nextDouble() - 1) / Math.max(1.0, scale);
        }
        double[] g = new double[p];
        double value = f.evaluate(wt, g);
        assertTrue(Double.isFinite(value), "objective " + value);
        for (double v : g) {
            assertTrue(Double.isFinite(v), "gradient entry " + v);
        }
        double[] dir = new double[p];
        double gv = 0;
        for (int t = 0; t < p; t++) {
            dir[t] = 2 * rnd.nextDouble() - 1;
            gv += g[t] * dir[t];
        }
        // step so that logits move by about 1e-5 whatever the feature scale
        double h = 1e-5 / Math.max(1.0, scale);
        double fd = (f.evaluate(shift(wt, dir, h), null) - f.evaluate(shift(wt, dir, -h), null)) / (2 * h);
        double gScale = 0;
        for (int t = 0; t < p; t++) {
            gScale += Math.abs(g[t] * dir[t]);
        }
        assertEquals(gv, fd, 1e-6 * (gScale + Math.abs(value) / h * 1e-10) + 1e-9,
                "directional derivative vs central difference");
    }

    @Test
    void labelledDataNamesTheFirstOffendingExampleForAnyShape() {
        Properties.forAll(7L, 100, draw -> labelledDataNamesTheFirstOffendingExampleForAnyShape(
                draw.intIn("n", 1, 40),
                draw.intIn("d", 1, 9),
                draw.doubleIn("where", 0, 1)));
    }

    private static void labelledDataNamesTheFirstOffendingExampleForAnyShape(int n, int d, double where) {
        int bad = (int) Math.min(n - 1, Math.floor(where * n));
        double[] x = new double[n * d];
        x[bad * d + d - 1] = Double.NaN;
        int[] y = new int[n];
        y[n - 1] = 1;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new LabelledData(x, y, null, n, d, 2));
        assertTrue(e.getMessage().startsWith("feature " + (d - 1) + " of example " + bad + " is NaN"), e.getMessage());
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int t = 0; t < x.length; t++) {
            f[t] = (float) x[t];
        }
        return f;
    }

    private static double[] shift(double[] w, double[] dir, double h) {
        double[] out = w.clone();
        for (int t = 0; t < out.length; t++) {
            out[t] += h * dir[t];
        }
        return out;
    }
}
