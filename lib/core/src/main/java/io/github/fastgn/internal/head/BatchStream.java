package io.github.fastgn.internal.head;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.MappedFloatFeatures;

import java.util.SplittableRandom;

/**
 * Seeded mini-batches over a data set: each epoch is a fresh shuffle (Fisher-Yates from a
 * {@link SplittableRandom}) cut into {@code ceil(n / B)} batches of near-equal size (the first
 * {@code n mod batches} hold one row more), so no batch is a tiny leftover. Rows are copied into
 * reusable buffers and handed to a {@link HeadBatch}; sparse rows are gathered into a compact
 * matrix per batch (never densified); rows of a memory-mapped matrix are read one by one into the
 * batch buffer, widened to double (the values of the dense constructor on the widened matrix).
 */
public final class BatchStream {

    private final double[] x;
    /** Sparse rows, or null when the rows are the dense {@link #x}. */
    private final CsrFeatures sparse;
    /** A memory-mapped matrix and a one-row float buffer, or null. */
    private final MappedFloatFeatures mapped;
    private final float[] row;
    private final int[] y;
    private final double[] weights;
    private final int n;
    private final int d;
    private final int batches;
    private final int capacity;
    private final int[] order;
    private final SplittableRandom rng;
    private final double[] bx;
    private final int[] by;
    private final double[] bw;
    private int next;
    private int epochs;

    /**
     * @param batchSize the requested batch size {@code B} (clipped to {@code n})
     * @param seed      seed of the shuffles
     */
    public BatchStream(double[] x, int[] y, double[] weights, int n, int d, int batchSize, long seed) {
        this(x, null, null, y, weights, n, d, batchSize, seed);
    }

    /** As the dense constructor, over sparse rows (shared, not copied). */
    public BatchStream(CsrFeatures x, int[] y, double[] weights, int batchSize, long seed) {
        this(null, x, null, y, weights, x.rows(), x.columns(), batchSize, seed);
    }

    /** As the dense constructor, over a memory-mapped matrix (shared; only each batch's rows are read). */
    public BatchStream(MappedFloatFeatures x, int[] y, double[] weights, int batchSize, long seed) {
        this(null, null, x, y, weights, x.rows(), x.columns(), batchSize, seed);
    }

    private BatchStream(double[] x, CsrFeatures sparse, MappedFloatFeatures mapped, int[] y, double[] weights, int n,
                        int d, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.x = x;
        this.sparse = sparse;
        this.mapped = mapped;
        this.row = mapped != null ? new float[d] : null;
        this.y = y;
        this.weights = weights;
        this.n = n;
        this.d = d;
        int b = Math.min(batchSize, n);
        this.batches = (n + b - 1) / b;
        this.capacity = (n + batches - 1) / batches;
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.rng = new SplittableRandom(seed);
        this.bx = sparse != null ? null : new double[capacity * d];
        this.by = new int[capacity];
        this.bw = weights == null ? null : new double[capacity];
        this.next = batches; // shuffle before the first batch
    }

    /** The largest batch this stream produces. */
    public int capacity() {
        return capacity;
    }

    /** Batches per epoch. */
    public int batchesPerEpoch() {
        return batches;
    }

    /** Completed epochs (passes) so far. */
    public int epochs() {
        return epochs;
    }

    /** True when the last batch handed out completed an epoch. */
    public boolean epochCompleted() {
        return next == batches;
    }

    /**
     * Copies the next batch into the buffers and points {@code batch} at it.
     *
     * @return false, leaving {@code batch} untouched, when every example of this batch has weight
     *         zero (there is no objective to step on)
     */
    public boolean next(HeadBatch batch) {
        if (next == batches) {
            shuffle();
            next = 0;
        }
        int bi = next++;
        int lo = bi * (n / batches) + Math.min(bi, n % batches);
        int rows = n / batches + (bi < n % batches ? 1 : 0);
        double weight = 0;
        for (int r = 0; r < rows; r++) {
            int src = order[lo + r];
            if (mapped != null) {
                mapped.readRows(src, src + 1, row, 0);
                for (int j = 0; j < d; j++) {
                    bx[r * d + j] = row[j];
                }
            } else if (bx != null) {
                System.arraycopy(x, src * d, bx, r * d, d);
            }
            by[r] = y[src];
            if (bw != null) {
                bw[r] = weights[src];
                weight += bw[r];
            }
        }
        if (next == batches) {
            epochs++;
        }
        if (bw != null && !(weight > 0)) {
            return false;
        }
        if (sparse != null) {
            batch.setBatch(sparse.gather(order, lo, rows), by, bw, Double.NaN);
        } else {
            batch.setBatch(bx, by, bw, rows);
        }
        return true;
    }

    private void shuffle() {
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
