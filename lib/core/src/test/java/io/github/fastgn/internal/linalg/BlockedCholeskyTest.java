package io.github.fastgn.internal.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/** The blocked Cholesky against Commons Math, on both kernel paths and several thread counts. */
class BlockedCholeskyTest {

    /** A random SPD matrix {@code G G^T / m + 0.1 I}, row-major, with NaN in the strict upper triangle. */
    static double[] spd(int n, long seed, double[][] full) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int m = n + 3;
        double[] g = new double[n * m];
        for (int t = 0; t < g.length; t++) {
            g[t] = rnd.nextDouble() * 2 - 1;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l <= i; l++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += g[i * m + j] * g[l * m + j];
                }
                s /= m;
                if (i == l) {
                    s += 0.1;
                }
                a[i * n + l] = s;
                full[i][l] = s;
                full[l][i] = s;
            }
            for (int l = i + 1; l < n; l++) {
                a[i * n + l] = Double.NaN;
            }
        }
        return a;
    }

    @Test
    void factorMatchesCommonsMathOnBothPathsAndIsThreadIndependent() {
        // unblocked (< 192), exactly one panel width past the threshold, ragged last panels
        int[] sizes = {1, 2, 17, 191, 192, 250, 389};
        Parallel two = Parallel.withThreads(2);
        Parallel three = Parallel.withThreads(3);
        try {
            for (int n : sizes) {
                double[][] full = new double[n][n];
                double[] a = spd(n, n, full);
                RealMatrix reference = new CholeskyDecomposition(new Array2DRowRealMatrix(full, false), 1e-14, 1e-14).getL();
                double[] scalarL = null;
                for (Kernels path : KernelsTest.paths()) {
                    double[] one = a.clone();
                    Cholesky.factor(one, n, Parallel.SERIAL, path);
                    for (int i = 0; i < n; i++) {
                        for (int l = 0; l <= i; l++) {
                            double expected = reference.getEntry(i, l);
                            double tol = 1e-11 * Math.sqrt(full[i][i] * full[l][l]) + 1e-300;
                            if (!(Math.abs(one[i * n + l] - expected) <= tol)) {
                                fail(path.name() + " n=" + n + " L[" + i + "][" + l + "] = " + one[i * n + l]
                                        + ", Commons Math " + expected);
                            }
                        }
                        for (int l = i + 1; l < n; l++) {
                            assertTrue(Double.isNaN(one[i * n + l]), "strict upper triangle untouched");
                        }
                    }
                    for (Parallel par : new Parallel[] {two, three}) {
                        double[] many = a.clone();
                        Cholesky.factor(many, n, par, path, 0L);
                        assertArrayEquals(one, many, 0.0, path.name() + " n=" + n + " on " + par.threads() + " threads");
                    }
                    if (scalarL != null) {
                        for (int t = 0; t < one.length; t++) {
                            if (!Double.isNaN(one[t])) {
                                assertEquals(scalarL[t], one[t], 1e-12 * Math.abs(scalarL[t]) + 1e-13, "vector vs scalar");
                            }
                        }
                    }
                    scalarL = one;
                }
                // the public entry point (default threads) gives the selected path's result
                double[] viaFacade = a.clone();
                Cholesky.factor(viaFacade, n);
                double[] selected = a.clone();
                Cholesky.factor(selected, n, Parallel.SERIAL, KernelProvider.get());
                assertArrayEquals(selected, viaFacade, 0.0);
            }
        } finally {
            two.close();
            three.close();
        }
    }

    @Test
    void solveInvertsTheFactoredMatrix() {
        for (int n : new int[] {1, 9, 300}) {
            double[][] full = new double[n][n];
            double[] a = spd(n, 100 + n, full);
            Cholesky.factor(a, n);
            double[] x = new double[n];
            SplittableRandom rnd = new SplittableRandom(n);
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextDouble() - 0.5;
            }
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                for (int l = 0; l < n; l++) {
                    b[i] += full[i][l] * x[l];
                }
            }
            Cholesky.solve(a, n, b);
            assertArrayEquals(x, b, 1e-9);
        }
    }

    @Test
    void indefiniteMatrixThrows() {
        for (int n : new int[] {3, 250}) {
            double[][] full = new double[n][n];
            double[] a = spd(n, 7, full);
            // a negative pivot in the second panel (or the last row of the small case)
            int bad = Math.min(n - 1, 200);
            a[bad * n + bad] = -1.0;
            for (Kernels path : KernelsTest.paths()) {
                double[] copy = a.clone();
                Cholesky.NotPositiveDefiniteException e = assertThrows(Cholesky.NotPositiveDefiniteException.class,
                        () -> Cholesky.factor(copy, n, Parallel.SERIAL, path));
                assertTrue(e.getMessage().contains("row " + bad), e.getMessage());
            }
        }
    }
}
