package io.github.fastgn.internal.linalg;

import java.util.Arrays;

/**
 * The back end behind {@link HeadKernels} and {@link Cholesky}: tile-level kernels, implemented
 * twice, by {@link ScalarKernels} (plain loops) and {@code VectorKernels} (the incubating Vector
 * API, loaded only when the JVM has {@code jdk.incubator.vector}; see {@link KernelProvider}).
 *
 * <p>This class owns the partitioning. Every product is cut into tiles, each output element is
 * computed by exactly one tile, and its arithmetic never depends on the tile: where tile bounds
 * follow the thread count (the vector path's transpose-product column tiles) no element's sum
 * changes with them. Inside an implementation the arithmetic of one output element is also the
 * same whichever micro-kernel (full register block or edge case) computes it:
 * <ul>
 *   <li>row products and Gram entries (a reduction over features {@code j}): the vector path
 *       keeps one lane-wise partial sum per {@code j mod L} ({@code L} = lanes of the preferred
 *       species) with fused multiply-adds, adds the lanes in lane order, then the tail
 *       {@code j >= L floor(n/L)} in order with {@code Math.fma}, then the bias; the scalar path
 *       adds the features in order, four products summed first, in groups fixed by {@code n}
 *       (see {@code ScalarRows.java.template}), with separate multiply and add;</li>
 *   <li>transpose products (a reduction over examples {@code i}): both paths add the terms in
 *       example order {@code i = 0, 1, ..}; the vector path fuses each multiply-add (the axpy
 *       tiles and the packed panels alike, so they agree bit for bit), the scalar path sums four
 *       examples' products first, in groups fixed by the example count;</li>
 *   <li>with many classes and features ({@link #onPanels}: at least 24 of each on 512-bit
 *       vectors, at least 256 classes and 64 features on the scalar path where {@code Math.fma}
 *       runs in hardware) both products run on packed panels ({@link Panels}) instead, the same
 *       packing and tasks on both paths with a micro-kernel of their own ({@code VectorPanels},
 *       {@link ScalarPanels}) and the same arithmetic: a row-product entry starts from its bias
 *       and adds the features in order, a transpose-product entry adds the examples in order,
 *       one fused multiply-add each, so there the two paths agree bit for bit;</li>
 *   <li>the fused product ({@link #fusedProduct}) sums each transpose-product entry over row
 *       blocks whose bounds depend on the row count only, each block in example order as above,
 *       then adds the blocks' sums in block order;</li>
 *   <li>compressed sparse rows ({@link #csrRowSums}, {@link #csrScatter}): a row-product entry
 *       adds the row's values in stored order from 0, then the bias, a transpose-product entry
 *       the examples in order, one rounded product and one rounded addition each on both paths,
 *       so there the two paths agree bit for bit.</li>
 * </ul>
 * So results are bit-identical for any thread count within one path, and the two paths differ by
 * rounding only (on dense rows). Exponentials ({@link #expInPlace}) are bit-identical across both paths.
 */
abstract class Kernels {

    /** Multiply-adds below which a product stays on the calling thread. */
    static final long PARALLEL_WORK = 1L << 16;
    /** Rows per tile of the row product and the Gram matrix. */
    static final int ROW_TILE = 64;
    /** Bytes of parameter rows one row-product tile reuses (kept in L2). */
    static final int V_TILE_BYTES = 1 << 18;
    /** Side of the square tiles of {@link #secondMoment}. */
    static final int MOMENT_TILE = 128;
    /** Classes per tile of the transpose product when K is large. */
    static final int K_TILE = 128;

    /** The products on packed panels, used where {@link Panels#suits} says so; null for none. */
    private final Panels panels;

    Kernels(Panels panels) {
        this.panels = panels;
    }

    /** A short name for logs and benchmark tables. */
    abstract String name();

    /** Whether the products of {@code d} features and {@code k} classes run on the packed panels. */
    final boolean onPanels(int d, int k) {
        return panels != null && panels.suits(d, k);
    }

    /**
     * Columns per tile of the transpose product of {@code d} features cut into {@code kTiles}
     * class blocks, run by a pool of {@code threads}. Results do not depend on it (every element
     * is summed over examples in an order fixed by the example count), so each implementation
     * picks what suits its loops and the pool.
     */
    abstract int columnTile(int d, int kTiles, int threads);

    // ------------------------------------------------------------------ tile kernels

    /**
     * {@code out[i*ldo + c] = sum_{j<n} a[i*n + j] * b[c*ldb + j] (+ b[c*ldb + n] if bias)} for
     * {@code i} in {@code [r0, r1)}, {@code c} in {@code [c0, c1)}.
     */
    abstract void dotTile(double[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                          int r0, int r1, int c0, int c1);

    /** As the double version, with float rows {@code a} widened to double. */
    abstract void dotTile(float[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                          int r0, int r1, int c0, int c1);

    /**
     * {@code out[c*ldo + j] = sum_{r0<=i<r1} coef[i*k + c] * x[i*d + j]}, summed in order of
     * {@code i}, for {@code c} in {@code [c0, c1)}, {@code j} in {@code [j0, j1)}; with {@code add}
     * the sum starts from the entry's value instead of 0 ({@code r0} then a multiple of 4, so the
     * scalar path's groups of four stay whole).
     */
    abstract void axpyTile(double[] coef, double[] x, int r0, int r1, int d, int k, double[] out, int ldo,
                           int c0, int c1, int j0, int j1, boolean add);

    /** As the double version, with float features widened to double. */
    abstract void axpyTile(double[] coef, float[] x, int r0, int r1, int d, int k, double[] out, int ldo,
                           int c0, int c1, int j0, int j1, boolean add);

    /**
     * Cholesky panel: {@code p} holds {@code nb} rows of length {@code ldp} (row {@code j} is
     * column {@code kb + j} of the trailing rows). Overwrites columns {@code [i0, i1)} of
     * {@code p} with the solution of {@code P := L11^{-1} P}, where {@code L11} is the factored
     * diagonal block at {@code a[kb*n + kb]}. Per column: row {@code j} is
     * {@code (p_j - sum_{m<j} L11[j][m] p_m) / L11[j][j]}, the sum in order of {@code m}.
     */
    abstract void trsmPanel(double[] a, int n, int kb, int nb, double[] p, int ldp, int i0, int i1);

    /**
     * Cholesky trailing update of the lower triangle:
     * {@code a[i*n + l] -= sum_{m<nb} p[m*ldp + i - off] * p[m*ldp + l - off]} (in order of
     * {@code m}) for {@code i} in {@code [r0, r1)} and {@code l} in {@code [l0, min(l1, i + 1))}.
     * Never touches {@code l > i}.
     */
    abstract void syrkTile(double[] a, int n, double[] p, int ldp, int nb, int off, int r0, int r1, int l0, int l1);

    /**
     * {@code v[i] = exp(v[i] - shift)} for {@code i} in {@code [from, to)}; returns their sum (in
     * an order fixed by the implementation). The softmax of a row: every logit pass of a step
     * spends its time here once K is large (50 M exponentials a pass for n = 50000, K = 1000).
     * Both paths compute every exponential with {@link Exp#exp} (the vector path lane-wise, with
     * the same operations), so {@code v} gets the same bits on both paths and in every JIT tier;
     * the sums differ by rounding only (the vector path keeps one partial sum per lane on rows of
     * at least {@code 4 L} entries and sums shorter rows in order, as the scalar path does).
     */
    abstract double expInPlace(double[] v, int from, int to, double shift);

    /**
     * The indices {@code c} in {@code [0, k)} with {@code v[c] >= tau}, ascending, into {@code out};
     * returns their number. Exact comparisons, so both paths give the same indices.
     */
    abstract int atLeast(double[] v, int k, double tau, int[] out);

    /** Groups of {@link #topClasses}'s threshold: classes {@code c} and {@code c + TOP_GROUPS} share one. */
    static final int TOP_GROUPS = 64;

    /**
     * The {@code m} largest of {@code v[0 .. k)} into {@code top[base .. base + m)}, as class indices
     * in decreasing value, equal values in increasing index: what one insertion pass over all
     * {@code k} values gives, in fewer comparisons. The largest value of each of {@value #TOP_GROUPS}
     * groups of classes gives a threshold, the {@code m}-th largest of them: at least {@code m}
     * values reach it, so the {@code m} largest are among the classes at or above it
     * ({@link #atLeast}, a vector compare on the Vector API path), about 18 of 1000 when the values
     * are exchangeable and {@code m = 16} (measured on exponentials of Gaussian logits), and only
     * those go through the insertion. Selection
     * only (no arithmetic), so both paths give the same indices.
     *
     * @param groupMax scratch of at least {@value #TOP_GROUPS} entries
     * @param index    scratch of at least {@code k} entries
     */
    final void topClasses(double[] v, int k, int m, int[] top, int base, double[] groupMax, int[] index) {
        int count;
        if (k < 4 * TOP_GROUPS || 4 * m > TOP_GROUPS) {
            count = k;
            for (int c = 0; c < k; c++) {
                index[c] = c;
            }
        } else {
            Arrays.fill(groupMax, 0, TOP_GROUPS, Double.NEGATIVE_INFINITY);
            int full = k - k % TOP_GROUPS;
            for (int c = 0; c < full; c += TOP_GROUPS) {
                for (int j = 0; j < TOP_GROUPS; j++) {
                    groupMax[j] = Math.max(groupMax[j], v[c + j]);
                }
            }
            for (int c = full; c < k; c++) {
                groupMax[c - full] = Math.max(groupMax[c - full], v[c]);
            }
            // the m-th largest group maximum, with top[base ..] as scratch (the final pass overwrites it)
            for (int j = 0; j < TOP_GROUPS; j++) {
                index[j] = j;
            }
            insertLargest(groupMax, index, TOP_GROUPS, m, top, base);
            count = atLeast(v, k, groupMax[top[base + m - 1]], index);
        }
        insertLargest(v, index, count, m, top, base);
    }

    /**
     * The {@code m} largest of {@code v[index[0 .. count))} ({@code count >= m}) into
     * {@code top[base .. base + m)}, in decreasing value, equal values in the order they come: one
     * insertion pass into a descending list, a candidate entering only above the list's smallest.
     */
    private static void insertLargest(double[] v, int[] index, int count, int m, int[] top, int base) {
        int filled = 0;
        double least = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < count; s++) {
            int c = index[s];
            double q = v[c];
            if (filled < m || q > least) {
                int pos = filled < m ? filled++ : m - 1;
                while (pos > 0 && v[top[base + pos - 1]] < q) {
                    top[base + pos] = top[base + pos - 1];
                    pos--;
                }
                top[base + pos] = c;
                if (filled == m) {
                    least = v[top[base + m - 1]];
                }
            }
        }
    }

    /**
     * Dot products of one row with gathered rows of a matrix:
     * {@code out[s] = sum_(j < n) row[j] v[idx[off + s] ldv + j]} for {@code s < m}, each summed in
     * an order fixed by the implementation. The top-competitor curvature's first read
     * ({@code CompetitorCurvature}): a row against its {@code m} kept classes' parameter rows.
     */
    abstract void gatherDots(double[] row, int n, double[] v, int ldv, int[] idx, int off, int m, double[] out);

    /** {@code y[yo + j] += alpha x[xo + j]} for {@code j < n}. */
    abstract void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n);

    /** {@code sum_(j < n) a[ao + j] b[bo + j]}, summed in an order fixed by the implementation. */
    abstract double dot(double[] a, int ao, double[] b, int bo, int n);

    /**
     * {@link #gatherDots(double[], int, double[], int, int[], int, int, double[])} of the float row
     * {@code row[ro .. ro + n)}: the bits of the same call on the row widened to double.
     */
    abstract void gatherDots(float[] row, int ro, int n, double[] v, int ldv, int[] idx, int off, int m,
                             double[] out);

    /** {@link #axpy(double, double[], int, double[], int, int)} of a float row: the bits of its widened copy. */
    abstract void axpy(double alpha, float[] x, int xo, double[] y, int yo, int n);

    /** {@link #dot(double[], int, double[], int, int)} of a float row: the bits of its widened copy. */
    abstract double dot(float[] a, int ao, double[] b, int bo, int n);

    /**
     * {@code y[0 .. n) += alpha[q] x[xo[q] ..]} for {@code q = 0 .. count-1}, in that order: the bits of
     * {@link #axpy(double, float[], int, double[], int, int)} called for each {@code q}. This form makes those
     * calls; the Vector API path keeps strips of {@code y} in registers across the rows.
     */
    void axpyRows(double[] alpha, float[] x, int[] xo, int count, double[] y, int n) {
        for (int q = 0; q < count; q++) {
            axpy(alpha[q], x, xo[q], y, 0, n);
        }
    }

    /**
     * Whether the float-row forms read a row where it lies (the Vector API path widens each lane as
     * it loads it). If not (the plain loops, which C2 runs on SIMD lanes only over zero-based
     * double rows), they widen a copy on every call, and a caller making several calls on one row
     * widens it once itself and calls the double forms.
     */
    abstract boolean floatRowsInPlace();

    // ------------------------------------------------------------------ compressed sparse rows

    /**
     * The row sums of a product over compressed sparse rows ({@code CsrRowsDouble},
     * {@code CsrRowsFloat}) for rows {@code [r0, r1)}:
     * {@code out[i k + c] = (sum_p val[p] vt[idx[p] k + c]) + bias[c]}, over the row's values
     * {@code p} in {@code [ptr[i], ptr[i+1])} in stored order, each class's sum starting from 0 with
     * one rounded product and one rounded addition per value (no fused multiply-add): both paths give
     * the same bits.
     */
    abstract void csrRowSums(int[] ptr, int[] idx, double[] val, int r0, int r1, double[] vt, int k,
                             double[] bias, double[] out);

    /** As {@link #csrRowSums(int[], int[], double[], int, int, double[], int, double[], double[])}, float values. */
    abstract void csrRowSums(int[] ptr, int[] idx, float[] val, int r0, int r1, double[] vt, int k,
                             double[] bias, double[] out);

    /**
     * Part {@code q} of {@code parts} (a power of two) of a sparse transpose product's sums: for
     * every row {@code i < n} in order, each of its values {@code p} whose slot
     * {@code t = slots[p]} has {@code (t >>> shift) & (parts - 1) == q} adds
     * {@code coef[i k + c] val[p]} to {@code acc[t k + c]} for every class {@code c}, one rounded
     * product and one rounded addition each: both paths give the same bits.
     */
    abstract void csrScatter(double[] coef, int[] ptr, int[] slots, double[] val, int n, int k, int q, int parts,
                             int shift, double[] acc);

    /** As {@link #csrScatter(double[], int[], int[], double[], int, int, int, int, int, double[])}, float values. */
    abstract void csrScatter(double[] coef, int[] ptr, int[] slots, float[] val, int n, int k, int q, int parts,
                             int shift, double[] acc);

    // ------------------------------------------------------------------ partitioned products

    final void rowProduct(double[] x, int rows, int d, double[] v, int k, double[] out, Parallel par) {
        rowProduct(x, null, rows, d, v, k, out, par);
    }

    final void rowProduct(float[] x, int rows, int d, double[] v, int k, double[] out, Parallel par) {
        rowProduct(null, x, rows, d, v, k, out, par);
    }

    /** The row product of features {@code xd} or, when it is null, {@code xf}: on the panels if they suit, else on the dot tiles. */
    private void rowProduct(double[] xd, float[] xf, int rows, int d, double[] v, int k, double[] out, Parallel par) {
        if (onPanels(d, k)) {
            panels.rowProduct(xd, xf, rows, d, v, k, out, par);
            return;
        }
        int dd = d + 1;
        int kTile = kTile(k, dd);
        int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
        int kTiles = (k + kTile - 1) / kTile;
        int tiles = rowTiles * kTiles;
        long work = (long) rows * d * k;
        par.forRange(tiles, work < PARALLEL_WORK ? tiles : 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int r0 = (t / kTiles) * ROW_TILE;
                int r1 = Math.min(rows, r0 + ROW_TILE);
                int c0 = (t % kTiles) * kTile;
                int c1 = Math.min(k, c0 + kTile);
                if (xd != null) {
                    dotTile(xd, v, dd, d, true, out, k, r0, r1, c0, c1);
                } else {
                    dotTile(xf, v, dd, d, true, out, k, r0, r1, c0, c1);
                }
            }
        });
    }

    /** Parameter rows per row-product tile: all of them when they fit {@link #V_TILE_BYTES}. */
    private static int kTile(int k, int dd) {
        int fit = Math.max(12, V_TILE_BYTES / (8 * dd) / 12 * 12);
        return k <= fit ? k : fit;
    }

    final void transposeProduct(double[] c, double[] x, int rows, int d, int k, double[] out, Parallel par) {
        transposeProduct(c, x, null, rows, d, k, out, par);
    }

    final void transposeProduct(double[] c, float[] x, int rows, int d, int k, double[] out, Parallel par) {
        transposeProduct(c, null, x, rows, d, k, out, par);
    }

    /** The transpose product of features {@code xd} or, when it is null, {@code xf}: on the panels if they suit, else on the axpy tiles. */
    private void transposeProduct(double[] c, double[] xd, float[] xf, int rows, int d, int k, double[] out, Parallel par) {
        if (onPanels(d, k)) {
            panels.transposeProduct(c, xd, xf, rows, d, k, out, par);
            return;
        }
        int dd = d + 1;
        int kTile = k <= K_TILE + K_TILE / 2 ? Math.max(1, k) : K_TILE;
        int kTiles = (k + kTile - 1) / kTile;
        int colTile = Math.max(1, columnTile(d, kTiles, par.threads()));
        int colTiles = Math.max(1, (d + colTile - 1) / colTile);
        int tiles = colTiles * kTiles;
        long work = (long) rows * d * k;
        par.forRange(tiles, work < PARALLEL_WORK ? tiles : 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int c0 = (t / colTiles) * kTile;
                int c1 = Math.min(k, c0 + kTile);
                int j0 = (t % colTiles) * colTile;
                int j1 = Math.min(d, j0 + colTile);
                if (j0 < j1) {
                    if (xd != null) {
                        axpyTile(c, xd, 0, rows, d, k, out, dd, c0, c1, j0, j1, false);
                    } else {
                        axpyTile(c, xf, 0, rows, d, k, out, dd, c0, c1, j0, j1, false);
                    }
                }
                // the first column tile of each class block also computes that block's bias column
                if (j0 == 0) {
                    biasColumn(c, rows, k, out, dd, d, c0, c1);
                }
            }
        });
    }

    /** Rows per tile of the fused product: a tile's features stay in L2 between its two reads. */
    static final int FUSED_TILE = 64;
    /** Row blocks of the fused product at most: each sums into its own partial, added in block order. */
    static final int FUSED_BLOCKS = 16;
    /** Parameters ({@code K (d + 1)}) of a fused product at most: its partials stay small (512 KiB each). */
    static final int FUSED_MAX_PARAMETERS = 1 << 16;

    /**
     * Whether {@link #fusedProduct} takes {@code d} features and {@code k} classes: on kernels
     * whose products are bound by reading the features ({@link #fusedReadsPay}), shapes off the
     * packed panels (few classes, whose products stream the features rather than reuse them) with
     * at most {@link #FUSED_MAX_PARAMETERS} parameters.
     */
    final boolean fuses(int d, int k) {
        return fusedReadsPay() && !onPanels(d, k) && (long) k * (d + 1) <= FUSED_MAX_PARAMETERS;
    }

    /** Whether these kernels' few-class products wait on reading the features, so that one read for two pays. */
    abstract boolean fusedReadsPay();

    /** Row blocks of a fused product over {@code rows} rows ({@link #fusedBlockRows} each, the last shorter). */
    static int fusedBlocks(int rows) {
        int per = fusedBlockRows(rows);
        return Math.max(1, (rows + per - 1) / per);
    }

    /** Rows per block of a fused product: about a {@link #FUSED_BLOCKS}th of the rows, whole tiles. */
    static int fusedBlockRows(int rows) {
        int per = (rows + FUSED_BLOCKS - 1) / FUSED_BLOCKS;
        return Math.max(1, (per + FUSED_TILE - 1) / FUSED_TILE) * FUSED_TILE;
    }

    /**
     * A row product, a per-row map and a transpose product in one read of the features: for each
     * tile of {@link #FUSED_TILE} rows, {@code z = X~ V^T} on the tile (the same bits as
     * {@link #rowProduct}), then {@code map.apply(r0, r1)} (which turns rows {@code [r0, r1)} of
     * {@code z} into rows of {@code coef}; {@code coef} may be {@code z}), then the tile's terms of
     * {@code C^T X~} while its features are still in cache. The transpose sums run per row block
     * ({@link #fusedBlockRows}, bounds from the row count only) into {@code partials}, added in
     * block order, so the result is the same for any thread count; it differs from
     * {@link #transposeProduct}'s in-order sum by rounding only. Only where {@link #fuses}.
     *
     * @param partials at least {@link #fusedBlocks fusedBlocks(rows)} arrays of at least {@code K D} entries; overwritten
     */
    final void fusedProduct(double[] xd, float[] xf, int rows, int d, double[] v, int k, double[] z,
                            HeadKernels.RowMap map, double[] coef, double[][] partials, double[] out, Parallel par) {
        int dd = d + 1;
        int p = k * dd;
        int per = fusedBlockRows(rows);
        int blocks = fusedBlocks(rows);
        int kTile = kTile(k, dd);
        par.forRange(blocks, 1, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                double[] part = partials[b];
                java.util.Arrays.fill(part, 0, p, 0.0);
                for (int r0 = b * per, end = Math.min(rows, r0 + per); r0 < end; r0 += FUSED_TILE) {
                    int r1 = Math.min(end, r0 + FUSED_TILE);
                    for (int c0 = 0; c0 < k; c0 += kTile) {
                        if (xd != null) {
                            dotTile(xd, v, dd, d, true, z, k, r0, r1, c0, Math.min(k, c0 + kTile));
                        } else {
                            dotTile(xf, v, dd, d, true, z, k, r0, r1, c0, Math.min(k, c0 + kTile));
                        }
                    }
                    map.apply(r0, r1);
                    if (xd != null) {
                        axpyTile(coef, xd, r0, r1, d, k, part, dd, 0, k, 0, d, true);
                    } else {
                        axpyTile(coef, xf, r0, r1, d, k, part, dd, 0, k, 0, d, true);
                    }
                    // the bias column: each class's coefficients summed over the rows in order
                    for (int i = r0; i < r1; i++) {
                        for (int c = 0; c < k; c++) {
                            part[c * dd + d] += coef[i * k + c];
                        }
                    }
                }
            }
        });
        par.forRange(p, Math.max(1024, p / 8), (lo, hi) -> {
            for (int e = lo; e < hi; e++) {
                double sum = partials[0][e];
                for (int b = 1; b < blocks; b++) {
                    sum += partials[b][e];
                }
                out[e] = sum;
            }
        });
    }

    /**
     * {@code out[c*dd + d] = sum_i coef[i*k + c]} for {@code c} in {@code [c0, c1)}, in order of
     * {@code i}, read row by row; shared by both paths.
     */
    static void biasColumn(double[] coef, int rows, int k, double[] out, int dd, int d, int c0, int c1) {
        int w = c1 - c0;
        if (w <= 0) {
            return;
        }
        double[] s = new double[w];
        for (int i = 0; i < rows; i++) {
            int o = i * k + c0;
            for (int c = 0; c < w; c++) {
                s[c] += coef[o + c];
            }
        }
        for (int c = 0; c < w; c++) {
            out[(c0 + c) * dd + d] = s[c];
        }
    }

    /** Each thread's coefficient rows of {@link #secondMoment}. */
    private static final ThreadLocal<double[]> COEF = ThreadLocal.withInitial(() -> new double[0]);

    /**
     * The weighted second moment of the augmented rows, {@code out[j*D + l] = sum_i w[i] x~_ij x~_il}
     * ({@code D = d + 1}, {@code x~_id = 1}), full symmetric {@code D x D}, exactly symmetric.
     * Features come from {@code xd} or, when it is null, {@code xf}. Only the lower triangle of
     * {@code sum_i (w_i x_i) x_i^T} is computed, then mirrored: on the packed panels where they suit
     * ({@link Panels#momentLowerTriangle}, groups of the micro-kernel's rows, the scaled rows packed
     * as it goes), else as a transpose product of the coefficient rows {@code w_i x_i} with the
     * features as classes in square tiles {@code (cb, jb)}, {@code jb <= cb}. Half the
     * multiply-adds of the full product, and each entry summed over examples in order, so
     * bit-identical for any thread count.
     */
    final void secondMoment(double[] xd, float[] xf, int rows, int d, double[] w, double[] out, Parallel par) {
        int dd = d + 1;
        double total = 0;
        for (int i = 0; i < rows; i++) {
            total += w[i];
        }
        if (panels != null && panels.suitsMoment(d)) {
            // the panels pack the scaled rows themselves (no coefficient array)
            panels.momentLowerTriangle(w, xd, xf, rows, d, out, par);
        } else {
            // this thread's buffer: the top-competitor curvature takes a moment of every block each step,
            // and a fresh rows x d array each time (8 MB on a 4096 x 256 block) was a humongous
            // allocation that set off a collection cycle
            double[] coef = COEF.get();
            if (coef.length < rows * d) {
                coef = new double[rows * d];
                COEF.set(coef);
            }
            for (int i = 0; i < rows; i++) {
                double wi = w[i];
                int o = i * d;
                if (xd != null) {
                    for (int j = 0; j < d; j++) {
                        coef[o + j] = wi * xd[o + j];
                    }
                } else {
                    for (int j = 0; j < d; j++) {
                        coef[o + j] = wi * xf[o + j];
                    }
                }
            }
            momentLowerTriangle(coef, xd, xf, rows, d, out, par);
        }
        for (int c = 0; c < d; c++) {
            for (int j = c + 1; j < d; j++) {
                out[c * dd + j] = out[j * dd + c];
            }
            out[d * dd + c] = out[c * dd + d];
        }
        out[d * dd + d] = total;
    }

    /**
     * The lower triangle and the bias column of {@code sum_i coef_i x~_i^T} ({@code coef_i = w_i x_i},
     * the features as {@code d} classes) into {@code out} ({@code D x D}); the entries above the
     * diagonal may be left anything ({@link #secondMoment} mirrors them). Each entry sums over
     * examples in order.
     */
    private void momentLowerTriangle(double[] coef, double[] xd, float[] xf, int rows, int d, double[] out, Parallel par) {
        int dd = d + 1;
        int tile = Math.max(1, Math.min(MOMENT_TILE, d));
        int side = (d + tile - 1) / tile;
        int tiles = side * (side + 1) / 2;
        long work = (long) rows * d * d / 2;
        par.forRange(tiles, work < PARALLEL_WORK ? Math.max(1, tiles) : 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int cb = triangleRow(t);
                int jb = t - cb * (cb + 1) / 2;
                int c0 = cb * tile;
                int c1 = Math.min(d, c0 + tile);
                int j0 = jb * tile;
                int j1 = Math.min(d, j0 + tile);
                // rows c of out hold sum_i coef[i][c] x[i][j] for j in [j0, j1)
                if (xd != null) {
                    axpyTile(coef, xd, 0, rows, d, d, out, dd, c0, c1, j0, j1, false);
                } else {
                    axpyTile(coef, xf, 0, rows, d, d, out, dd, c0, c1, j0, j1, false);
                }
            }
        });
        if (d > 0) {
            biasColumn(coef, rows, d, out, dd, d, 0, d);
        }
    }

    /** The row {@code r} of lower-triangle tile number {@code t} (tiles {@code (r, l <= r)} enumerated row by row). */
    private static int triangleRow(int t) {
        int r = (int) ((Math.sqrt(8.0 * t + 1) - 1) / 2);
        while ((long) r * (r + 1) / 2 > t) {
            r--;
        }
        while ((long) (r + 1) * (r + 2) / 2 <= t) {
            r++;
        }
        return r;
    }

    final void gram(double[] x, int rows, int d, double[] out, Parallel par) {
        int tilesPerSide = (rows + ROW_TILE - 1) / ROW_TILE;
        int tiles = tilesPerSide * (tilesPerSide + 1) / 2;
        long work = (long) rows * rows * d / 2;
        // lower-triangle tiles (r, l <= r), enumerated row by row
        par.forRange(tiles, work < PARALLEL_WORK ? tiles : 1, (lo, hi) -> {
            int r = triangleRow(lo);
            int l = lo - r * (r + 1) / 2;
            for (int t = lo; t < hi; t++) {
                int r0 = r * ROW_TILE;
                int l0 = l * ROW_TILE;
                int r1 = Math.min(rows, r0 + ROW_TILE);
                int l1 = Math.min(rows, l0 + ROW_TILE);
                dotTile(x, x, d, d, false, out, rows, r0, r1, l0, l1);
                // mirror into the upper triangle while the tile is in cache (a diagonal tile is
                // already complete: x_i . x_l and x_l . x_i are the same sums)
                if (l < r) {
                    for (int i = r0; i < r1; i++) {
                        for (int c = l0; c < l1; c++) {
                            out[c * rows + i] = out[i * rows + c];
                        }
                    }
                }
                if (++l > r) {
                    r++;
                    l = 0;
                }
            }
        });
    }
}
