package io.github.fastgn.internal.head;

import io.github.fastgn.internal.linalg.Parallel;

import java.util.Arrays;

/**
 * The objective {@code sum_i c_i CE_i / sum_i c_i + l2/2 ||W||^2} and its gradient over a whole
 * data set, evaluated in chunks of at most {@value #CHUNK_ROWS} rows, so that memory stays
 * {@code O(chunk K + K D)} however many examples there are (never {@code n x K}).
 */
public final class ChunkedObjective {

    /** Rows evaluated at once. */
    public static final int CHUNK_ROWS = 4096;

    private final double[] x;
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
        this.x = x;
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
        this.cx = new double[rows * d];
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
            System.arraycopy(x, lo * d, cx, 0, rows * d);
            System.arraycopy(y, lo, cy, 0, rows);
            if (cw != null) {
                System.arraycopy(weights, lo, cw, 0, rows);
            }
            chunk.setBatch(cx, cy, cw, rows, total);
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
            System.arraycopy(x, lo * d, cx, 0, rows * d);
            System.arraycopy(y, lo, cy, 0, rows);
            chunk.setBatch(cx, cy, null, rows);
            best = Math.max(best, chunk.maxSpreadOf(direction));
        }
        return best;
    }

    public int size() {
        return n;
    }

    /** Feature rows the evaluations have read ({@link HeadBatch#rowsRead()}); over {@link #size()}, passes. */
    public long rowsRead() {
        return chunk.rowsRead();
    }
}
