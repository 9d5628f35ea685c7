package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.CompetitorCurvature;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Cholesky;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.LinearOperator;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.linalg.SymmetricEigen;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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
 * <p><b>One factor for many classes.</b> With the class's damping replaced by its mean
 * {@code mu_k} (the damping is {@code lambda + gamma} on the weights and {@code lambda} on the
 * bias, so the mean is within {@code gamma / D} of every weight entry), the block is
 * {@code delta_k (C + t_k I)} with {@code t_k = mu_k / delta_k}: every class needs a factor of the
 * same matrix {@code C} at its own shift. The shift is rounded to the grid {@code 2^(g/2)}
 * (within a factor {@code 2^(1/4)} of {@code t_k}, so the preconditioned block's eigenvalues stay
 * within {@code [2^(-1/4), 2^(1/4)]} of the unrounded block's), and one Cholesky factor of
 * {@code C + 2^(g/2) I} serves every class on grid point {@code g}, in this solve and later ones:
 * factors are kept (least recently used dropped beyond {@value #CACHE_BYTES} bytes), since the
 * damping moves on the same grid ({@code x 2}, {@code / 3}). A solve factors only the grid points
 * it has not seen, at most {@value #MAX_FACTORS} per solve (the grid coarsens by octaves when the
 * classes' shifts spread wider), so the cost no longer grows with {@code K}: the blocks were
 * factored one per class before ({@code K D^3 / 3} per refactorisation, which switched the
 * preconditioner off at {@code K = 1000}, and on Fashion-MNIST pixels, {@code K = 10}, made
 * refactoring 40% of a run's profile).
 *
 * <p>{@code C} depends only on the features: it is computed once, from at most
 * {@value #MOMENT_ROWS} rows of the first batch, and reused (a curvature sample is a uniform draw
 * of the same rows). Cost per application {@code 2 K D^2}; per new grid point {@code D^3 / 3}.
 *
 * <p>The factors are kept in double. The classes that share a factor are solved together, up to
 * {@value #PANEL} at a time, as the columns of a panel ({@link Cholesky#solvePanel}: the kernels'
 * {@code trsmPanel} forward and {@code trsmTransposePanel} backward, Vector API loops when the module
 * is present), so each row of a factor is read once per panel instead of once per class: at
 * {@code K = 1000} one application streamed a {@code D x D} factor from the last-level cache a
 * thousand times over (2 MB each at {@code D = 513}). Each class's arithmetic is the same in any panel,
 * so results do not depend on how the classes are grouped. Before the panels the solves ran per class
 * on the kernels' dot and axpy; before those, on float factors with scalar loops that widened each
 * element, which JDK 17's C2 does not vectorise (16% of a Fashion-MNIST run's profile).
 */
final class ClassBlockPreconditioner implements LinearOperator {

    /** Rows the feature second moment is estimated from. */
    static final int MOMENT_ROWS = 2048;
    /** Most new factors one solve computes; beyond, the shift grid coarsens. */
    static final int MAX_FACTORS = 16;
    /** Memory kept for factors (doubles): least recently used ones are dropped beyond it. */
    static final long CACHE_BYTES = 64L << 20;
    /** Classes per panel of {@link #applyBlocks}: four vector strips of the panel solve's kernel. */
    static final int PANEL = 32;
    /** Smallest shift relative to the mean diagonal of {@code C} (keeps the factor well conditioned). */
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
    /** Per class: the factor of {@code C + shift I} it uses, and the scale {@code 1/delta_k}. */
    private final double[][] classFactor;
    private final double[] scale;
    /** Factors of {@code C + shift I} by grid key, in access order (least recently used first). */
    private final LinkedHashMap<Long, double[]> factors = new LinkedHashMap<>(16, 0.75f, true);
    /** Whether the class coupling is kept ({@link #coupledWorthwhile}); then the blocks are on A's eigenvectors. */
    private final boolean coupled;
    /** With coupling, the orthonormal eigenvectors of the class curvature {@code A}: column {@code j} is {@code rotation[c K + j]}. */
    private final double[] rotation;
    /** With coupling, whether this solve's damping let it be used (the same mean damping in every class). */
    private boolean rotated;
    /** The rotated input of an application. */
    private double[] work = new double[0];
    /** The classes solved together, sharing a factor ({@link #panels}). */
    private int[][] panels = new int[0][];
    /** Each thread's panel of right-hand sides ({@code D x PANEL}). */
    private static final ThreadLocal<double[]> PANEL_SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

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
        this.classFactor = new double[k][];
        this.scale = new double[k];
        this.coupled = coupled;
        this.rotation = coupled ? new double[k * k] : null;
    }

    /**
     * Whether keeping the class coupling is affordable: its two rotations cost {@code 4 K^2 D} per
     * application, at most the {@code 4 K D^2} of the blocks' triangular solves when {@code K <= D}.
     */
    static boolean coupledWorthwhile(int d, int k) {
        return k <= d + 1.0;
    }

    /** Whether a factor of {@code D x D} is affordable (memory and {@code D^3/3} per new grid point). */
    static boolean worthwhile(int d, int k) {
        return d + 1.0 <= 1536;
    }

    /**
     * The grid key of shift {@code t} at resolution {@code perOctave} points per octave: the
     * resolution in the high bits, {@code g = round(perOctave log2 t)} in the low bits.
     */
    static long key(double t, int perOctave) {
        long g = Math.round(perOctave * Math.log(t) / Math.log(2));
        return ((long) perOctave << 32) | (g & 0xffffffffL);
    }

    /** The shift of a grid key: {@code 2^(g / perOctave)}. */
    static double shift(long key) {
        int perOctave = (int) (key >>> 32);
        int g = (int) key;
        return Math.pow(2, g / (double) perOctave);
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
    }

    /** The factors for the class weights in {@link #delta} and the damping {@code lam}. */
    private void prepareBlocks(double[] lam) {
        // each class's shift t_k = mu_k / delta_k, floored; NaN for a class whose block is its damping alone
        double[] t = new double[k];
        for (int c = 0; c < k; c++) {
            double mu = 0;
            for (int j = 0; j < dd; j++) {
                mu += lam[c * dd + j];
            }
            mu /= dd;
            double tc = mu / delta[c];
            if (!(delta[c] > 0) || !(tc < 1e12 * meanDiagonal)) {
                t[c] = Double.NaN;
                scale[c] = 1.0 / mu;
            } else {
                t[c] = Math.max(tc, MIN_RELATIVE_SHIFT * meanDiagonal);
                scale[c] = 1.0 / delta[c];
            }
        }
        // the finest grid (2 points per octave) on which this solve needs at most MAX_FACTORS new factors
        long[] keys = new long[k];
        for (int perOctave = 2; ; perOctave = Math.max(1, perOctave / 2)) {
            TreeMap<Long, Boolean> missing = new TreeMap<>();
            for (int c = 0; c < k; c++) {
                keys[c] = Double.isNaN(t[c]) ? Long.MIN_VALUE : key(t[c], perOctave);
                if (keys[c] != Long.MIN_VALUE && !factors.containsKey(keys[c])) {
                    missing.put(keys[c], Boolean.TRUE);
                }
            }
            if (missing.size() <= MAX_FACTORS || perOctave == 1 && coarsen(t, keys, missing)) {
                factorMissing(missing.keySet().stream().mapToLong(Long::longValue).toArray());
                break;
            }
        }
        for (int c = 0; c < k; c++) {
            classFactor[c] = keys[c] == Long.MIN_VALUE ? null : factors.get(keys[c]);
        }
        panels = panels(keys);
        // keep the factors this solve uses; drop the least recently used others beyond the budget
        long bytes = 8L * dd * dd * factors.size();
        java.util.Set<Long> used = new java.util.HashSet<>();
        for (long key : keys) {
            used.add(key);
        }
        for (java.util.Iterator<Map.Entry<Long, double[]>> it = factors.entrySet().iterator();
             it.hasNext() && bytes > CACHE_BYTES; ) {
            if (!used.contains(it.next().getKey())) {
                it.remove();
                bytes -= 8L * dd * dd;
            }
        }
    }

    /**
     * At one point per octave and still too many new factors: group the shifts on wider octave
     * bins ({@code 2^m} octaves, {@code m = 1, 2, ...}) until at most {@value #MAX_FACTORS} are
     * new; rewrites {@code keys} and {@code missing}. Always true.
     */
    private boolean coarsen(double[] t, long[] keys, TreeMap<Long, Boolean> missing) {
        for (int span = 2; missing.size() > MAX_FACTORS; span *= 2) {
            missing.clear();
            for (int c = 0; c < k; c++) {
                if (keys[c] == Long.MIN_VALUE) {
                    continue;
                }
                long g = span * Math.round(Math.log(t[c]) / Math.log(2) / span);
                keys[c] = (1L << 32) | (g & 0xffffffffL);
                if (!factors.containsKey(keys[c])) {
                    missing.put(keys[c], Boolean.TRUE);
                }
            }
        }
        return true;
    }

    /** Factors {@code C + shift I} for each key (in key order; independent, so in parallel). */
    private void factorMissing(long[] keys) {
        double[][] made = new double[keys.length][];
        parallel.forRange(keys.length, 1, (lo, hi) -> {
            for (int m = lo; m < hi; m++) {
                double shift = shift(keys[m]);
                double[] block = moment.clone();
                for (int j = 0; j < dd; j++) {
                    block[j * dd + j] += shift;
                }
                Cholesky.factor(block, dd, Parallel.SERIAL);
                made[m] = block; // the solves read only the lower triangle
            }
        });
        for (int m = 0; m < keys.length; m++) {
            factors.put(keys[m], made[m]);
        }
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
     * The classes in panels of at most {@value #PANEL} that share a factor (by key, in class order; the
     * classes whose block is their damping alone, key {@code Long.MIN_VALUE}, as panels of their own).
     */
    private int[][] panels(long[] keys) {
        Map<Long, java.util.List<Integer>> byKey = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
            byKey.computeIfAbsent(keys[c], key -> new java.util.ArrayList<>()).add(c);
        }
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (java.util.List<Integer> classes : byKey.values()) {
            for (int from = 0; from < classes.size(); from += PANEL) {
                out.add(classes.subList(from, Math.min(classes.size(), from + PANEL)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        return out.toArray(new int[0][]);
    }

    /**
     * The blocks: {@code out_c = scale_c (C + t_c I)^-1 in_c} per class (or eigenvector of A), the classes
     * of a panel (sharing a factor) solved together ({@link Cholesky#solvePanel}: every row of the factor
     * read once per panel, not once per class; each class's arithmetic is the same in any panel, so the
     * panels and threads change no result).
     */
    private void applyBlocks(double[] in, double[] out) {
        parallel.forRange(panels.length, 1, (lo, hi) -> {
            double[] p = PANEL_SCRATCH.get();
            if (p.length < dd * PANEL) {
                p = new double[dd * PANEL];
                PANEL_SCRATCH.set(p);
            }
            for (int q = lo; q < hi; q++) {
                int[] classes = panels[q];
                int r = classes.length;
                double[] l = classFactor[classes[0]];
                if (l == null) {
                    for (int c : classes) {
                        double sc = scale[c];
                        for (int j = c * dd, end = j + dd; j < end; j++) {
                            out[j] = sc * in[j];
                        }
                    }
                    continue;
                }
                for (int t = 0; t < r; t++) {
                    for (int i = 0, from = classes[t] * dd; i < dd; i++) {
                        p[i * r + t] = in[from + i];
                    }
                }
                Cholesky.solvePanel(l, dd, p, r, 0, r);
                for (int t = 0; t < r; t++) {
                    int c = classes[t];
                    double sc = scale[c];
                    for (int i = 0, to = c * dd; i < dd; i++) {
                        out[to + i] = p[i * r + t] * sc;
                    }
                }
            }
        });
    }
}
