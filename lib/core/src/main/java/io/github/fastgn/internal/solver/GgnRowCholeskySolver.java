package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Cholesky;
import io.github.fastgn.internal.linalg.HeadKernels;

/**
 * Full-GGN (damped Newton) step by a direct solve in row space with {@code B K} rows (ALGORITHM.md §2),
 * for small problems and as the reference FGN is compared against.
 *
 * <p>The rows use the exact square root {@code R_i = diag(sqrt p_i) - sqrt(p_i) p_i^T}
 * ({@code R_i^T R_i = diag p_i - p_i p_i^T}, no jitter), scaled by {@code sqrt(beta_i)} and
 * tensored with {@code x~_i}. Woodbury with uniform damping:
 * {@code (I + R Lambda^-1 R^T) v = R Lambda^-1 h}, {@code s = -Lambda^-1 h + Lambda^-1 R^T v},
 * where block {@code (i, l)} of {@code R Lambda^-1 R^T} is
 * {@code sqrt(beta_i beta_l) (x~_i Lambda^-1 x~_l) R_i R_l^T} and
 * {@code (R_i R_l^T)_ab = sqrt(p_ia p_lb) (delta_ab - p_la - p_ib + p_i . p_l)}.
 *
 * <p>Cost {@code B^2 D + B^2 K^2 + (B K)^3 / 3}, memory {@code (B K)^2}: it grows as
 * {@code K^3}, which is the point of comparison with FGN's {@code B x B} system.
 */
public final class GgnRowCholeskySolver implements StepSolver {

    public static final String NAME = "ggn-row-cholesky";

    private final FeatureGramCache featureGram = new FeatureGramCache();
    private double[] system = new double[0];
    private double[] rhs = new double[0];
    private double[] scaled = new double[0];
    private double[] logits = new double[0];
    private double[] sqrtP = new double[0];

    @Override
    public String name() {
        return NAME;
    }

    /** What every instance of this solver declares; {@link Solvers#capabilities(String)} answers the same. */
    /** It reads dense feature rows (its {@code B K x B K} system's step), so it does not take sparse rows. */
    public static final Capabilities CAPABILITIES = Capabilities.direct(Curvature.FULL).denseRowsOnly();

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public SolveReport solve(HeadBatch batch, Damping damping, double[] h, double[] s, double tolerance) {
        if (!damping.isUniform()) {
            throw new IllegalArgumentException(NAME + " needs uniform damping (no extra diagonal)");
        }
        int b = batch.rows();
        int k = batch.classes();
        int d = batch.featureCount();
        int p = k * (d + 1);
        int n = b * k;
        if ((long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(NAME + ": B*K = " + n + " rows is too large for a dense solve");
        }
        if (system.length != n * n) {
            system = new double[n * n];
            rhs = new double[n];
            sqrtP = new double[n];
        }
        if (scaled.length != p) {
            scaled = new double[p];
        }
        if (logits.length < n) {
            logits = new double[n];
        }
        double[] pr = batch.probabilities();
        double[] beta = batch.exampleWeights();
        for (int t = 0; t < n; t++) {
            sqrtP[t] = Math.sqrt(pr[t]);
        }
        double[] g = featureGram.get(batch);
        double invW = 1.0 / damping.weightDamping();
        double invB = 1.0 / damping.biasDamping();
        for (int i = 0; i < b; i++) {
            for (int l = 0; l <= i; l++) {
                double pp = 0;
                for (int c = 0; c < k; c++) {
                    pp += pr[i * k + c] * pr[l * k + c];
                }
                double scale = Math.sqrt(beta[i] * beta[l]) * (g[i * b + l] * invW + invB);
                for (int a = 0; a < k; a++) {
                    int row = (i * k + a) * n + l * k;
                    double spa = sqrtP[i * k + a];
                    double pla = pr[l * k + a];
                    int bEnd = i == l ? a + 1 : k;
                    for (int c = 0; c < bEnd; c++) {
                        double v = (a == c ? 1.0 : 0.0) - pla - pr[i * k + c] + pp;
                        system[row + c] = scale * spa * sqrtP[l * k + c] * v;
                    }
                }
            }
        }
        for (int t = 0; t < n; t++) {
            system[t * n + t] += 1.0;
        }
        Cholesky.factor(system, n);
        // rhs = R Lambda^-1 h
        double[] inv = damping.inverse();
        for (int t = 0; t < p; t++) {
            scaled[t] = inv[t] * h[t];
        }
        batch.logitDirection(scaled, logits);
        for (int i = 0; i < b; i++) {
            double pt = 0;
            for (int c = 0; c < k; c++) {
                pt += pr[i * k + c] * logits[i * k + c];
            }
            double sb = Math.sqrt(beta[i]);
            for (int c = 0; c < k; c++) {
                rhs[i * k + c] = sb * sqrtP[i * k + c] * (logits[i * k + c] - pt);
            }
        }
        Cholesky.solve(system, n, rhs);
        // R^T v: coefficient sqrt(beta_i) (sqrt(p_ic) v_ic - p_ic (sqrt(p_i) . v_i))
        for (int i = 0; i < b; i++) {
            double sv = 0;
            for (int c = 0; c < k; c++) {
                sv += sqrtP[i * k + c] * rhs[i * k + c];
            }
            double sb = Math.sqrt(beta[i]);
            for (int c = 0; c < k; c++) {
                logits[i * k + c] = sb * (sqrtP[i * k + c] * rhs[i * k + c] - pr[i * k + c] * sv);
            }
        }
        HeadKernels.transposeProduct(logits, batch.featureRows(), b, d, k, s, batch.parallel());
        for (int t = 0; t < p; t++) {
            s[t] = inv[t] * (s[t] - h[t]);
        }
        return SolveReport.DIRECT;
    }
}
