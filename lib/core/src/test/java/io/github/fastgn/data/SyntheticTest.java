package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

class SyntheticTest {

    /** Nearest class mean of each row. */
    private static int[] nearestMean(LabelledData data, Synthetic.Mixture m) {
        int d = m.d();
        int[] out = new int[data.size()];
        for (int i = 0; i < data.size(); i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < m.k(); c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double t = data.features()[i * d + j] - m.means()[c * d + j];
                    s += t * t;
                }
                if (s < best) {
                    best = s;
                    out[i] = c;
                }
            }
        }
        return out;
    }

    @Test
    void deterministicForASeedAndDifferentForAnother() {
        LabelledData a = Synthetic.gaussianPrototypes(200, 6, 5, 1.0, 7);
        LabelledData b = Synthetic.gaussianPrototypes(200, 6, 5, 1.0, 7);
        LabelledData c = Synthetic.gaussianPrototypes(200, 6, 5, 1.0, 8);
        assertArrayEquals(a.features(), b.features(), 0.0);
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.features(), c.features()));
        assertFalse(Arrays.equals(a.labels(), c.labels()));
        LabelledData s1 = Synthetic.superclassPrototypes(100, 4, 6, 2, 0.3, 1.0, 3);
        LabelledData s2 = Synthetic.superclassPrototypes(100, 4, 6, 2, 0.3, 1.0, 3);
        LabelledData s3 = Synthetic.superclassPrototypes(100, 4, 6, 2, 0.3, 1.0, 4);
        assertArrayEquals(s1.features(), s2.features(), 0.0);
        assertFalse(Arrays.equals(s1.features(), s3.features()));
        Synthetic.Mechanism m1 = Synthetic.mechanismLogits(8, 4, 10, 1.0, 0.5, 1);
        Synthetic.Mechanism m2 = Synthetic.mechanismLogits(8, 4, 10, 1.0, 0.5, 1);
        Synthetic.Mechanism m3 = Synthetic.mechanismLogits(8, 4, 10, 1.0, 0.5, 2);
        assertArrayEquals(m1.wt(), m2.wt(), 0.0);
        assertFalse(Arrays.equals(m1.z(), m3.z()));
    }

    @Test
    void balancedLabelsAreExactlyBalanced() {
        LabelledData data = Synthetic.gaussianPrototypes(1000, 3, 7, 1.0, Synthetic.LabelDraw.BALANCED, 1);
        for (int count : data.classCounts()) {
            assertTrue(count == 142 || count == 143, "count " + count);
        }
        assertEquals(1000, Arrays.stream(data.classCounts()).sum());
        // shuffled, not in blocks or cycles
        assertFalse(data.labels()[0] == 0 && data.labels()[1] == 1 && data.labels()[2] == 2);
    }

    @Test
    void uniformLabelsAreRoughlyBalanced() {
        LabelledData data = Synthetic.gaussianPrototypes(20_000, 2, 10, 1.0, 2);
        double chi2 = 0;
        for (int count : data.classCounts()) {
            chi2 += (count - 2000.0) * (count - 2000.0) / 2000.0;
        }
        assertTrue(chi2 < 30, "chi-square " + chi2 + " with 9 degrees of freedom"); // p < 1e-3 beyond 27.9
    }

    @Test
    void prototypesAndNoiseHaveTheRequestedScale() {
        double sigma = 2.5;
        Synthetic.Mixture m = Synthetic.prototypes(200, 50, sigma, 3);
        double[] mu = m.means();
        double mean = Arrays.stream(mu).average().orElseThrow();
        double var = Arrays.stream(mu).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        assertEquals(0.0, mean, 0.03); // standard error 0.01
        assertEquals(1.0, var, 0.05); // standard error 0.014
        LabelledData data = m.sample(4000, Synthetic.LabelDraw.UNIFORM, 4);
        double ss = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int j = 0; j < 50; j++) {
                double r = data.features()[i * 50 + j] - mu[data.labels()[i] * 50 + j];
                ss += r * r;
            }
        }
        double within = Math.sqrt(ss / (4000.0 * 50));
        assertEquals(sigma, within, 0.01 * sigma); // relative standard error 0.0016
    }

    @Test
    void splitSharesThePrototypesAndContinuesTheStream() {
        Splits.Split s = Synthetic.gaussianPrototypeSplit(300, 100, 8, 4, 0.7, Synthetic.LabelDraw.UNIFORM, 5);
        LabelledData alone = Synthetic.gaussianPrototypes(300, 8, 4, 0.7, 5);
        assertArrayEquals(alone.features(), s.train().features(), 0.0);
        assertArrayEquals(alone.labels(), s.train().labels());
        assertEquals(100, s.test().size());
        // with sigma = 0 every example is its class mean, so train and test share the means
        Splits.Split exact = Synthetic.gaussianPrototypeSplit(50, 50, 8, 4, 0.0, Synthetic.LabelDraw.BALANCED, 6);
        double[][] means = new double[4][];
        for (LabelledData part : new LabelledData[] {exact.train(), exact.test()}) {
            for (int i = 0; i < part.size(); i++) {
                double[] row = Arrays.copyOfRange(part.features(), i * 8, i * 8 + 8);
                int y = part.labels()[i];
                if (means[y] == null) {
                    means[y] = row;
                }
                assertArrayEquals(means[y], row, 0.0);
            }
        }
        Splits.Split sc = Synthetic.superclassPrototypeSplit(40, 40, 3, 8, 2, 0.5, 0.0, 6);
        assertArrayEquals(new int[] {5, 5, 5, 5, 5, 5, 5, 5}, sc.test().classCounts());
    }

    @Test
    void peersSynRecipeHasNearestPrototypeAccuracyNear097() {
        // the peers' syn set: K = 1000, d = 256, sigma = 3 ("nearest-prototype (Bayes) accuracy ~0.97")
        Synthetic.Mixture m = Synthetic.prototypes(1000, 256, 3.0, 12345);
        LabelledData test = m.sample(1000, Synthetic.LabelDraw.UNIFORM, 1);
        int[] pred = nearestMean(test, m);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            correct += pred[i] == test.labels()[i] ? 1 : 0;
        }
        double accuracy = correct / 1000.0;
        assertTrue(accuracy > 0.94 && accuracy < 0.99, "accuracy " + accuracy);
    }

    @Test
    void superclassGroupsAreContiguousBlocks() {
        Synthetic.Mixture m = Synthetic.superclassPrototypes(10, 5, 3, 0.1, 1.0, 1);
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 2, 2, 2}, m.groups());
        assertEquals(3, m.groupCount());
        Synthetic.Mixture iso = Synthetic.prototypes(10, 5, 1.0, 1);
        assertEquals(1, iso.groupCount());
    }

    @Test
    void superclassSpreadControlsTheDistancesBetweenMeans() {
        int d = 200;
        double spread = 0.3;
        Synthetic.Mixture m = Synthetic.superclassPrototypes(40, d, 4, spread, 1.0, 2);
        double within = 0;
        double between = 0;
        int nw = 0;
        int nb = 0;
        for (int a = 0; a < 40; a++) {
            for (int b = a + 1; b < 40; b++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double t = m.means()[a * d + j] - m.means()[b * d + j];
                    s += t * t;
                }
                if (m.groups()[a] == m.groups()[b]) {
                    within += s;
                    nw++;
                } else {
                    between += s;
                    nb++;
                }
            }
        }
        // E|mu_a - mu_b|^2 = 2 d spread^2 within a group, 2 d (1 + spread^2) across groups
        assertEquals(2 * d * spread * spread, within / nw, 0.1 * 2 * d * spread * spread);
        assertEquals(2 * d * (1 + spread * spread), between / nb, 0.15 * 2 * d * (1 + spread * spread));
    }

    /** Fraction of the nearest-mean errors that stay inside the true class's group. */
    private static double withinGroupErrorFraction(double spread, double sigma) {
        Synthetic.Mixture m = Synthetic.superclassPrototypes(50, 32, 5, spread, sigma, 9);
        LabelledData data = m.sample(3000, Synthetic.LabelDraw.BALANCED, 10);
        int[] pred = nearestMean(data, m);
        int errors = 0;
        int within = 0;
        for (int i = 0; i < data.size(); i++) {
            if (pred[i] != data.labels()[i]) {
                errors++;
                within += m.groups()[pred[i]] == m.groups()[data.labels()[i]] ? 1 : 0;
            }
        }
        assertTrue(errors > 100, "too few errors to measure: " + errors);
        return within / (double) errors;
    }

    @Test
    void smallSpreadConcentratesConfusionsInsideGroups() {
        // 9 of the 49 competitors share the group: a uniform spread of errors puts 18% inside it
        double concentrated = withinGroupErrorFraction(0.3, 1.0);
        double dispersed = withinGroupErrorFraction(3.0, 8.0);
        assertTrue(concentrated > 0.9, "within-group error fraction " + concentrated);
        assertTrue(dispersed < 0.4, "within-group error fraction " + dispersed);
    }

    @Test
    void mechanismRealisesTheLogitsExactly() {
        for (int[] shape : new int[][] {{20, 10, 64}, {64, 3, 64}, {30, 100, 40}}) {
            int b = shape[0];
            int k = shape[1];
            int dd = shape[2];
            for (double tau : new double[] {0.0, 1.0, 8.0}) {
                for (double py : new double[] {0.1, 0.5, 0.9}) {
                    Synthetic.Mechanism m = Synthetic.mechanismLogits(b, k, dd, tau, py, 11);
                    assertEquals(b, m.n());
                    assertEquals(dd - 1, m.d());
                    assertEquals(k, m.k());
                    assertEquals(k * dd, m.wt().length);
                    double[] fit = Synthetic.logits(m.x(), b, m.d(), m.wt(), k);
                    for (int i = 0; i < b * k; i++) {
                        assertEquals(m.z()[i], fit[i], 1e-9, "logit " + i);
                    }
                    for (int i = 0; i < b; i++) {
                        assertEquals(py, softmax(m.z(), i, k)[m.y()[i]], 1e-13);
                        assertEquals(py, softmax(fit, i, k)[m.y()[i]], 1e-9);
                    }
                    LabelledData data = m.data();
                    assertEquals(dd - 1, data.featureCount());
                }
            }
        }
    }

    private static double[] softmax(double[] z, int row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[row * k + c]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(z[row * k + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= sum;
        }
        return p;
    }

    @Test
    void mechanismHeadIsTheMinimumNormSolution() {
        int b = 12;
        int k = 5;
        int dd = 20;
        Synthetic.Mechanism m = Synthetic.mechanismLogits(b, k, dd, 2.0, 0.5, 3);
        int d = dd - 1;
        double[][] xt = new double[b][dd];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < d; t++) {
                xt[i][t] = m.x()[i * d + t];
            }
            xt[i][d] = 1.0;
        }
        RealMatrix xtil = new Array2DRowRealMatrix(xt);
        RealMatrix z = new Array2DRowRealMatrix(b, k);
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                z.setEntry(i, c, m.z()[i * k + c]);
            }
        }
        // Wt = Z^T (X~ X~^T)^{-1} X~ by an independent LU solve
        RealMatrix expected = new LUDecomposition(xtil.multiply(xtil.transpose())).getSolver().solve(z)
                .transpose().multiply(xtil);
        for (int c = 0; c < k; c++) {
            for (int t = 0; t < dd; t++) {
                assertEquals(expected.getEntry(c, t), m.wt()[c * dd + t], 1e-9);
            }
        }
    }

    @Test
    void mechanismStatistics() {
        int b = 200;
        int k = 50;
        Synthetic.Mechanism one = Synthetic.mechanismLogits(b, k, 256, 1.0, 0.5, 4);
        Synthetic.Mechanism two = Synthetic.mechanismLogits(b, k, 256, 2.0, 0.9, 4);
        Synthetic.Mechanism flat = Synthetic.mechanismLogits(b, k, 256, 0.0, 0.1, 4);
        assertArrayEquals(one.y(), two.y());
        assertArrayEquals(one.x(), two.x(), 0.0);
        double ss = 0;
        for (int i = 0; i < b; i++) {
            for (int c = 0; c < k; c++) {
                if (c == one.y()[i]) {
                    continue;
                }
                // same normals, scaled by tau; tau = 0 gives equal competitors
                assertEquals(2 * one.z()[i * k + c], two.z()[i * k + c], 1e-12);
                assertEquals(0.0, flat.z()[i * k + c], 0.0);
                ss += one.z()[i * k + c] * one.z()[i * k + c];
            }
            // tau = 0: z_y = log(p/(1-p)) + log(K-1)
            assertEquals(Math.log(0.1 / 0.9) + Math.log(k - 1), flat.z()[i * k + flat.y()[i]], 1e-12);
        }
        assertEquals(1.0, Math.sqrt(ss / (b * (k - 1))), 0.03);
        double sx = 0;
        for (double v : one.x()) {
            sx += v * v;
        }
        assertEquals(1.0 / Math.sqrt(256), Math.sqrt(sx / one.x().length), 0.01 / Math.sqrt(256));
    }

    @Test
    void invalidArgumentsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Synthetic.mechanismLogits(11, 3, 10, 1.0, 0.5, 1));
        assertTrue(e.getMessage().contains("B must lie in [1, D = 10]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Synthetic.mechanismLogits(5, 3, 10, 1.0, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.mechanismLogits(5, 1, 10, 1.0, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.mechanismLogits(5, 3, 10, -1.0, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.gaussianPrototypes(10, 2, 1, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.gaussianPrototypes(10, 2, 3, -1.0, 1));
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> Synthetic.superclassPrototypes(10, 2, 4, 5, 0.1, 1.0, 1));
        assertTrue(g.getMessage().contains("groups must lie in [1, K = 4]"), g.getMessage());
    }
}
