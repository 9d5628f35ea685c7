package io.github.fastgn.linalg;

/**
 * In-place Cholesky factorisation {@code M = L L^T} of a symmetric positive-definite matrix held
 * row-major in a flat array, and the triangular solves that use it.
 *
 * <p>Written by hand instead of Commons Math's {@code CholeskyDecomposition} because the row
 * systems are rebuilt every iteration: Commons Math copies into {@code double[][]}, allocates a
 * new factor per call and checks symmetry entry by entry. This inner-product (Cholesky-Crout)
 * form reads two contiguous row prefixes per entry and allocates nothing
 * ({@code CholeskyBenchmark} in the benchmarks module measures the two).
 */
public final class Cholesky {

    private Cholesky() {
    }

    /**
     * Overwrites the lower triangle of {@code a} ({@code n x n}, row-major) with {@code L}; the
     * strict upper triangle is left untouched and never read.
     *
     * @throws NotPositiveDefiniteException if a pivot is not positive (the matrix is not SPD to
     *                                      working precision)
     */
    public static void factor(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                int rj = j * n;
                double s = a[ri + j];
                double s1 = 0;
                int k = 0;
                for (; k + 1 < j; k += 2) {
                    s -= a[ri + k] * a[rj + k];
                    s1 -= a[ri + k + 1] * a[rj + k + 1];
                }
                for (; k < j; k++) {
                    s -= a[ri + k] * a[rj + k];
                }
                s += s1;
                if (j < i) {
                    a[ri + j] = s / a[rj + j];
                } else {
                    if (!(s > 0.0)) {
                        throw new NotPositiveDefiniteException(i, s);
                    }
                    a[ri + i] = Math.sqrt(s);
                }
            }
        }
    }

    /** Solves {@code L L^T x = b} in place ({@code b} becomes {@code x}) with a factor from {@link #factor}. */
    public static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[ri + k] * b[k];
            }
            b[i] = s / l[ri + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k * n + i] * b[k];
            }
            b[i] = s / l[i * n + i];
        }
    }

    /** Thrown when a matrix that should be symmetric positive definite is not. */
    public static final class NotPositiveDefiniteException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        NotPositiveDefiniteException(int row, double pivot) {
            super("matrix is not positive definite: pivot " + pivot + " at row " + row);
        }
    }
}
