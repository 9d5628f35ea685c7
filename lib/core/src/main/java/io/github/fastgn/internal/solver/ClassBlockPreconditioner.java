package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.CompetitorCurvature;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.LinearOperator;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.linalg.SymmetricEigen;
import io.github.fastgn.internal.linalg.SymmetricTridiagonal;

import java.util.Arrays;

/**
 * A block-diagonal, Kronecker-factored preconditioner for parameter-space CG: class {@code k}'s
 * block of the curvature, {@code sum_i beta_i g_ik x~_i x~_i^T}, is approximated by
 * {@code delta_k C} with the feature second moment {@code C = sum_i beta_i x~_i x~_i^T}
 * ({@code D x D}, bias included) and the class's mean curvature weight
 * {@code delta_k = sum_i beta_i g_ik} ({@code g_ik = p_ik (1 - p_ik)} for the full GGN,
 * {@code w_i u_ik^2} for FGN), plus the damping.
 *
 * <p>Why: on raw features (pixels) the curvature is dominated by feature correlations that the
 * Jacobi diagonal cannot see; CG on Fashion-MNIST pixels with Jacobi needs 80-100+ iterations per
 * step near the optimum. Cross-class coupling ({@code -p_ik p_il}) is left out, as in K-FAC's
 * block-diagonal form, unless the preconditioner is built {@code coupled}: then the whole
 * {@code K x K} class curvature {@code A} replaces the weights {@code delta_k} (its diagonal), and
 * {@code A (x) C + mu I} is inverted on the eigenvectors of {@code A}, each a block
 * {@code a_j C + mu I} of the same kind (ALGORITHM.md §2, "Class blocks with coupling"): on
 * Fashion-MNIST pixels ({@code K = 10}) it cut the CG iterations of a run from 389 to 158.
 *
 * <p><b>One reduction for every class.</b> With the class's damping replaced by its mean
 * {@code mu_k} (the damping is {@code lambda + gamma} on the weights and {@code lambda} on the
 * bias, so the mean is within {@code gamma / D} of every weight entry), the block is
 * {@code delta_k (C + t_k I)} with {@code t_k = mu_k / delta_k}: every class needs the inverse of
 * the same matrix {@code C} at its own shift. {@code C} is reduced once to tridiagonal form,
 * {@code C = Q T Q^T} ({@link SymmetricTridiagonal}, {@code 4 D^3 / 3} once per run), so that
 * {@code (C + t_k I)^-1 = Q (T + t_k I)^-1 Q^T} at any shift: an application is two dense products
 * with {@code Q} for all classes at once ({@link HeadKernels#rowProduct} and
 * {@link HeadKernels#transposeProduct}, {@code 2 K D^2} multiply-adds, {@code Q} read once per
 * product whatever {@code K}) and a tridiagonal solve per class ({@code O(D)}, the classes innermost,
 * from an elimination made once per solve). The shifts are exact, and a new damping costs
 * {@code O(K D)}.
 *
 * <p>Before, each class's block was a Cholesky factor of {@code C + t I} with the shift rounded to a
 * grid of {@code 2^(g/2)}, factors shared by the classes on a grid point and cached across solves
 * ({@code D^3 / 3} per new grid point), and the classes sharing a factor solved as the columns of a
 * panel. On Fashion-MNIST pixels ({@code K = 10}, {@code D = 785}) the ten classes sat on about ten
 * grid points: each application streamed ten {@code D x D} factors twice (about 100 MB), and the
 * solves and factorisations took a third of a warm run's profile.
 *
 * <p>{@code C} depends only on the features: it is computed once, from at most
 * {@value #MOMENT_ROWS} rows of the first batch, and reused (a curvature sample is a uniform draw
 * of the same rows).
 */
final class ClassBlockPreconditioner implements LinearOperator {

    /** Rows the feature second moment is estimated from. */
    static final int MOMENT_ROWS = 2048;
    /** Smallest shift relative to the mean diagonal of {@code C} (keeps {@code C + t I} well conditioned). */
    static final double MIN_RELATIVE_SHIFT = 1e-7;
    /** With coupling, eigenvalues of {@code A} below this times its largest are taken as 0 (rounding of a null direction). */
    static final double NULL_EIGENVALUE = 1e-12;

    private final int d;
    private final int dd;
    private final int k;
    private final Parallel parallel;
    private double[] moment;
    /** Mean diagonal entry of {@code C}. */
    private double meanDiagonal;
    private final double[] delta;
    /** {@code C = Q T Q^T}, made with {@link #moment}. */
    private SymmetricTridiagonal reduced;
    /** Per class: the shift {@code t_k} and the scale {@code 1/delta_k} (or {@code 1/mu_k} when the block is its damping alone). */
    private final double[] shift;
    private final double[] scale;
    /** Per class: whether its block is its damping alone ({@code out_k = in_k / mu_k}). */
    private final boolean[] dampingOnly;
    /** The elimination of {@code T + t_k I} for this solve's shifts. */
    private SymmetricTridiagonal.Elimination elimination;
    /** Whether the class coupling is kept ({@link #coupledWorthwhile}); then the blocks are on A's eigenvectors. */
    private final boolean coupled;
    /** With coupling, the orthonormal eigenvectors of the class curvature {@code A}: column {@code j} is {@code rotation[c K + j]}. */
    private final double[] rotation;
    /** With coupling, whether this solve's damping let it be used (the same mean damping in every class). */
    private boolean rotated;
    /** The rotated input of an application. */
    private double[] work = new double[0];

    ClassBlockPreconditioner(int d, int k, Parallel parallel) {
        this(d, k, parallel, false);
    }

    /**
     * @param coupled keep the cross-class coupling: the Kronecker factor {@code A (x) C} with the
     *                whole {@code K x K} class curvature {@code A} (its diagonal is the class
     *                blocks' {@code delta}), inverted in {@code A}'s eigenbasis; used for a
     *                {@link HeadBatch} of dense rows with the same mean damping in every class
     *                (the blocks of {@link #prepare(CompetitorCurvature, double[])} stay uncoupled)
     */
    ClassBlockPreconditioner(int d, int k, Parallel parallel, boolean coupled) {
        this.parallel = parallel;
        this.d = d;
        this.dd = d + 1;
        this.k = k;
        this.delta = new double[k];
        this.shift = new double[k];
        this.scale = new double[k];
        this.dampingOnly = new boolean[k];
        this.coupled = coupled;
        this.rotation = coupled ? new double[k * k] : null;
    }

    /**
     * Whether keeping the class coupling is affordable: its two rotations cost {@code 4 K^2 D} per
     * application, at most the {@code 4 K D^2} of the blocks' products with {@code Q} when {@code K <= D}.
     */
    static boolean coupledWorthwhile(int d, int k) {
        return k <= d + 1.0;
    }

    /** Whether {@code C}'s reduction is affordable: {@code Q} is {@code D x D} doubles, made once in {@code 4 D^3 / 3}. */
    static boolean worthwhile(int d, int k) {
        return d + 1.0 <= 1536;
    }

    /** Prepares the blocks for the batch's current point and the damping {@code lam} ({@code K x D}). */
    void prepare(HeadBatch batch, StepSolver.Curvature curvature, double[] lam) {
        if (moment == null) {
            useMoment(featureMoment(batch));
        }
        int rows = batch.rows();
        double[] beta = batch.exampleWeights();
        Arrays.fill(delta, 0.0);
        rotated = coupled && sameMeanDamping(lam);
        if (rotated) {
            classCurvature(batch, curvature);
        } else if (curvature == StepSolver.Curvature.FGN) {
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
        prepareBlocks(lam);
    }

    /** Whether every class has the same mean damping (uniform damping; not FGN-D's per-class diagonal). */
    private boolean sameMeanDamping(double[] lam) {
        double first = classMean(lam, 0);
        for (int c = 1; c < k; c++) {
            if (classMean(lam, c) != first) {
                return false;
            }
        }
        return true;
    }

    private double classMean(double[] lam, int c) {
        double mu = 0;
        for (int j = 0; j < dd; j++) {
            mu += lam[c * dd + j];
        }
        return mu / dd;
    }

    /**
     * The class curvature {@code A = sum_i beta_i S_i} ({@code S_i = diag p_i - p_i p_i^T} for the
     * full GGN, {@code w_i u_i u_i^T} for FGN), eigendecomposed: its eigenvalues (those at rounding level of the largest set to 0)
     * into {@link #delta}, its eigenvectors into {@link #rotation}. Commons Math's symmetric
     * eigensolver ({@link SymmetricEigen}): {@code K x K} once per solve, {@code O(K^3)} against the solve's
     * {@code O(B K D)} products.
     */
    private void classCurvature(HeadBatch batch, StepSolver.Curvature curvature) {
        int rows = batch.rows();
        double[] a = new double[k * k];
        if (curvature == StepSolver.Curvature.FGN) {
            double[] sw = batch.whitening();
            double[] u = batch.marginGradients();
            for (int i = 0; i < rows; i++) {
                double w = sw[i] * sw[i];
                int o = i * k;
                for (int c = 0; c < k; c++) {
                    double wc = w * u[o + c];
                    for (int e = 0; e <= c; e++) {
                        a[c * k + e] += wc * u[o + e];
                    }
                }
            }
        } else {
            double[] beta = batch.exampleWeights();
            double[] pr = batch.probabilities();
            for (int i = 0; i < rows; i++) {
                int o = i * k;
                for (int c = 0; c < k; c++) {
                    double bc = beta[i] * pr[o + c];
                    a[c * k + c] += bc;
                    for (int e = 0; e <= c; e++) {
                        a[c * k + e] -= bc * pr[o + e];
                    }
                }
            }
        }
        for (int c = 0; c < k; c++) {
            for (int e = 0; e < c; e++) {
                a[e * k + c] = a[c * k + e];
            }
        }
        double[] values = SymmetricEigen.decompose(a, k, rotation);
        double largest = 0;
        for (double v : values) {
            largest = Math.max(largest, v);
        }
        for (int j = 0; j < k; j++) {
            // A's null direction (1 for the full GGN) comes out at rounding level: its block is the damping alone
            delta[j] = values[j] > NULL_EIGENVALUE * largest ? values[j] : 0.0;
        }
    }

    /**
     * Prepares the blocks for the top-competitor curvature of every row: its class weights and the
     * feature second moment of every row ({@link CompetitorCurvature#featureMoment()}).
     */
    void prepare(CompetitorCurvature curvature, double[] lam) {
        if (moment == null) {
            useMoment(curvature.featureMoment());
        }
        System.arraycopy(curvature.classCurvatureWeights(), 0, delta, 0, k);
        rotated = false;
        prepareBlocks(lam);
    }

    private void useMoment(double[] c) {
        moment = c;
        double trace = 0;
        for (int j = 0; j < dd; j++) {
            trace += moment[j * dd + j];
        }
        meanDiagonal = trace / dd;
        reduced = SymmetricTridiagonal.of(moment, dd, parallel);
    }

    /** The shifts and scales for the class weights in {@link #delta} and the damping {@code lam}, and their elimination. */
    private void prepareBlocks(double[] lam) {
        for (int c = 0; c < k; c++) {
            double mu = 0;
            for (int j = 0; j < dd; j++) {
                mu += lam[c * dd + j];
            }
            mu /= dd;
            double tc = mu / delta[c];
            dampingOnly[c] = !(delta[c] > 0) || !(tc < 1e12 * meanDiagonal);
            if (dampingOnly[c]) {
                shift[c] = meanDiagonal; // any positive shift: the elimination stays finite, its column is not used
                scale[c] = 1.0 / mu;
            } else {
                shift[c] = Math.max(tc, MIN_RELATIVE_SHIFT * meanDiagonal);
                scale[c] = 1.0 / delta[c];
            }
        }
        elimination = reduced.eliminate(shift, k);
    }

    /** {@code C = sum_i beta_i x~_i x~_i^T / sum beta} over the first rows of the batch. */
    private double[] featureMoment(HeadBatch batch) {
        int rows = Math.min(batch.rows(), MOMENT_ROWS);
        double[] beta = batch.exampleWeights();
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += beta[i];
        }
        double[] w = new double[rows];
        for (int i = 0; i < rows; i++) {
            w[i] = beta[i] / total;
        }
        double[] c = new double[dd * dd];
        // only these rows, in the batch's storage: a float batch is not widened whole
        batch.secondMoment(rows, w, c);
        c[d * dd + d] = 1.0;
        return c;
    }

    @Override
    public int dimension() {
        return k * dd;
    }

    @Override
    public void apply(double[] in, double[] out) {
        if (!rotated) {
            applyBlocks(in, out);
            return;
        }
        // with coupling: into A's eigenbasis, the blocks there, and back (each output a fixed-order sum)
        if (work.length < k * dd) {
            work = new double[k * dd];
        }
        double[] w = work;
        rotate(in, w, true);
        applyBlocks(w, out);
        System.arraycopy(out, 0, w, 0, k * dd);
        rotate(w, out, false);
    }

    /** {@code to = Q^T from} ({@code transpose}) or {@code Q from}, on the {@code K x D} layout. */
    private void rotate(double[] from, double[] to, boolean transpose) {
        parallel.forRange(k, 1, (lo, hi) -> {
            for (int j = lo; j < hi; j++) {
                int o = j * dd;
                Arrays.fill(to, o, o + dd, 0.0);
                for (int c = 0; c < k; c++) {
                    double q = transpose ? rotation[c * k + j] : rotation[j * k + c];
                    HeadKernels.axpy(q, from, c * dd, to, o, dd);
                }
            }
        });
    }

    /**
     * The blocks: {@code out_c = scale_c (C + t_c I)^-1 in_c} per class (or eigenvector of A), all
     * classes through {@link SymmetricTridiagonal#solveShifted}; a class whose block is its damping
     * alone takes {@code scale_c in_c}.
     */
    private void applyBlocks(double[] in, double[] out) {
        reduced.solveShifted(elimination, scale, in, out, parallel);
        for (int c = 0; c < k; c++) {
            if (dampingOnly[c]) {
                double sc = scale[c];
                for (int j = c * dd, end = j + dd; j < end; j++) {
                    out[j] = sc * in[j];
                }
            }
        }
    }
}
