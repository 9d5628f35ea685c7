package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Cholesky;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.LinearOperator;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * A block-diagonal, Kronecker-factored preconditioner for parameter-space CG: class {@code k}'s
 * block of the curvature, {@code sum_i beta_i g_ik x~_i x~_i^T}, is approximated by
 * {@code delta_k C} with the feature second moment {@code C = sum_i beta_i x~_i x~_i^T}
 * ({@code D x D}, bias included) and the class's mean curvature weight
 * {@code delta_k = sum_i beta_i g_ik} ({@code g_ik = p_ik (1 - p_ik)} for the full GGN,
 * {@code w_i u_ik^2} for FGN); each block {@code delta_k C + Lambda_k} is factored by Cholesky.
 *
 * <p>Why: on raw features (pixels) the curvature is dominated by feature correlations that the
 * Jacobi diagonal cannot see; CG on Fashion-MNIST pixels with Jacobi needs 80-100+ iterations per
 * step near the optimum. Cross-class coupling ({@code -p_ik p_il}) is left out, as in K-FAC's
 * block-diagonal form. {@code C} depends only on the features: it is computed once, from at most
 * {@value #MOMENT_ROWS} rows of the first batch, and reused for every later solve (a curvature
 * sample is a uniform draw of the same rows). Cost per solve: {@code K D^3 / 3} to factor,
 * {@code 2 K D^2} per application.
 */
final class ClassBlockPreconditioner implements LinearOperator {

    /** Rows the feature second moment is estimated from. */
    static final int MOMENT_ROWS = 2048;
    /** Relative change of a class's weight or damping that triggers refactoring its block. */
    static final double REFACTOR_CHANGE = 0.25;

    private final int d;
    private final int dd;
    private final int k;
    private double[] moment;
    /**
     * The factors {@code L_k} and their transposes, row-major, in float: applying the
     * preconditioner streams them once per CG iteration (49 MB in double for K = 10, D = 785,
     * which made it half of a CG iteration), and a preconditioner only needs to be fixed and
     * positive definite, not exact.
     */
    private final float[][] lower;
    private final float[][] upper;
    private final Parallel parallel;
    private final double[] delta;
    /** {@code delta_k} and the damping of class k when its block was last factored (NaN: never). */
    private final double[] factoredDelta;
    private final double[] factoredLam;

    ClassBlockPreconditioner(int d, int k, Parallel parallel) {
        this.parallel = parallel;
        this.d = d;
        this.dd = d + 1;
        this.k = k;
        this.lower = new float[k][dd * dd];
        this.upper = new float[k][dd * dd];
        this.delta = new double[k];
        this.factoredDelta = new double[k];
        this.factoredLam = new double[k * dd];
        java.util.Arrays.fill(factoredDelta, Double.NaN);
    }

    /** Whether factoring K blocks of D x D is affordable next to the CG it saves. */
    static boolean worthwhile(int d, int k) {
        double dd = d + 1.0;
        return dd <= 1536 && k * dd * dd * dd / 3 <= 3e9;
    }

    /** Factors the blocks for the batch's current point and the damping {@code lam} ({@code K x D}). */
    void prepare(HeadBatch batch, StepSolver.Curvature curvature, double[] lam) {
        if (moment == null) {
            moment = featureMoment(batch);
        }
        int rows = batch.rows();
        double[] beta = batch.exampleWeights();
        java.util.Arrays.fill(delta, 0.0);
        if (curvature == StepSolver.Curvature.FGN) {
            double[] sw = batch.whitening();
            double[] u = batch.marginGradients();
            for (int i = 0; i < rows; i++) {
                double w = sw[i] * sw[i];
                for (int c = 0; c < k; c++) {
                    delta[c] += w * u[i * k + c] * u[i * k + c];
                }
            }
        } else {
            double[] pr = batch.probabilities();
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < k; c++) {
                    double q = pr[i * k + c];
                    delta[c] += beta[i] * q * (1 - q);
                }
            }
        }
        // blocks are independent: splitting them over threads changes no result
        batch.parallel().forRange(k, 1, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                if (!stale(c, lam)) {
                    continue;
                }
                factoredDelta[c] = delta[c];
                System.arraycopy(lam, c * dd, factoredLam, c * dd, dd);
                // double work space only while factoring; what is kept is the float copies
                double[] block = new double[dd * dd];
                for (int t = 0; t < dd * dd; t++) {
                    block[t] = delta[c] * moment[t];
                }
                for (int j = 0; j < dd; j++) {
                    block[j * dd + j] += lam[c * dd + j];
                }
                Cholesky.factor(block, dd, Parallel.SERIAL);
                float[] lf = lower[c];
                float[] up = upper[c];
                for (int i = 0; i < dd; i++) {
                    for (int j = 0; j <= i; j++) {
                        lf[i * dd + j] = (float) block[i * dd + j];
                        up[j * dd + i] = lf[i * dd + j];
                    }
                }
            }
        });
    }

    /**
     * Whether class {@code c}'s factor is too old to precondition well: its weight moved by more
     * than {@value #REFACTOR_CHANGE} (relative), or a damping entry by more than that fraction of
     * the block's diagonal entry, since it was factored. Factoring
     * is {@code D^3/3} per class, a CG iteration {@code 4 B D} per class: refactoring only on
     * real change keeps the preconditioner a small share of a solve.
     */
    private boolean stale(int c, double[] lam) {
        if (!(Math.abs(delta[c] - factoredDelta[c]) <= REFACTOR_CHANGE * factoredDelta[c])) {
            return true;
        }
        // a damping change matters only against the block's own diagonal: the bias is damped by
        // lambda alone, which moves 3x a step, but its diagonal delta_k C_DD is usually far larger
        for (int j = 0; j < dd; j++) {
            double old = factoredLam[c * dd + j];
            double scale = old + factoredDelta[c] * moment[j * dd + j];
            if (Math.abs(lam[c * dd + j] - old) > REFACTOR_CHANGE * scale) {
                return true;
            }
        }
        return false;
    }

    /** {@code C = sum_i beta_i x~_i x~_i^T / sum beta} over the first rows of the batch. */
    private double[] featureMoment(HeadBatch batch) {
        int rows = Math.min(batch.rows(), MOMENT_ROWS);
        double[] x = batch.featureRows();
        double[] beta = batch.exampleWeights();
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += beta[i];
        }
        // X^T diag(beta) X~ as a transpose product with the d feature columns as "classes"
        double[] coef = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            double b = beta[i] / total;
            for (int j = 0; j < d; j++) {
                coef[i * d + j] = b * x[i * d + j];
            }
        }
        double[] top = new double[d * dd];
        HeadKernels.transposeProduct(coef, x, rows, d, d, top, batch.parallel());
        double[] c = new double[dd * dd];
        for (int j = 0; j < d; j++) {
            System.arraycopy(top, j * dd, c, j * dd, dd);
            c[d * dd + j] = top[j * dd + d];
        }
        c[d * dd + d] = 1.0;
        return c;
    }

    @Override
    public int dimension() {
        return k * dd;
    }

    @Override
    public void apply(double[] in, double[] out) {
        // classes are independent: splitting them over threads changes no result
        parallel.forRange(k, 1, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                System.arraycopy(in, c * dd, out, c * dd, dd);
                solve(c, out, c * dd);
            }
        });
    }

    /**
     * {@code L L^T x = b} in place on {@code b[o .. o + D)}, both passes as stride-1 axpys over
     * rows of {@code L^T} and of {@code L}.
     */
    private void solve(int c, double[] b, int o) {
        float[] up = upper[c];
        for (int j = 0; j < dd; j++) {
            int rj = j * dd;
            double yj = b[o + j] / up[rj + j];
            b[o + j] = yj;
            for (int i = j + 1; i < dd; i++) {
                b[o + i] -= yj * up[rj + i];
            }
        }
        float[] l = lower[c];
        for (int i = dd - 1; i >= 0; i--) {
            int ri = i * dd;
            double xi = b[o + i] / l[ri + i];
            b[o + i] = xi;
            for (int j = 0; j < i; j++) {
                b[o + j] -= xi * l[ri + j];
            }
        }
    }
}
