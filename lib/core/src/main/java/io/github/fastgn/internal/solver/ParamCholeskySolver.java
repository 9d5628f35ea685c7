package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Cholesky;

/**
 * Step by a direct solve in parameter space: the dense {@code P x P} curvature
 * ({@code P = K D}) plus {@code Lambda}, factored by Cholesky. For either curvature the matrix is
 * {@code sum_i C_i (x) x~_i x~_i^T} with a per-example {@code K x K} coefficient: FGN
 * {@code C_i = sw_i^2 u_i u_i^T}, full GGN {@code C_i = beta_i (diag p_i - p_i p_i^T)}. Block
 * {@code (c, c')} is the weighted Gram {@code X~^T diag(C_{:,c,c'}) X~}; blocks are built in
 * parallel, each by one task.
 *
 * <p>Cost {@code B P^2 / 2 + P^3 / 3}, memory {@code P^2}: for small heads ({@code P} up to a few
 * thousand) with many examples. With the full GGN this is damped Newton with an exact solve.
 */
public final class ParamCholeskySolver implements StepSolver {

    public static final String FGN_NAME = "fgn-param-cholesky";
    public static final String GGN_NAME = "ggn-param-cholesky";

    private final Curvature curvature;
    private double[] matrix = new double[0];
    private double[] coef = new double[0];

    public ParamCholeskySolver(Curvature curvature) {
        this.curvature = curvature;
    }

    @Override
    public String name() {
        return curvature == Curvature.FGN ? FGN_NAME : GGN_NAME;
    }

    /**
     * The capabilities of the solver with the given curvature: direct; it builds the {@code P x P}
     * matrix from dense feature rows, so it does not take sparse rows.
     */
    public static Capabilities capabilities(Curvature curvature) {
        return Capabilities.direct(curvature).denseRowsOnly();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities(curvature);
    }

    @Override
    public SolveReport solve(HeadBatch batch, Damping damping, double[] h, double[] s, double tolerance) {
        int b = batch.rows();
        int k = batch.classes();
        int d = batch.featureCount();
        int dd = d + 1;
        int p = k * dd;
        if ((long) p * p > Integer.MAX_VALUE - 8 || (long) b * k * k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name() + ": P = " + p + " parameters with B = " + b + " rows is too large"
                    + " for a dense P x P solve; use a CG solver");
        }
        if (matrix.length != p * p) {
            matrix = new double[p * p];
        }
        if (coef.length < b * k * k) {
            coef = new double[b * k * k];
        }
        fillCoefficients(batch, b, k);
        double[] x = batch.featureRows();
        int pairs = k * (k + 1) / 2;
        batch.parallel().forRange(pairs, b * dd * dd > (1 << 16) ? 1 : pairs, (lo, hi) -> {
            for (int pair = lo; pair < hi; pair++) {
                int c = (int) ((Math.sqrt(8.0 * pair + 1) - 1) / 2);
                int c2 = pair - c * (c + 1) / 2; // c2 <= c
                buildBlock(x, b, d, k, c, c2, p);
            }
        });
        double[] lam = damping.diagonal();
        for (int t = 0; t < p; t++) {
            matrix[t * p + t] += lam[t];
        }
        Cholesky.factor(matrix, p);
        for (int t = 0; t < p; t++) {
            s[t] = -h[t];
        }
        Cholesky.solve(matrix, p, s);
        return SolveReport.DIRECT;
    }

    /** {@code coef[i*K*K + c*K + c2] = C_i[c, c2]}. */
    private void fillCoefficients(HeadBatch batch, int b, int k) {
        double[] u = batch.marginGradients();
        double[] sw = batch.whitening();
        double[] pr = batch.probabilities();
        double[] beta = batch.exampleWeights();
        for (int i = 0; i < b; i++) {
            int o = i * k;
            int co = i * k * k;
            for (int c = 0; c < k; c++) {
                for (int c2 = 0; c2 < k; c2++) {
                    double v;
                    if (curvature == Curvature.FGN) {
                        v = sw[i] * sw[i] * u[o + c] * u[o + c2];
                    } else {
                        v = beta[i] * ((c == c2 ? pr[o + c] : 0.0) - pr[o + c] * pr[o + c2]);
                    }
                    coef[co + c * k + c2] = v;
                }
            }
        }
    }

    /** Lower-triangle part of block (c, c2), c2 <= c: rows c*D.., columns c2*D... */
    private void buildBlock(double[] x, int b, int d, int k, int c, int c2, int p) {
        int dd = d + 1;
        int r0 = c * dd;
        int q0 = c2 * dd;
        for (int j = 0; j < dd; j++) {
            int jEnd = c == c2 ? j + 1 : dd;
            java.util.Arrays.fill(matrix, (r0 + j) * p + q0, (r0 + j) * p + q0 + jEnd, 0.0);
        }
        for (int i = 0; i < b; i++) {
            double w = coef[i * k * k + c * k + c2];
            if (w == 0.0) {
                continue;
            }
            int xo = i * d;
            for (int j = 0; j < dd; j++) {
                double a = w * (j < d ? x[xo + j] : 1.0);
                if (a == 0.0) {
                    continue;
                }
                int row = (r0 + j) * p + q0;
                int jEnd = c == c2 ? j + 1 : dd;
                int lim = Math.min(jEnd, d);
                for (int j2 = 0; j2 < lim; j2++) {
                    matrix[row + j2] += a * x[xo + j2];
                }
                if (jEnd == dd) {
                    matrix[row + d] += a;
                }
            }
        }
    }
}
