package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.ConjugateGradient;
import io.github.fastgn.internal.linalg.LinearOperator;

/**
 * FGN step by matrix-free CG on the {@code B x B} whitened row system (ALGORITHM.md §1 and §3).
 *
 * <p>Solves {@code (I + A Lambda^-1 A^T) v = A Lambda^-1 h} with one VJP and one JVP of the
 * whitened margin map per iteration, then {@code s = -Lambda^-1 h + Lambda^-1 A^T v}. The
 * parameter-space residual of that {@code s} is exactly {@code -A^T res} for the row residual
 * {@code res}, so CG stops on {@code ||A^T res|| <= eta ||h||} (one VJP, checked every
 * {@value #CHECK_EVERY} iterations), never on the row residual, which a single misclassified
 * example can dominate. Jacobi preconditioner
 * {@code 1 + sw_i^2 sum_k u_ik^2 sum_j x~_ij^2 / Lambda_kj}. Zero start: the row system changes
 * with every batch. Iterations: at most {@code min(B, maxIterations)} (exact in B steps).
 *
 * <p>Cost per iteration {@code 4 B K D}; memory {@code O(B + K D)}.
 */
public final class FgnRowCgSolver implements StepSolver {

    public static final String NAME = "fgn-row-cg";
    static final int CHECK_EVERY = 5;

    private final int maxIterations;
    private final ConjugateGradient cg = new ConjugateGradient();
    private double[] scaled = new double[0];
    private double[] param = new double[0];
    private double[] rhs = new double[0];
    private double[] v = new double[0];
    private double[] precond = new double[0];
    private double[] logitDiag = new double[0];

    /** @param maxIterations the CG iteration cap (the solve also stops at {@code B}; ALGORITHM.md §2, row CG) */
    public FgnRowCgSolver(int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be at least 1, got " + maxIterations);
        }
        this.maxIterations = maxIterations;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What every instance of this solver declares; {@link Solvers#capabilities(String)} answers the same. */
    public static final Capabilities CAPABILITIES = Capabilities.iterative(Curvature.FGN, false);

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public SolveReport solve(HeadBatch batch, Damping damping, double[] h, double[] s, double tolerance) {
        int b = batch.rows();
        int k = batch.classes();
        int d = batch.featureCount();
        int p = k * (d + 1);
        ensure(b, k, p);
        double[] inv = damping.inverse();
        for (int t = 0; t < p; t++) {
            scaled[t] = inv[t] * h[t];
        }
        batch.jvp(scaled, rhs);
        // Jacobi: diag(A Lambda^-1 A^T)_i = sw_i^2 sum_k u_ik^2 (sum_j x~_ij^2 / Lambda_kj)
        batch.squaredRowProduct(inv, logitDiag);
        double[] u = batch.marginGradients();
        double[] sw = batch.whitening();
        for (int i = 0; i < b; i++) {
            double t = 0;
            for (int c = 0; c < k; c++) {
                t += u[i * k + c] * u[i * k + c] * logitDiag[i * k + c];
            }
            precond[i] = 1.0 / (1.0 + sw[i] * sw[i] * t);
        }
        LinearOperator m = new LinearOperator() {
            @Override
            public int dimension() {
                return b;
            }

            @Override
            public void apply(double[] in, double[] out) {
                batch.vjp(in, param);
                for (int t = 0; t < p; t++) {
                    param[t] *= inv[t];
                }
                batch.jvp(param, out);
                for (int i = 0; i < b; i++) {
                    out[i] += in[i];
                }
            }
        };
        double target = tolerance * norm(h, p);
        java.util.Arrays.fill(v, 0.0);
        ConjugateGradient.Result result = cg.solve(m, rhs, v, precond, Math.min(b, maxIterations), CHECK_EVERY,
                (it, x, res) -> {
                    batch.vjp(res, param);
                    return norm(param, p) <= target;
                });
        batch.vjp(v, s);
        for (int t = 0; t < p; t++) {
            s[t] = inv[t] * (s[t] - h[t]);
        }
        return new SolveReport(result.iterations(), result.converged());
    }

    private void ensure(int b, int k, int p) {
        if (scaled.length != p) {
            scaled = new double[p];
            param = new double[p];
        }
        if (v.length != b) {
            rhs = new double[b];
            v = new double[b];
            precond = new double[b];
        }
        if (logitDiag.length < b * k) {
            logitDiag = new double[b * k];
        }
    }

    static double norm(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * a[i];
        }
        return Math.sqrt(s);
    }
}
