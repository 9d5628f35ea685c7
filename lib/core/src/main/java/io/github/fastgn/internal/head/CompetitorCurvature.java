package io.github.fastgn.internal.head;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;

import java.util.Arrays;

/**
 * The full-GGN curvature of every row of a {@link FullData} with each row's class distribution
 * truncated to its {@code m} most probable classes and a uniform remainder: row {@code i}'s
 * softmax {@code p_i} is replaced by {@code p~_i}, equal to {@code p_ic} on the set {@code S_i} of
 * its {@code m} largest entries and to {@code rho_i = (1 - sum_(c in S_i) p_ic) / (K - m)} on every
 * other class, and the curvature is {@code G~ = sum_i beta_i J_i^T (diag p~_i - p~_i p~_i^T) J_i}
 * (ALGORITHM.md §2, "Top-competitor curvature").
 *
 * <p>Why: at large {@code K} a full-GGN product costs {@code 4 n K D} (two passes over the data),
 * so a step's curvature came from a row sample, which at {@code K = 1000} holds a few rows per
 * class and stalls near the optimum. Most of a row's softmax mass sits on a few classes; keeping
 * them exactly, and the rest as one uniform tail, gives every row's curvature at
 * {@code O(n m D + K D^2)} per product. {@code p~_i} is a probability vector, so each row's block is
 * the covariance of a categorical distribution: positive semi-definite, exact when the tail is
 * uniform and equal to the full GGN when {@code m >= K - 1}. Only the curvature is approximated;
 * the gradient stays exact, so the optimum does too.
 *
 * <p>A product {@code out = G~ V}: with {@code t_ic = v_c . x~_i} for {@code c} in {@code S_i},
 * {@code T_i = vsum . x~_i} ({@code vsum = sum_c v_c}) and
 * {@code pt_i = sum_(S_i) p_ic t_ic + rho_i (T_i - sum_(S_i) t_ic)}:
 * <pre>
 *   out = V M + 1 e^T + sum_c e_c (sum_(i: c in S_i) a_ic x~_i)^T,
 *   M = sum_i beta_i rho_i x~_i x~_i^T,  e = -sum_i beta_i rho_i pt_i x~_i,
 *   a_ic = beta_i (p_ic - rho_i)(t_ic - pt_i).
 * </pre>
 * The first pass over the rows (in fixed chunks of {@value #CHUNK} rows, partial sums of {@code e}
 * per chunk added in chunk order) forms {@code t}, {@code pt}, {@code a} and {@code e}; in the
 * second, each part of the classes (one per thread) goes through the rows in order and adds each row to
 * its kept classes in the part, so every class sums its rows in row order (on float rows read where
 * they lie, chunk by chunk and class by class: {@link #addByClass}); {@code V M} is one
 * transpose product of {@code D x K x D}. Nothing depends on the thread count. Memory
 * {@code O(n m + D^2)}; the rows are not copied.
 *
 * <p>A row's dots with its kept classes go through {@link HeadKernels#gatherDots} (the Vector API
 * path shares each load of the row among four classes) and its additions into the classes through
 * {@link HeadKernels#axpy}; they were scalar loops here, which JDK 17's C2 does not vectorise (a
 * reduction; an axpy at an offset), and were a third of a {@code syn} run's profile. On the Vector API
 * path they read float rows where they lie, widening each lane as they load it; the plain loops get
 * each row widened once into a zero-based double row (what C2 vectorises), the same bits. Widening
 * every row into a copy on the Vector API path too took 124 of 2606 profile samples of a warm
 * {@code syn} run (4.8%); reading in place, the three kernels' samples fell from 668 to 475 (two
 * runs, one JVM each, 2026-12-07) and warm {@code syn} runs from a median of 16.6 s to 16.1 s. The tail
 * moment {@code M} is {@link HeadKernels#stepSecondMoment} per block (the lower triangle, mirrored; the
 * products' packed micro-kernel on the Vector API path).
 *
 * <p>Rows read per product, as {@link #rowsRead()} counts them: {@code n} for the first pass and
 * {@code n} for the second (each of its parts streams the rows; {@code m D} multiply-adds per row
 * in all, against {@code K D} for a full product).
 */
public final class CompetitorCurvature {

    /** Rows per chunk of the first pass (divides {@link FullData#BLOCK_ROWS}). */
    static final int CHUNK = 512;

    private final FullData data;
    private final int n;
    private final int d;
    private final int dd;
    private final int k;
    private final int m;
    private final Parallel parallel;
    /** Whether rows are read in their float blocks where they lie ({@link #inPlace}). */
    private final boolean floatRows;
    /** Row {@code i}'s kept classes {@code S_i}, in decreasing probability. */
    private final int[] top;
    /** {@code p_ic} of the kept classes, in the order of {@link #top}. */
    private final double[] kept;
    /** {@code beta_i} and the tail probability {@code rho_i}. */
    private final double[] beta;
    private final double[] rho;
    /** {@code M = sum_i beta_i rho_i x~_i x~_i^T}, its first {@code d} columns as a {@code D x d} matrix. */
    private final double[] tailMoment;
    private final double[] tailMomentColumns;
    /** The class weights {@code delta_c = sum_i beta_i p~_ic (1 - p~_ic)}. */
    private final double[] delta;
    /** The feature second moment, once computed. */
    private double[] featureMoment;
    // product scratch
    private final double[] coef;
    private final double[] vsum;
    /** The first pass's partial sums of {@code e}, one zero-based row per chunk (see {@link #classRows}). */
    private final double[][] partial;
    /**
     * The product's class rows while the second pass adds into them: zero-based rows, so that the
     * plain-loop axpy runs on SIMD lanes (C2 vectorises {@code y[j] += a x[j]}, not the same loop at
     * offsets into arrays that might alias).
     */
    private final double[][] classRows;
    private final double[] vt;
    private final double[] vm;
    /**
     * The kept slots {@code t = i m + s} of each chunk of {@link #CHUNK} rows, grouped by class, rows in order
     * within a class (null unless {@link #floatRows}); {@link #classStart} holds each chunk's {@code K + 1}
     * group bounds, relative to the chunk's first slot.
     */
    private final int[] pairs;
    private final int[] classStart;
    /** {@link #addByClass}'s coefficients and row offsets of one class's rows in a chunk, one pair per part. */
    private final double[][] groupAlpha;
    private final int[][] groupOffsets;
    private long rowsRead;
    /** One block's moment, and its rows' weights, per thread of {@link #moment}. */
    private double[][] momentParts;
    private double[][] momentWeights;

    /**
     * @param data the rows, dense (float or double); their kept logits are read by {@link #prepare}
     * @param m    classes kept exactly per row, {@code 1 <= m <= K}
     */
    public CompetitorCurvature(FullData data, int m) {
        if (data.sparse() || data.floatBlock(0) == null && data.doubleBlock(0) == null) {
            throw new IllegalArgumentException("the top-competitor curvature needs dense rows in the heap; sparse"
                    + " or memory-mapped rows take a sampled curvature (solver auto, or ggn-param-cg)");
        }
        if (m < 1 || m > data.classes()) {
            throw new IllegalArgumentException("m must be in [1, K = " + data.classes() + "], got " + m);
        }
        this.data = data;
        this.n = data.size();
        this.d = data.featureCount();
        this.dd = d + 1;
        this.k = data.classes();
        this.m = m;
        this.parallel = data.parallel();
        this.floatRows = data.floatBlock(0) != null && HeadKernels.floatRowsInPlace();
        this.top = new int[n * m];
        this.kept = new double[n * m];
        this.beta = new double[n];
        this.rho = new double[n];
        this.tailMoment = new double[dd * dd];
        this.tailMomentColumns = new double[dd * d];
        this.delta = new double[k];
        this.coef = new double[n * m];
        this.vsum = new double[dd];
        this.partial = new double[(n + CHUNK - 1) / CHUNK][dd];
        this.classRows = new double[k][dd];
        this.vt = new double[dd * k];
        this.vm = new double[k * dd];
        this.pairs = floatRows ? new int[n * m] : null;
        this.classStart = floatRows ? new int[((n + CHUNK - 1) / CHUNK) * (k + 1)] : null;
        int parts = classParts();
        this.groupAlpha = floatRows ? new double[parts][CHUNK] : null;
        this.groupOffsets = floatRows ? new int[parts][CHUNK] : null;
    }

    /** Classes kept exactly per row. */
    public int kept() {
        return m;
    }

    public int classes() {
        return k;
    }

    public int featureCount() {
        return d;
    }

    public Parallel parallel() {
        return parallel;
    }

    /** Feature rows read by {@link #prepare} and the products so far. */
    public long rowsRead() {
        return rowsRead;
    }

    /**
     * Builds the truncated distributions at the data's kept logits ({@link FullData#evaluate} or
     * {@link FullData#step} moved them to the current point), the tail moment {@code M} (one pass)
     * and the class weights.
     */
    public void prepare() {
        double total = data.weightTotal();
        for (int b = 0; b < data.blockCount(); b++) {
            int rows = data.blockRows(b);
            int lo = b * FullData.BLOCK_ROWS;
            double[] zb = data.keptLogits(b);
            double[] wb = data.blockWeights(b);
            parallel.forRange(rows, 64, (r0, r1) -> {
                double[] pr = new double[k];
                double[] groupMax = new double[64];
                int[] index = new int[k];
                for (int r = r0; r < r1; r++) {
                    beta[lo + r] = (wb == null ? 1.0 : wb[r]) / total;
                    truncate(zb, r * k, lo + r, pr, groupMax, index);
                }
            });
        }
        classWeights();
        tailMoment();
        if (floatRows) {
            groupByClass();
        }
    }

    /**
     * {@link #pairs} and {@link #classStart} from {@link #top}: a counting sort of each chunk's slots by
     * class, stable, so each class lists its rows in row order.
     */
    private void groupByClass() {
        int chunks = (n + CHUNK - 1) / CHUNK;
        parallel.forRange(chunks, 1, (h0, h1) -> {
            int[] cursor = new int[k];
            for (int h = h0; h < h1; h++) {
                int base = h * (k + 1);
                Arrays.fill(classStart, base, base + k + 1, 0);
                int first = h * CHUNK * m;
                int last = Math.min(n, (h + 1) * CHUNK) * m;
                for (int t = first; t < last; t++) {
                    classStart[base + top[t] + 1]++;
                }
                for (int c = 0; c < k; c++) {
                    classStart[base + c + 1] += classStart[base + c];
                }
                System.arraycopy(classStart, base, cursor, 0, k);
                for (int t = first; t < last; t++) {
                    pairs[first + cursor[top[t]]++] = t;
                }
            }
        });
    }

    /**
     * Row {@code i}'s softmax from its logits at {@code z[o ..]}, its top {@code m} classes and tail.
     * The classes are ranked by their exponentials ({@code pr}, before the division by their sum,
     * which keeps the order), so only the {@code m} kept probabilities are divided: dividing all
     * {@code K} of them was most of a row's cost at {@code K = 1000}. The ranking is
     * {@link HeadKernels#topClasses} (a threshold first, then an insertion pass over the few classes
     * that reach it): one insertion pass over all {@code K} classes (about 550 shifts of the kept
     * list a row at {@code K = 1000, m = 16} on exchangeable values) was half of this method's JFR
     * samples on bench {@code syn}.
     */
    private void truncate(double[] z, int o, int i, double[] pr, double[] groupMax, int[] index) {
        System.arraycopy(z, o, pr, 0, k);
        // four running maxima (the largest is the same in any order): one chain of k dependent
        // comparisons took a third of this method's time at K = 1000
        double m0 = Double.NEGATIVE_INFINITY;
        double m1 = m0;
        double m2 = m0;
        double m3 = m0;
        int c = 0;
        for (; c + 4 <= k; c += 4) {
            m0 = Math.max(m0, pr[c]);
            m1 = Math.max(m1, pr[c + 1]);
            m2 = Math.max(m2, pr[c + 2]);
            m3 = Math.max(m3, pr[c + 3]);
        }
        for (; c < k; c++) {
            m0 = Math.max(m0, pr[c]);
        }
        double max = Math.max(Math.max(m0, m1), Math.max(m2, m3));
        double sum = HeadKernels.expInPlace(pr, 0, k, max);
        int base = i * m;
        HeadKernels.topClasses(pr, k, m, top, base, groupMax, index);
        double mass = 0;
        for (int s = 0; s < m; s++) {
            kept[base + s] = pr[top[base + s]] / sum;
            mass += kept[base + s];
        }
        rho[i] = m < k ? Math.max(0.0, 1.0 - mass) / (k - m) : 0.0;
    }

    /** {@code delta_c = sum_i beta_i p~_ic (1 - p~_ic)}: the tail's share for every class, then the kept classes. */
    private void classWeights() {
        double common = 0;
        for (int i = 0; i < n; i++) {
            common += beta[i] * rho[i] * (1 - rho[i]);
        }
        Arrays.fill(delta, common);
        for (int i = 0; i < n; i++) {
            double tail = rho[i] * (1 - rho[i]);
            for (int s = 0; s < m; s++) {
                double pc = kept[i * m + s];
                delta[top[i * m + s]] += beta[i] * (pc * (1 - pc) - tail);
            }
        }
    }

    /** {@code M = sum_i beta_i rho_i x~_i x~_i^T} and its first {@code d} columns (one pass). */
    private void tailMoment() {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = beta[i] * rho[i];
        }
        moment(w, tailMoment);
        for (int l = 0; l < dd; l++) {
            System.arraycopy(tailMoment, l * dd, tailMomentColumns, l * d, d);
        }
    }

    /**
     * The feature second moment {@code C = sum_i beta_i x~_i x~_i^T} ({@code D x D}, bias included)
     * over every row, for the class-block preconditioner: one pass, computed on first use and kept
     * (it depends only on the rows).
     */
    public double[] featureMoment() {
        if (featureMoment == null) {
            featureMoment = new double[dd * dd];
            double total = data.weightTotal();
            double[] w = new double[n];
            for (int b = 0; b < data.blockCount(); b++) {
                double[] wb = data.blockWeights(b);
                for (int r = 0; r < data.blockRows(b); r++) {
                    w[b * FullData.BLOCK_ROWS + r] = (wb == null ? 1.0 : wb[r]) / total;
                }
            }
            moment(w, featureMoment);
        }
        return featureMoment;
    }

    /**
     * {@code out = sum_i w_i x~_i x~_i^T} ({@code D x D}), block by block in order: each block's
     * {@link HeadKernels#stepSecondMoment} (its lower triangle, mirrored: half the multiply-adds of the
     * transpose product of {@code d} "classes" it replaces), added into {@code out} in block order.
     */
    private void moment(double[] w, double[] out) {
        Arrays.fill(out, 0.0);
        int blocks = data.blockCount();
        // a block's moment by one thread, several blocks at once, added in block order: the same bits
        // as each block split over threads (every entry sums the block's rows in one order) without
        // the split's imbalance (the lower triangle's last class tile holds most of it) or a pass of
        // the threads over the rows for every block
        int group = Math.max(1, parallel.threads());
        int slots = Math.min(group, blocks);
        if (momentParts == null || momentParts.length < slots) {
            momentParts = new double[slots][dd * dd];
            momentWeights = new double[slots][Math.min(n, FullData.BLOCK_ROWS)];
        }
        for (int b0 = 0; b0 < blocks; b0 += group) {
            int first = b0;
            int count = Math.min(group, blocks - b0);
            // a lone block (a small data set, or the last of an odd count) keeps the threads
            Parallel inner = count == 1 ? parallel : Parallel.SERIAL;
            parallel.forRange(count, 1, (lo, hi) -> {
                for (int g = lo; g < hi; g++) {
                    int b = first + g;
                    int rows = data.blockRows(b);
                    double[] wb = momentWeights[g];
                    System.arraycopy(w, b * FullData.BLOCK_ROWS, wb, 0, rows);
                    float[] xf = data.floatBlock(b);
                    if (xf != null) {
                        HeadKernels.stepSecondMoment(xf, rows, d, wb, momentParts[g], inner);
                    } else {
                        HeadKernels.stepSecondMoment(data.doubleBlock(b), rows, d, wb, momentParts[g], inner);
                    }
                }
            });
            for (int g = 0; g < count; g++) {
                double[] part = momentParts[g];
                for (int t = 0; t < dd * dd; t++) {
                    out[t] += part[t];
                }
            }
        }
        rowsRead += n;
    }

    /**
     * The class weights {@code delta_c = sum_i beta_i p~_ic (1 - p~_ic)} (the mean curvature weight
     * of each class's diagonal block, for the class-block preconditioner); a view, valid until the
     * next {@link #prepare}.
     */
    public double[] classCurvatureWeights() {
        return delta;
    }

    /**
     * {@code out = G~ v} ({@code K x D}, row-major); {@code v} is not modified. Two reads of the rows
     * ({@code 4 n m D} multiply-adds) and {@code 2 K D^2} for the tail.
     */
    public void product(double[] v, double[] out) {
        Arrays.fill(vsum, 0.0);
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < dd; j++) {
                vsum[j] += v[c * dd + j];
            }
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        for (double[] part : partial) {
            Arrays.fill(part, 0.0);
        }
        parallel.forRange(chunks, 1, (h0, h1) -> {
            double[] t = new double[m];
            double[] row = new double[d];
            for (int h = h0; h < h1; h++) {
                firstPass(v, h, t, row);
            }
        });
        // e, summed over chunks in order, goes into every class row
        double[] e = new double[dd];
        for (int h = 0; h < chunks; h++) {
            for (int j = 0; j < dd; j++) {
                e[j] += partial[h][j];
            }
        }
        // V M: (V M)_cj = sum_l v_cl M_lj, as a transpose product over l with the d columns of M,
        // then its bias column (which the product would fill with sum_l v_cl) from M's last column
        for (int c = 0; c < k; c++) {
            for (int l = 0; l < dd; l++) {
                vt[l * k + c] = v[c * dd + l];
            }
        }
        HeadKernels.transposeProduct(vt, tailMomentColumns, dd, d, k, vm, parallel);
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int l = 0; l < dd; l++) {
                s += v[c * dd + l] * tailMoment[l * dd + d];
            }
            vm[c * dd + d] = s;
        }
        // second pass: each part of the classes streams the rows in order and adds a_ic x~_i to its
        // classes, so every class sums its rows in row order whatever the parts (and the threads) are
        int parts = classParts();
        parallel.forRange(parts, 1, (q0, q1) -> {
            double[] row = floatRows ? null : new double[d];
            for (int q = q0; q < q1; q++) {
                int c0 = (int) ((long) k * q / parts);
                int c1 = (int) ((long) k * (q + 1) / parts);
                for (int c = c0; c < c1; c++) {
                    double[] classRow = classRows[c];
                    for (int j = 0; j < dd; j++) {
                        classRow[j] = vm[c * dd + j] + e[j];
                    }
                }
                if (floatRows) {
                    addByClass(c0, c1, groupAlpha[q], groupOffsets[q]);
                } else {
                    for (int i = 0; i < n; i++) {
                        float[] xf = inPlace(i, row);
                        int xo = (i % FullData.BLOCK_ROWS) * d;
                        for (int t = i * m; t < i * m + m; t++) {
                            int c = top[t];
                            double a = coef[t];
                            if (c < c0 || c >= c1 || a == 0) {
                                continue;
                            }
                            double[] classRow = classRows[c];
                            axpyRow(a, xf, xo, row, classRow);
                            classRow[d] += a;
                        }
                    }
                }
                for (int c = c0; c < c1; c++) {
                    System.arraycopy(classRows[c], 0, out, c * dd, dd);
                }
            }
        });
        rowsRead += 2L * n;
    }

    /** The second pass's parts of the classes: one per thread, at most one per class. */
    private int classParts() {
        return Math.max(1, Math.min(k, parallel.threads()));
    }

    /**
     * The second pass for classes {@code [c0, c1)} on float rows where they lie: chunk by chunk, each class adds
     * its rows of the chunk ({@link #pairs}, in row order) through {@link HeadKernels#axpyRows}, which keeps the
     * class row in registers across them. Every class adds the same rows in the same order as the row-by-row
     * loop, so the same bits; a class's row is read and written once a chunk instead of once for each of its rows
     * there. On bench {@code syn} ({@code m = 16} of {@code K = 1000} classes a row, 50000 rows of 256 floats, two
     * threads, 2026-12-08) a product at the fourth iterate took 35-36 ms against 44-47 ms with the row-by-row
     * loop (timed loops, two JVMs each), and whole runs the same steps and bits in 16.05-16.40 s against
     * 16.68-16.77 s (first runs, three alternating pairs; warm 13.04-13.81 s against 13.72-14.20 s). A row by
     * row order cannot hold a class row in registers: its next row goes to other classes.
     */
    private void addByClass(int c0, int c1, double[] alpha, int[] offsets) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        for (int h = 0; h < chunks; h++) {
            int base = h * (k + 1);
            int first = h * CHUNK * m;
            // a chunk lies in one block (CHUNK divides BLOCK_ROWS)
            int block = h * CHUNK / FullData.BLOCK_ROWS;
            float[] xf = data.floatBlock(block);
            int rowBase = block * FullData.BLOCK_ROWS;
            for (int c = c0; c < c1; c++) {
                int count = 0;
                double[] classRow = classRows[c];
                for (int u = first + classStart[base + c], end = first + classStart[base + c + 1]; u < end; u++) {
                    int t = pairs[u];
                    double a = coef[t];
                    if (a != 0) {
                        alpha[count] = a;
                        offsets[count] = (t / m - rowBase) * d;
                        count++;
                        classRow[d] += a;
                    }
                }
                if (count > 0) {
                    HeadKernels.axpyRows(alpha, xf, offsets, count, classRow, d);
                }
            }
        }
    }

    /** Rows of chunk {@code h}: {@code t}, {@code pt}, the coefficients {@code a}, and the chunk's part of {@code e}. */
    private void firstPass(double[] v, int h, double[] t, double[] row) {
        int i0 = h * CHUNK;
        int i1 = Math.min(n, i0 + CHUNK);
        double[] part = partial[h];
        for (int i = i0; i < i1; i++) {
            float[] xf = inPlace(i, row);
            int xo = (i % FullData.BLOCK_ROWS) * d;
            int base = i * m;
            if (xf != null) {
                HeadKernels.gatherDots(xf, xo, d, v, dd, top, base, m, t);
            } else {
                HeadKernels.gatherDots(row, d, v, dd, top, base, m, t);
            }
            double sumKept = 0;
            for (int s = 0; s < m; s++) {
                t[s] += v[top[base + s] * dd + d]; // the bias
                sumKept += t[s];
            }
            double r = rho[i];
            double pt = r * ((xf != null ? HeadKernels.dot(xf, xo, vsum, 0, d) : HeadKernels.dot(row, 0, vsum, 0, d))
                    + vsum[d] - sumKept);
            for (int s = 0; s < m; s++) {
                pt += kept[base + s] * t[s];
            }
            for (int s = 0; s < m; s++) {
                coef[base + s] = beta[i] * (kept[base + s] - r) * (t[s] - pt);
            }
            double ei = -beta[i] * r * pt;
            if (ei != 0) {
                axpyRow(ei, xf, xo, row, part);
                part[d] += ei;
            }
        }
    }

    /**
     * The float block holding row {@code i} (at {@code (i % BLOCK_ROWS) d}) when the kernels read float rows
     * where they lie ({@link HeadKernels#floatRowsInPlace}); else null, with the row widened once into the
     * zero-based double {@code row} ({@link #widen}) for the plain loops. The same bits either way.
     */
    private float[] inPlace(int i, double[] row) {
        if (floatRows) {
            return data.floatBlock(i / FullData.BLOCK_ROWS);
        }
        widen(i, row);
        return null;
    }

    /** {@code y[0 .. d) += a x~_i} from the float block {@code xf} at {@code xo}, or from {@code row} when it is null. */
    private void axpyRow(double a, float[] xf, int xo, double[] row, double[] y) {
        if (xf != null) {
            HeadKernels.axpy(a, xf, xo, y, 0, d);
        } else {
            HeadKernels.axpy(a, row, 0, y, 0, d);
        }
    }

    /** Row {@code i}'s features, widened to double into {@code row}. */
    private void widen(int i, double[] row) {
        int b = i / FullData.BLOCK_ROWS;
        int xo = (i - b * FullData.BLOCK_ROWS) * d;
        float[] xf = data.floatBlock(b);
        if (xf != null) {
            for (int j = 0; j < d; j++) {
                row[j] = xf[xo + j];
            }
        } else {
            System.arraycopy(data.doubleBlock(b), xo, row, 0, d);
        }
    }
}
