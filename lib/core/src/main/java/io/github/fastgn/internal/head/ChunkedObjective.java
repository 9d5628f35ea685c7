package io.github.fastgn.internal.head;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.internal.linalg.Parallel;

import java.util.Arrays;

/**
 * The objective {@code sum_i c_i CE_i / sum_i c_i + l2/2 ||W||^2} and its gradient over a whole
 * data set, evaluated in chunks of at most {@value #CHUNK_ROWS} rows, so that memory stays
 * {@code O(chunk K + K D)} however many examples there are (never {@code n x K}). Sparse rows are
 * evaluated through {@link CsrFeatures#rowRange} views of the caller's matrix, never copied; a
 * memory-mapped matrix is read one chunk at a time and widened to double, exactly the values and
 * sums of the dense constructor on the widened matrix.
 */
public final class ChunkedObjective {

    /** Rows evaluated at once. */
    public static final int CHUNK_ROWS = 4096;

    private final double[] x;
    /** Sparse rows in chunk views, or null for dense features. */
    private final CsrFeatures[] sparse;
    /** A memory-mapped matrix and the float buffer a chunk is read into, or null. */
    private final MappedFloatFeatures mapped;
    private final float[] chunkFloats;
    private final int[] y;
    private final double[] weights;
    private final int n;
    private final int d;
    private final int k;
    private final double l2;
    private final double total;
    private final HeadBatch chunk;
    private final double[] cx;
    private final int[] cy;
    private final double[] cw;
    private final double[] part;

    /**
     * @param x       features, row-major {@code n x d} (referenced)
     * @param y       labels (referenced)
     * @param weights example weights or null (referenced)
     */
    public ChunkedObjective(double[] x, int[] y, double[] weights, int n, int d, int k, double l2,
                            Parallel parallel) {
        this(x, null, null, y, weights, n, d, k, l2, parallel);
    }

    /** As the dense constructor, over sparse rows (shared: chunk views, not copies). */
    public ChunkedObjective(CsrFeatures x, int[] y, double[] weights, int k, double l2, Parallel parallel) {
        this(null, x, null, y, weights, x.rows(), x.columns(), k, l2, parallel);
    }

    /** As the dense constructor, over a memory-mapped matrix read chunk by chunk (never copied whole). */
    public ChunkedObjective(MappedFloatFeatures x, int[] y, double[] weights, int k, double l2, Parallel parallel) {
        this(null, null, x, y, weights, x.rows(), x.columns(), k, l2, parallel);
    }

    private ChunkedObjective(double[] x, CsrFeatures sparse, MappedFloatFeatures mapped, int[] y, double[] weights,
                             int n, int d, int k, double l2, Parallel parallel) {
        this.x = x;
        this.mapped = mapped;
        this.chunkFloats = mapped != null ? new float[Math.min(n, CHUNK_ROWS) * d] : null;
        if (sparse != null) {
            this.sparse = new CsrFeatures[(n + CHUNK_ROWS - 1) / CHUNK_ROWS];
            for (int c = 0; c < this.sparse.length; c++) {
                int lo = c * CHUNK_ROWS;
                this.sparse[c] = sparse.rowRange(lo, Math.min(n, lo + CHUNK_ROWS));
            }
        } else {
            this.sparse = null;
        }
        this.y = y;
        this.weights = weights;
        this.n = n;
        this.d = d;
        this.k = k;
        this.l2 = l2;
        double t = n;
        if (weights != null) {
            t = 0;
            for (int i = 0; i < n; i++) {
                t += weights[i];
            }
        }
        this.total = t;
        int rows = Math.min(n, CHUNK_ROWS);
        this.chunk = new HeadBatch(rows, d, k, 1e-300, parallel);
        this.cx = sparse != null ? null : new double[rows * d];
        this.cy = new int[rows];
        this.cw = weights == null ? null : new double[rows];
        this.part = new double[k * (d + 1)];
    }

    /**
     * The objective at {@code params}; writes its gradient into {@code gradient} unless that is null.
     */
    public double evaluate(double[] params, double[] gradient) {
        double loss = 0;
        if (gradient != null) {
            Arrays.fill(gradient, 0.0);
        }
        for (int lo = 0; lo < n; lo += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, n - lo);
            point(lo, rows, cw, total);
            chunk.evaluate(params);
            loss += chunk.dataLoss();
            if (gradient != null) {
                chunk.gradient(params, 0.0, part);
                for (int t = 0; t < part.length; t++) {
                    gradient[t] += part[t];
                }
            }
        }
        if (gradient != null) {
            chunk.addWeightDecay(params, l2, gradient);
        }
        return loss + 0.5 * l2 * HeadBatch.weightNormSquared(params, params, d, k);
    }

    /**
     * The largest per-example spread of the logit change {@code X~ S^T} over all examples: the
     * Ghosts-of-Softmax radius along {@code S} is {@code pi} over it.
     */
    public double maxSpread(double[] direction) {
        double best = 0;
        for (int lo = 0; lo < n; lo += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, n - lo);
            point(lo, rows, null, Double.NaN);
            best = Math.max(best, chunk.maxSpreadOf(direction));
        }
        return best;
    }

    /** Points the chunk batch at rows {@code [lo, lo + rows)}, with weights when {@code w} is non-null. */
    private void point(int lo, int rows, double[] w, double weightTotal) {
        System.arraycopy(y, lo, cy, 0, rows);
        if (w != null) {
            System.arraycopy(weights, lo, w, 0, rows);
        }
        if (sparse != null) {
            chunk.setBatch(sparse[lo / CHUNK_ROWS], cy, w, weightTotal);
        } else {
            if (mapped != null) {
                mapped.readRows(lo, lo + rows, chunkFloats, 0);
                for (int t = 0, end = rows * d; t < end; t++) {
                    cx[t] = chunkFloats[t];
                }
            } else {
                System.arraycopy(x, lo * d, cx, 0, rows * d);
            }
            chunk.setBatch(cx, cy, w, rows, weightTotal);
        }
    }

    public int size() {
        return n;
    }

    /** Feature rows the evaluations have read ({@link HeadBatch#rowsRead()}); over {@link #size()}, passes. */
    public long rowsRead() {
        return chunk.rowsRead();
    }
}
