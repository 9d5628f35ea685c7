package io.github.fastgn.internal.linalg;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * The eigendecomposition of a small dense symmetric matrix, by Commons Math's
 * {@link EigenDecomposition} (tridiagonalisation and implicit QL: deterministic). For the
 * {@code K x K} class curvature of the coupled class-block preconditioner, where {@code K^3} is
 * small next to a step's products; the numerical packages use Commons Math only through
 * {@code internal.linalg}.
 */
public final class SymmetricEigen {

    private SymmetricEigen() {
    }

    /**
     * Decomposes the symmetric {@code n x n} matrix {@code a} (row-major; only read) as
     * {@code Q diag(values) Q^T}.
     *
     * @param vectors receives {@code Q} row-major: column {@code j}, {@code vectors[c n + j]}, is
     *                the unit eigenvector of {@code values[j]}
     * @return the eigenvalues, in Commons Math's order (descending)
     */
    public static double[] decompose(double[] a, int n, double[] vectors) {
        double[][] m = new double[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(a, r * n, m[r], 0, n);
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(m, false));
        double[] values = eigen.getRealEigenvalues();
        for (int j = 0; j < n; j++) {
            double[] v = eigen.getEigenvector(j).toArray();
            for (int c = 0; c < n; c++) {
                vectors[c * n + j] = v[c];
            }
        }
        return values;
    }
}
