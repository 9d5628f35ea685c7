package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Cholesky;

/**
 * FGN step by a direct solve of the {@code B x B} whitened row system (ALGORITHM.md §2).
 *
 * <p>With the Woodbury identity for a diagonal {@code Lambda},
 * {@code s = -Lambda^-1 h + Lambda^-1 A^T v} where {@code (I + A Lambda^-1 A^T) v = A Lambda^-1 h}.
 * For uniform damping the row matrix is a Hadamard product of two Grams,
 * {@code A Lambda^-1 A^T = S [(U U^T) o (X X^T/(lambda+gamma) + 1 1^T/lambda)] S},
 * {@code S = diag(sw)}; the feature Gram {@code X X^T} is cached per batch, so in full-batch
 * training it is computed once. With the FGN-D diagonal the Hadamard structure is lost and the
 * matrix is summed class by class, {@code sum_k (u_k u_k^T) o (X~ diag(1/Lambda_k) X~^T)}.
 *
 * <p>Cost: {@code B^2 D} (Gram, once per batch) {@code + B^2 K + B^3/3 + 4 B K D}; memory
 * {@code 2 B^2}.
 */
public final class FgnRowCholeskySolver implements StepSolver {

    public static final String NAME = "fgn-row-cholesky";

    private final FeatureGramCache featureGram = new FeatureGramCache();
    private double[] system = new double[0];
    private double[] rhs = new double[0];
    private double[] scaled = new double[0];
    private double[] columnWeights = new double[0];
    private double[] classGram = new double[0];

    @Override
    public String name() {
        return NAME;
    }

    /** What every instance of this solver declares; {@link Solvers#capabilities(String)} answers the same. */
    public static final Capabilities CAPABILITIES = Capabilities.direct(Curvature.FGN);

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
        if ((long) b * b > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(NAME + ": a batch of " + b + " rows is too large for a dense B x B solve;"
                    + " use " + FgnRowCgSolver.NAME + " or " + ParamCgSolver.FGN_NAME);
        }
        if (system.length < b * b) {
            system = new double[b * b];
        }
        if (rhs.length < b) {
            rhs = new double[b];
        }
        if (scaled.length < p) {
            scaled = new double[p];
        }
        buildSystem(batch, damping, b, k, d);
        Cholesky.factor(system, b);
        // rhs = A Lambda^-1 h
        double[] inv = damping.inverse();
        for (int t = 0; t < p; t++) {
            scaled[t] = inv[t] * h[t];
        }
        batch.jvp(scaled, rhs);
        Cholesky.solve(system, b, rhs);
        batch.vjp(rhs, s);
        for (int t = 0; t < p; t++) {
            s[t] = inv[t] * (s[t] - h[t]);
        }
        return SolveReport.DIRECT;
    }

    private void buildSystem(HeadBatch batch, Damping damping, int b, int k, int d) {
        double[] u = batch.marginGradients();
        double[] sw = batch.whitening();
        if (damping.isUniform()) {
            double[] g = featureGram.get(batch);
            double invW = 1.0 / damping.weightDamping();
            double invB = 1.0 / damping.biasDamping();
            for (int i = 0; i < b; i++) {
                int ui = i * k;
                for (int l = 0; l <= i; l++) {
                    int ul = l * k;
                    double uu = 0;
                    for (int c = 0; c < k; c++) {
                        uu += u[ui + c] * u[ul + c];
                    }
                    double v = sw[i] * sw[l] * uu * (g[i * b + l] * invW + invB);
                    system[i * b + l] = i == l ? 1.0 + v : v;
                }
            }
            return;
        }
        // General diagonal: sum over classes of (u_k u_k^T) o (X~ diag(1/Lambda_k) X~^T).
        double[] inv = damping.inverse();
        int dd = d + 1;
        if (columnWeights.length != d) {
            columnWeights = new double[d];
        }
        if (classGram.length < b * b) {
            classGram = new double[b * b];
        }
        for (int i = 0; i < b; i++) {
            for (int l = 0; l <= i; l++) {
                system[i * b + l] = 0.0;
            }
        }
        for (int c = 0; c < k; c++) {
            // the rows' Gram with column weights 1/Lambda_kj (dense or sparse rows, never densified)
            System.arraycopy(inv, c * dd, columnWeights, 0, d);
            batch.featureGram(columnWeights, classGram);
            double biasInv = inv[c * dd + d];
            for (int i = 0; i < b; i++) {
                for (int l = 0; l <= i; l++) {
                    system[i * b + l] += u[i * k + c] * u[l * k + c] * (classGram[i * b + l] + biasInv);
                }
            }
        }
        for (int i = 0; i < b; i++) {
            for (int l = 0; l <= i; l++) {
                system[i * b + l] *= sw[i] * sw[l];
            }
            system[i * b + i] += 1.0;
        }
    }
}
