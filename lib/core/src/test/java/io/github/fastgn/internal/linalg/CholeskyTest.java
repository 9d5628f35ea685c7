package io.github.fastgn.internal.linalg;

import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Cholesky} against Commons Math's {@code CholeskyDecomposition}. */
class CholeskyTest extends QuietTestBase {

    /** A random SPD matrix {@code M M^T / n + shift I}. */
    static double[][] randomSpd(Random rnd, int n, double shift) {
        double[][] m = new double[n][n];
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < n; t++) {
                    s += m[i][t] * m[j][t];
                }
                a[i][j] = s / n + (i == j ? shift : 0);
            }
        }
        return a;
    }

    static double[] flatten(double[][] a) {
        int n = a.length;
        double[] f = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, f, i * n, n);
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 40, 121})
    void factorAndSolveMatchCommonsMath(int n) {
        Random rnd = new Random(1000 + n);
        double[][] a = randomSpd(rnd, n, 0.1);
        double[] f = flatten(a);
        // poison the strict upper triangle: factor must never read it
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                f[i * n + j] = Double.NaN;
            }
        }
        Cholesky.factor(f, n);
        RealMatrix lRef = new CholeskyDecomposition(new Array2DRowRealMatrix(a)).getL();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                assertEquals(lRef.getEntry(i, j), f[i * n + j], 1e-12 * Math.max(1, Math.abs(lRef.getEntry(i, j))),
                        "L[" + i + "][" + j + "]");
            }
            for (int j = i + 1; j < n; j++) {
                assertTrue(Double.isNaN(f[i * n + j]), "the strict upper triangle must be left untouched");
            }
        }
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = rnd.nextGaussian();
        }
        double[] xRef = new CholeskyDecomposition(new Array2DRowRealMatrix(a)).getSolver()
                .solve(new ArrayRealVector(b)).toArray();
        double[] x = b.clone();
        Cholesky.solve(f, n, x);
        Check.close(xRef, x, 1e-10, "L L^T x = b");
        // residual check independent of Commons Math
        double[] res = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a[i][j] * x[j];
            }
            res[i] = s - b[i];
        }
        assertTrue(Check.norm(res) <= 1e-11 * Check.norm(b), "residual " + Check.norm(res));
    }

    @Test
    void indefiniteMatrixIsRejectedWithItsPivot() {
        double[] a = {4, 0, 0, 2, 1, 0, 0, 0, -1};
        Cholesky.NotPositiveDefiniteException e = assertThrows(Cholesky.NotPositiveDefiniteException.class,
                () -> Cholesky.factor(a, 3));
        assertTrue(e.getMessage().contains("not positive definite") && e.getMessage().contains("row 1"),
                e.getMessage());
        double[] singular = {1, 0, 1, 0};
        assertThrows(Cholesky.NotPositiveDefiniteException.class, () -> Cholesky.factor(singular, 2));
        double[] nan = {Double.NaN};
        assertThrows(Cholesky.NotPositiveDefiniteException.class, () -> Cholesky.factor(nan, 1));
    }
}
