package io.github.fastgn.internal.head;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;

import java.util.Arrays;

/**
 * A whole training set for full-batch training at scale: the features stored once, in row blocks
 * of {@value #BLOCK_ROWS} (float when the caller's features are float, else double); the logits at the current point kept per block; and the
 * logit image of the current step. Those two {@code n x K} arrays are the only per-example state;
 * every per-example quantity of the margin (ALGORITHM.md §1) is recomputed block by block in one reused
 * {@link HeadBatch}, so memory is {@code 4 n d} bytes of float features (8 for double) plus {@code 16 n K} bytes of
 * logits and step, never {@code n x K x} anything else.
 *
 * <p>Sparse rows ({@link CsrFeatures}) are not copied: each block is a {@link CsrFeatures#rowRange}
 * view of the caller's matrix (only its row offsets are copied), and a curvature sample is gathered
 * from it.
 *
 * <p>A memory-mapped matrix ({@link MappedFloatFeatures}) is not copied either: each pass reads a
 * block's rows into one reused float buffer of {@value #BLOCK_ROWS} rows and evaluates it exactly
 * as an in-heap float block (bit-identical results), and a curvature sample is read row by row.
 * When its {@code n x K} logits and step image would crowd the heap they are kept in a temporary
 * memory-mapped file ({@code LogitStore}), so the heap holds {@code O(BLOCK_ROWS (d + K) + K d)}
 * values whatever {@code n}.
 *
 * <p>Why float: the products of a step with few classes are bound by memory traffic, and a float
 * matrix is half the traffic; the kernels widen each element and sum in double. Why blocks: a
 * block's products run on both cores while the next block's rows are not yet needed, and the
 * kernels take whole arrays, so blocks avoid copying rows on every pass.
 *
 * <p>Every pass visits the blocks in order and sums per-block results in that order; per-row work
 * inside a block is split over threads without changing any sum, so results do not depend on the
 * thread count.
 */
public final class FullData {

    /** Rows per block of dense features (and the fewest rows per block of sparse ones). */
    public static final int BLOCK_ROWS = 4096;
    /**
     * A block of sparse rows holds at least this many times {@code d} stored values. Each block pays
     * O(K d) on top of its products (the kernels' {@code d x K} temporaries, written and read in
     * whole, and the sum of its gradient into the total), which dense rows amortise over
     * {@code 4096 d} values; sparse rows of a few dozen values do not: on the bench's text set
     * (d = 2^18, K = 20, 49 values per row) 4096-row blocks made each pass 25 such O(K d) sweeps,
     * more than its products. A sweep streams {@code 8 K d} bytes while a product's values gather
     * {@code K} doubles each at random, so a sweep costs several values' worth per column: with
     * {@code 8 d} values per block (three blocks on that set) the sweeps still took about a third
     * of a pass, with {@code 32 d} (one block there; the {@code B x K} arrays of a block grow to
     * {@code n x K}, no more than the logits kept anyway) they are a small part.
     */
    static final int SPARSE_BLOCK_VALUES_PER_COLUMN = 32;

    private final int n;
    private final int d;
    private final int k;
    private final int p;
    /** Feature blocks: float ({@code xf}) or double ({@code xd}), as the caller's data came. */
    private final float[][] xf;
    private final double[][] xd;
    /** The caller's sparse rows and their block views, or null for dense features. */
    private final CsrFeatures sparse;
    private final CsrFeatures[] xs;
    /** The caller's mapped matrix and the buffer a block is read into, or null. */
    private final MappedFloatFeatures mapped;
    private final float[] mappedBlock;
    private final int[][] y;
    private final double[][] w;
    /** Logits at the current point and the step's logit image, per block. */
    private final LogitStore z;
    private final LogitStore dz;
    private final double total;
    private final HeadBatch batch;
    private final Parallel parallel;
    /** A later block's gradient, summed into the total ({@code K x D}); allocated only with several blocks. */
    private double[] part;
    /** Rows per block: {@link #BLOCK_ROWS}, or more for sparse rows ({@link #SPARSE_BLOCK_VALUES_PER_COLUMN}). */
    private final int blockRows;
    private final double[] rowLoss;
    /** Logits of a trial step length, one block ({@code blockRows x K}). */
    private final double[] trial;

    /**
     * Copies {@code x} (row-major {@code n x d}) into double blocks: the objective is exactly the
     * caller's. Pass float features to the float constructor for half the memory and traffic.
     *
     * @param weights example weights (non-negative, positive sum), or null
     */
    public FullData(double[] x, int[] y, double[] weights, int n, int d, int k, Parallel parallel) {
        this(n, d, k, weights, y, parallel, false, null, null);
        for (int b = 0; b < xd.length; b++) {
            System.arraycopy(x, b * BLOCK_ROWS * d, xd[b], 0, xd[b].length);
        }
    }

    /** As the double constructor, from float features, kept as float (products sum in double). */
    public FullData(float[] x, int[] y, double[] weights, int n, int d, int k, Parallel parallel) {
        this(n, d, k, weights, y, parallel, true, null, null);
        for (int b = 0; b < xf.length; b++) {
            System.arraycopy(x, b * BLOCK_ROWS * d, xf[b], 0, xf[b].length);
        }
    }

    /** As the double constructor, from sparse rows, which are shared (block views), never copied or densified. */
    public FullData(CsrFeatures x, int[] y, double[] weights, int k, Parallel parallel) {
        this(x.rows(), x.columns(), k, weights, y, parallel, false, x, null);
    }

    /**
     * As the float constructor, from a memory-mapped matrix, which is read block by block on every
     * pass and never copied onto the heap; the results are bit-identical to the float constructor's
     * on the same values.
     */
    public FullData(MappedFloatFeatures x, int[] y, double[] weights, int k, Parallel parallel) {
        this(x.rows(), x.columns(), k, weights, y, parallel, false, null, x);
    }

    private FullData(int n, int d, int k, double[] weights, int[] labels, Parallel parallel, boolean single,
                     CsrFeatures sparse, MappedFloatFeatures mapped) {
        if (n < 1 || d < 0 || k < 2) {
            throw new IllegalArgumentException("need n >= 1 rows and k >= 2 classes, got n=" + n + ", k=" + k);
        }
        this.n = n;
        this.d = d;
        this.k = k;
        this.p = k * (d + 1);
        this.parallel = parallel;
        this.blockRows = sparse == null ? BLOCK_ROWS : sparseBlockRows(n, d, sparse.storedValues());
        this.rowLoss = new double[Math.min(n, blockRows)];
        int blocks = (n + blockRows - 1) / blockRows;
        this.sparse = sparse;
        this.xs = sparse != null ? new CsrFeatures[blocks] : null;
        this.mapped = mapped;
        this.mappedBlock = mapped != null ? new float[Math.min(n, BLOCK_ROWS) * d] : null;
        this.xf = single ? new float[blocks][] : null;
        this.xd = single || sparse != null || mapped != null ? null : new double[blocks][];
        this.y = new int[blocks][];
        this.w = weights == null ? null : new double[blocks][];
        int[] lengths = new int[blocks];
        double t = 0;
        for (int b = 0; b < blocks; b++) {
            int lo = b * blockRows;
            int rows = Math.min(blockRows, n - lo);
            if (sparse != null) {
                xs[b] = sparse.rowRange(lo, lo + rows);
            } else if (single) {
                xf[b] = new float[rows * d];
            } else if (mapped == null) {
                xd[b] = new double[rows * d];
            }
            y[b] = Arrays.copyOfRange(labels, lo, lo + rows);
            if (w != null) {
                w[b] = Arrays.copyOfRange(weights, lo, lo + rows);
                for (double v : w[b]) {
                    t += v;
                }
            }
            lengths[b] = rows * k;
        }
        boolean inFile = mapped != null && LogitStore.crowdsHeap(2L * n * k);
        this.z = inFile ? LogitStore.inFile(lengths) : LogitStore.inHeap(lengths);
        this.dz = inFile ? LogitStore.inFile(lengths) : LogitStore.inHeap(lengths);
        this.total = weights == null ? n : t;
        this.batch = new HeadBatch(Math.min(n, blockRows), d, k, 1e-300, parallel);
        this.trial = new double[Math.min(n, blockRows) * k];
    }

    /** Rows per block of sparse rows: enough for {@link #SPARSE_BLOCK_VALUES_PER_COLUMN} {@code d} stored values. */
    static int sparseBlockRows(int n, int d, long stored) {
        double perRow = Math.max(1.0, stored / (double) n);
        double rows = Math.ceil(SPARSE_BLOCK_VALUES_PER_COLUMN * (double) d / perRow);
        return (int) Math.min(n, Math.max(BLOCK_ROWS, rows));
    }

    private int rows(int b) {
        return y[b].length;
    }

    private void point(int b) {
        point(b, true);
    }

    /**
     * Points the batch at block {@code b}; {@code features = false} leaves a mapped block unread
     * (its buffer holds another block's rows), for passes that use only the kept logits and labels.
     */
    private void point(int b, boolean features) {
        if (xs != null) {
            batch.setBatch(xs[b], y[b], w == null ? null : w[b], total);
        } else if (mapped != null) {
            int lo = b * blockRows;
            if (features) {
                mapped.readRows(lo, lo + rows(b), mappedBlock, 0);
            }
            batch.setBatch(mappedBlock, y[b], w == null ? null : w[b], rows(b), total);
        } else if (xf != null) {
            batch.setBatch(xf[b], y[b], w == null ? null : w[b], rows(b), total);
        } else {
            batch.setBatch(xd[b], y[b], w == null ? null : w[b], rows(b), total);
        }
    }

    private int blocks() {
        return y.length;
    }

    /**
     * Computes and keeps the logits at {@code params}; returns the objective and writes its
     * gradient ({@code l2} on W only) into {@code gradient}.
     */
    public double evaluate(double[] params, double l2, double[] gradient) {
        return pass(params, l2, gradient, true);
    }

    /** As {@link #evaluate}, from the kept logits (no product for the logits): after {@link #step}. */
    public double objectiveAndGradient(double[] params, double l2, double[] gradient) {
        return pass(params, l2, gradient, false);
    }

    /**
     * Computes and keeps the logits at {@code params}, nothing else (one product, straight into the
     * kept logits: no softmax, no copy): for rows that only feed a curvature
     * ({@link CompetitorCurvature}, which reads the kept logits) while the objective is measured elsewhere.
     */
    public void keepLogitsAt(double[] params) {
        for (int b = 0; b < blocks(); b++) {
            point(b);
            double[] zb = z.buffer(b);
            batch.logitsInto(params, zb);
            z.write(b, zb);
        }
    }

    /**
     * The objective and gradient at the kept logits, computed first when {@code recompute}: per
     * block one product straight into the kept logits (when recomputing), then
     * {@link HeadBatch#dataLossAndGradientAt} on them (no copy of the logits, no margin quantities
     * kept: at K = 1000 those were three more {@code n x K} arrays written per pass).
     */
    private double pass(double[] params, double l2, double[] gradient, boolean recompute) {
        double loss = 0;
        for (int b = 0; b < blocks(); b++) {
            point(b);
            double[] zb;
            if (recompute) {
                zb = z.buffer(b);
                batch.logitsInto(params, zb);
                z.write(b, zb);
            } else {
                zb = z.read(b);
            }
            loss += blockLossAndGradient(b, zb, gradient);
        }
        return objectiveAt(loss, params, l2, gradient);
    }

    /**
     * Computes and keeps the logit image {@code X~ S^T} of a parameter step; returns its largest
     * per-example spread (the Ghosts-of-Softmax radius along {@code S} is {@code pi} over it).
     */
    public double direction(double[] step) {
        double spread = 0;
        for (int b = 0; b < blocks(); b++) {
            point(b);
            double[] db = dz.buffer(b);
            batch.logitDirection(step, db);
            spread = Math.max(spread, batch.maxSpread(db));
            dz.write(b, db);
        }
        return spread;
    }

    /**
     * The curvature of the data loss along the kept step at the kept logits, {@code s^T G s} over
     * all rows, for the full GGN ({@code fgn = false}, the exact second derivative along the line)
     * or the FGN part of it: one O(nK) pass.
     */
    public double curvatureAlong(boolean fgn) {
        double s = 0;
        for (int b = 0; b < blocks(); b++) {
            point(b, false); // logit space only: no product with the features
            double[] db = dz.read(b);
            s += fgn ? batch.fgnCurvatureAlongAt(z.read(b), db) : batch.ggnCurvatureAlongAt(z.read(b), db);
        }
        return s;
    }

    /** The data loss at logits {@code z + alpha dz} (kept logits and step), without moving: O(nK). */
    public double dataLossAlong(double alpha) {
        double s = 0;
        for (int b = 0; b < blocks(); b++) {
            double[] zb = z.read(b);
            double[] db = dz.read(b);
            int[] yb = y[b];
            int rows = rows(b);
            parallel.forRange(rows, HeadBatch.rowGrain(k), (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    rowLoss[i] = rowLossAlong(zb, db, yb[i], i * k, alpha);
                }
            });
            double[] wb = w == null ? null : w[b];
            for (int i = 0; i < rows; i++) {
                s += (wb == null ? 1.0 : wb[i]) * rowLoss[i];
            }
        }
        return s / total;
    }

    private double rowLossAlong(double[] zb, double[] db, int yi, int o, double alpha) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double t = zb[o + c] + alpha * db[o + c];
            trial[o + c] = t;
            max = Math.max(max, t);
        }
        double sum = HeadKernels.expInPlace(trial, o, o + k, max);
        return max + Math.log(sum) - (zb[o + yi] + alpha * db[o + yi]);
    }

    /**
     * The data loss and its gradient ({@code K x D}, into {@code gradient}) at logits {@code z + alpha dz}, without
     * moving: one transpose product, as {@link #objectiveAndGradient} computes them after {@link #step}
     * {@code (alpha)} (the same trial logits, sums and order, so the same bits). {@link #objectiveAt} adds the
     * L2 term once the step is taken.
     */
    public double dataLossAndGradientAlong(double alpha, double[] gradient) {
        double loss = 0;
        for (int b = 0; b < blocks(); b++) {
            point(b);
            double[] zb = z.read(b);
            double[] db = dz.read(b);
            int end = z.lengths[b];
            parallel.forRange(end, 1 << 15, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    trial[t] = zb[t] + alpha * db[t];
                }
            });
            loss += blockLossAndGradient(b, trial, gradient);
        }
        return loss;
    }

    /**
     * Block {@code b}'s data loss at {@code logits} (the batch pointed at it), its data gradient added into
     * {@code gradient} in block order (the first block's written: 0 + part is exactly the part).
     */
    private double blockLossAndGradient(int b, double[] logits, double[] gradient) {
        if (b > 0 && part == null) {
            part = new double[p];
        }
        double loss = batch.dataLossAndGradientAt(logits, b == 0 ? gradient : part);
        if (b > 0) {
            for (int t = 0; t < p; t++) {
                gradient[t] += part[t];
            }
        }
        return loss;
    }

    /**
     * The objective at {@code params} from its data loss and data gradient ({@link #dataLossAndGradientAlong}),
     * the L2 term ({@code l2} on W only) added to {@code gradient} as {@link #objectiveAndGradient} adds it.
     */
    public double objectiveAt(double dataLoss, double[] params, double l2, double[] gradient) {
        return dataLoss + 0.5 * l2 * batch.addWeightDecayAndNormSquared(params, l2, gradient);
    }

    /** Moves the kept logits along the kept step: {@code z += alpha dz} (exact for a linear head). */
    public void step(double alpha) {
        for (int b = 0; b < blocks(); b++) {
            double[] zb = z.read(b);
            double[] db = dz.read(b);
            int end = z.lengths[b];
            parallel.forRange(end, 1 << 15, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    zb[t] += alpha * db[t];
                }
            });
            z.write(b, zb);
        }
    }

    /**
     * Copies rows {@code index[0 .. count)} into a batch's arrays, e.g. a curvature sample:
     * {@code xOut} is a {@code float[]} for float data and a {@code double[]} otherwise (see
     * {@link #newRows}); {@code wOut} is filled when the data is weighted.
     */
    public void copyRows(int[] index, int count, Object xOut, int[] yOut, double[] wOut) {
        if (xs != null) {
            throw new IllegalStateException("sparse rows are gathered by pointAtRows, not copied into an array");
        }
        for (int r = 0; r < count; r++) {
            int b = index[r] / blockRows;
            int i = index[r] - b * blockRows;
            if (mapped != null) {
                mapped.readRows(index[r], index[r] + 1, (float[]) xOut, r * d);
            } else {
                System.arraycopy(xf != null ? xf[b] : xd[b], i * d, xOut, r * d, d);
            }
            yOut[r] = y[b][i];
            if (wOut != null) {
                wOut[r] = w[b][i];
            }
        }
    }

    /**
     * A feature array for {@code rows} rows in this data's storage type, for {@link #copyRows}:
     * null for sparse rows, which {@link #pointAtRows} gathers instead.
     */
    public Object newRows(int rows) {
        return xs != null ? null : xf != null || mapped != null ? new float[rows * d] : new double[rows * d];
    }

    /**
     * Points {@code into} at rows {@code index[0 .. count)} (a curvature sample), normalised over
     * themselves: dense rows are copied into {@code xOut} (from {@link #newRows}), sparse rows
     * gathered into a new compact matrix; labels into {@code yOut}, weights into {@code wOut} when
     * the data is weighted.
     */
    public void pointAtRows(HeadBatch into, int[] index, int count, Object xOut, int[] yOut, double[] wOut) {
        if (xs == null) {
            copyRows(index, count, xOut, yOut, wOut);
            setRows(into, xOut, yOut, wOut, count);
            return;
        }
        for (int r = 0; r < count; r++) {
            int b = index[r] / blockRows;
            int i = index[r] - b * blockRows;
            yOut[r] = y[b][i];
            if (wOut != null) {
                wOut[r] = w[b][i];
            }
        }
        into.setBatch(sparse.gather(index, 0, count), yOut, wOut, Double.NaN);
    }

    /** Points {@code batch} at rows held in an array from {@link #newRows}. */
    public static void setRows(HeadBatch batch, Object x, int[] y, double[] weights, int rows) {
        if (x instanceof float[]) {
            batch.setBatch((float[]) x, y, weights, rows, Double.NaN);
        } else {
            batch.setBatch((double[]) x, y, weights, rows, Double.NaN);
        }
    }

    // package-private views of the blocks for CompetitorCurvature (same package, no copies)

    int blockCount() {
        return y.length;
    }

    int blockRows(int b) {
        return y[b].length;
    }

    /** Block {@code b}'s float features, or null when the features are double or sparse. */
    float[] floatBlock(int b) {
        return xf == null ? null : xf[b];
    }

    /** Block {@code b}'s double features, or null when the features are float or sparse. */
    double[] doubleBlock(int b) {
        return xd == null ? null : xd[b];
    }

    /** Whether the features are sparse rows (no dense block arrays). */
    boolean sparse() {
        return xs != null;
    }

    /** The kept logits of block {@code b} ({@code rows x K}). */
    double[] keptLogits(int b) {
        return z.read(b);
    }

    int[] blockLabels(int b) {
        return y[b];
    }

    /** Block {@code b}'s example weights, or null when unweighted. */
    double[] blockWeights(int b) {
        return w == null ? null : w[b];
    }

    /** The head's parameter count {@code K (d + 1)}. */
    public int parameterCount() {
        return p;
    }

    /** The sum of the example weights ({@code n} when unweighted). */
    double weightTotal() {
        return total;
    }

    int featureCount() {
        return d;
    }

    int classes() {
        return k;
    }

    Parallel parallel() {
        return parallel;
    }

    public boolean weighted() {
        return w != null;
    }

    public int size() {
        return n;
    }

    /** Feature rows the passes over the blocks have read ({@link HeadBatch#rowsRead()}); over {@link #size()}, passes. */
    public long rowsRead() {
        return batch.rowsRead();
    }
}
