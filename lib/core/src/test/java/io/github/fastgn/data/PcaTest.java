package io.github.fastgn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.fastgn.internal.linalg.Parallel;
import org.junit.jupiter.api.Test;

class PcaTest {

    /** {@code n x d} correlated, non-centred data: {@code x = 3 + z A} with a random {@code r x d} mixing A. */
    private static double[] correlated(int n, int d, int r, long seed) {
        SeededNormal rng = new SeededNormal(seed);
        double[] a = new double[r * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.next() * (1 + i % 3);
        }
        double[] x = new double[n * d];
        double[] z = new double[r];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < r; t++) {
                z[t] = rng.next();
            }
            for (int j = 0; j < d; j++) {
                double s = 3.0;
                for (int t = 0; t < r; t++) {
                    s += z[t] * a[t * d + j];
                }
                x[i * d + j] = s;
            }
        }
        return x;
    }

    /** Brute-force population covariance, {@code d x d}. */
    private static double[][] covariance(double[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j] / n;
            }
        }
        double[][] c = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
                }
                c[a][b] = s / n;
            }
        }
        return c;
    }

    @Test
    void whitenedOutputHasIdentityCovariance() {
        int n = 400;
        int d = 10;
        int k = 6;
        double[] x = correlated(n, d, d, 1);
        Pca pca = Pca.fit(x, n, d, k, true);
        double[][] c = covariance(pca.transform(x, n), n, k);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                assertEquals(a == b ? 1.0 : 0.0, c[a][b], 1e-8, "cov[" + a + "][" + b + "]");
            }
        }
    }

    @Test
    void componentsAreOrthonormalEigenvectorsOfTheCovariance() {
        int n = 300;
        int d = 8;
        double[] x = correlated(n, d, d, 2);
        Pca pca = Pca.fit(x, n, d, d, false);
        double[] v = pca.components();
        double[] lambda = pca.variances();
        double[][] c = covariance(x, n, d);
        double scale = lambda[0];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += v[a * d + j] * v[b * d + j];
                }
                assertEquals(a == b ? 1.0 : 0.0, dot, 1e-12);
            }
            // C v = lambda v against the brute-force covariance
            for (int i = 0; i < d; i++) {
                double cv = 0;
                for (int j = 0; j < d; j++) {
                    cv += c[i][j] * v[a * d + j];
                }
                assertEquals(lambda[a] * v[a * d + i], cv, 1e-10 * scale);
            }
            if (a > 0) {
                assertTrue(lambda[a] <= lambda[a - 1], "variances decrease");
            }
        }
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += c[j][j];
        }
        double sum = 0;
        for (double l : lambda) {
            sum += l;
        }
        assertEquals(trace, sum, 1e-10 * trace);
        assertEquals(1.0, pca.explainedFraction(), 1e-12);
        double[] mean = pca.mean();
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += x[i * d + j] / n;
            }
            assertEquals(m, mean[j], 1e-12);
        }
    }

    @Test
    void unwhitenedProjectionHasTheEigenvaluesAsVariances() {
        int n = 250;
        int d = 7;
        double[] x = correlated(n, d, d, 3);
        Pca pca = Pca.fit(x, n, d, 4, false);
        assertFalse(pca.whitened());
        double[][] c = covariance(pca.transform(x, n), n, 4);
        double[] lambda = pca.variances();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                assertEquals(a == b ? lambda[a] : 0.0, c[a][b], 1e-9 * lambda[0]);
            }
        }
        assertTrue(pca.explainedFraction() > 0 && pca.explainedFraction() < 1);
    }

    @Test
    void signConventionMakesTheLargestEntryPositive() {
        double[] x = correlated(200, 6, 6, 4);
        Pca pca = Pca.fit(x, 200, 6, 6, false);
        double[] v = pca.components();
        for (int c = 0; c < 6; c++) {
            int arg = 0;
            for (int j = 1; j < 6; j++) {
                if (Math.abs(v[c * 6 + j]) > Math.abs(v[c * 6 + arg])) {
                    arg = j;
                }
            }
            assertTrue(v[c * 6 + arg] > 0);
        }
    }

    @Test
    void deterministicAndIndependentOfThreads() {
        int n = 600;
        int d = 40;
        double[] x = correlated(n, d, d, 5);
        Parallel four = Parallel.withThreads(4);
        try {
            Pca serial = Pca.fit(x, n, d, 10, true, Parallel.SERIAL);
            Pca parallel = Pca.fit(x, n, d, 10, true, four);
            assertArrayEquals(serial.components(), parallel.components(), 0.0);
            assertArrayEquals(serial.variances(), parallel.variances(), 0.0);
            assertArrayEquals(serial.transform(x, n), Pca.fit(x, n, d, 10, true).transform(x, n), 0.0);
        } finally {
            four.close();
        }
    }

    @Test
    void transformsLabelledDataAndNewRows() {
        int n = 100;
        double[] x = correlated(n, 5, 5, 6);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        LabelledData data = new LabelledData(x, y, null, n, 5, 3);
        Pca pca = Pca.fit(data, 2, true);
        LabelledData z = pca.transform(data);
        assertEquals(2, z.featureCount());
        assertEquals(3, z.classCount());
        assertArrayEquals(y, z.labels());
        // a new row maps with the training mean and components
        double[] row = {1, 2, 3, 4, 5};
        double[] v = pca.components();
        double[] mean = pca.mean();
        double[] out = pca.transform(row, 1);
        for (int c = 0; c < 2; c++) {
            double s = 0;
            for (int j = 0; j < 5; j++) {
                s += (row[j] - mean[j]) * v[c * 5 + j];
            }
            assertEquals(s / Math.sqrt(pca.variances()[c]), out[c], 1e-12);
        }
    }

    @Test
    void whiteningBeyondTheRankIsRejected() {
        int n = 200;
        int d = 6;
        double[] x = correlated(n, d, 3, 7); // rank 3
        Pca.fit(x, n, d, 3, true);
        Pca.fit(x, n, d, 5, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, n, d, 4, true));
        assertTrue(e.getMessage().contains("component 3") && e.getMessage().contains("at most 3 components"),
                e.getMessage());
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> Pca.fit(x, n, d, 7, false));
        assertTrue(k.getMessage().contains("[1, d = 6]"), k.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> Pca.fit(x, n, d, 2, false).transform(new double[5], 1));
        assertTrue(t.getMessage().contains("fitted on 6 features"), t.getMessage());
    }
}
