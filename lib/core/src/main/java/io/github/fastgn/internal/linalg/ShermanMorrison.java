package io.github.fastgn.internal.linalg;

/**
 * The Sherman-Morrison update of a symmetric inverse: given {@code S^-1}, overwrite it with
 * {@code (S + c u u^T)^-1 = S^-1 - c (S^-1 u)(S^-1 u)^T / (1 + c u^T S^-1 u)} in {@code O(q^2)}
 * (ALGORITHM.md §6). Commons Math has no rank-one inverse update, hence this kernel.
 */
public final class ShermanMorrison {

    private ShermanMorrison() {
    }

    /**
     * Replaces {@code inverse} ({@code q x q}, row-major, symmetric) by the inverse of
     * {@code S + c u u^T}. Nothing changes when {@code c == 0}.
     *
     * @param work scratch of length at least {@code q}
     * @return the denominator {@code 1 + c u^T S^-1 u}
     * @throws ArithmeticException if the denominator is not positive and finite (the updated
     *                             matrix would not be positive definite)
     */
    public static double update(double[] inverse, int q, double[] u, double c, double[] work) {
        if (c == 0) {
            return 1;
        }
        multiply(inverse, q, u, work);
        double quad = 0;
        for (int i = 0; i < q; i++) {
            quad += u[i] * work[i];
        }
        double denominator = 1 + c * quad;
        if (!(denominator > 0) || !Double.isFinite(denominator)) {
            throw new ArithmeticException("Sherman-Morrison update with c = " + c + " and u^T S^-1 u = " + quad
                    + " leaves the matrix indefinite");
        }
        double scale = c / denominator;
        for (int i = 0; i < q; i++) {
            double wi = scale * work[i];
            int row = i * q;
            for (int j = 0; j < q; j++) {
                inverse[row + j] -= wi * work[j];
            }
        }
        return denominator;
    }

    /** {@code out = M v} for a row-major {@code q x q} matrix. */
    public static void multiply(double[] m, int q, double[] v, double[] out) {
        for (int i = 0; i < q; i++) {
            double s = 0;
            int row = i * q;
            for (int j = 0; j < q; j++) {
                s += m[row + j] * v[j];
            }
            out[i] = s;
        }
    }

    /** The {@code q x q} identity, row-major. */
    public static double[] identity(int q) {
        double[] m = new double[q * q];
        for (int i = 0; i < q; i++) {
            m[i * q + i] = 1;
        }
        return m;
    }
}
