package io.github.fastgn;

import io.github.fastgn.data.LabelledData;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxObjectiveTest {

    private static LabelledData problem(int n, int d, int k, boolean weighted, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n * d];
        int[] y = new int[n];
        double[] w = weighted ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = r.nextGaussian() * (j + 1);
            }
            y[i] = r.nextInt(k);
            if (w != null) {
                w[i] = r.nextDouble(0.1, 3.0);
            }
        }
        return new LabelledData(x, y, w, n, d, k);
    }

    /** The objective written out naively: weighted mean of log-sum-exp minus the true logit, plus the penalty. */
    private static double naive(LabelledData data, double[] p, double l2) {
        int n = data.size();
        int d = data.featureCount();
        int k = data.classCount();
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double[] z = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[c] = p[c * (d + 1) + d];
                for (int j = 0; j < d; j++) {
                    z[c] += p[c * (d + 1) + j] * data.features()[i * d + j];
                }
                max = Math.max(max, z[c]);
            }
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += Math.exp(z[c] - max);
            }
            double ce = max + Math.log(s) - z[data.labels()[i]];
            double w = data.weights() == null ? 1 : data.weights()[i];
            num += w * ce;
            den += w;
        }
        double pen = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                pen += p[c * (d + 1) + j] * p[c * (d + 1) + j];
            }
        }
        return num / den + 0.5 * l2 * pen;
    }

    @Test
    void valueMatchesTheNaiveFormulaAndTheGradientMatchesFiniteDifferences() {
        for (boolean weighted : new boolean[] {false, true}) {
            LabelledData data = problem(37, 5, 4, weighted, weighted ? 3 : 4);
            double l2 = 0.3;
            SoftmaxObjective f = new SoftmaxObjective(data, l2);
            assertEquals(4 * 6, f.parameterCount());
            SplittableRandom r = new SplittableRandom(9);
            double[] p = new double[f.parameterCount()];
            for (int t = 0; t < p.length; t++) {
                p[t] = r.nextGaussian() * 0.3;
            }
            double[] g = new double[p.length];
            double value = f.evaluate(p, g);
            assertEquals(naive(data, p, l2), value, 1e-12 * Math.abs(value));
            for (int t = 0; t < p.length; t++) {
                double h = 1e-6;
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[t] += h;
                minus[t] -= h;
                double fd = (naive(data, plus, l2) - naive(data, minus, l2)) / (2 * h);
                assertEquals(fd, g[t], 1e-7, "gradient entry " + t);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        LabelledData data = problem(10, 3, 3, false, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SoftmaxObjective(data, -1))
                .getMessage().contains("l2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SoftmaxObjective(null, 0))
                .getMessage().contains("data"));
        SoftmaxObjective f = new SoftmaxObjective(data, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> f.evaluate(new double[5], null))
                .getMessage().contains("k*(d+1) = 12"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> f.evaluate(new double[12], new double[3]))
                .getMessage().contains("gradient"));
    }
}
