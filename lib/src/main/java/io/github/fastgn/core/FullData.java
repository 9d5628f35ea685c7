package io.github.fastgn.core;

import io.github.fastgn.linalg.Parallel;

import java.util.Arrays;

/**
 * A whole training set for full-batch training at scale: the features stored once, as float, in
 * row blocks of {@value #BLOCK_ROWS}; the logits at the current point kept per block; and the
 * logit image of the current step. Those two {@code n x K} arrays are the only per-example state;
 * every per-example quantity of the margin (SPEC 1) is recomputed block by block in one reused
 * {@link HeadBatch}, so memory is {@code 4 n d} bytes of features plus {@code 16 n K} bytes of
 * logits and step, never {@code n x K x} anything else.
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

    /** Rows per block. */
    public static final int BLOCK_ROWS = 4096;

    private final int n;
    private final int d;
    private final int k;
    private final int p;
    private final float[][] x;
    private final int[][] y;
    private final double[][] w;
    private final double[][] z;
    private final double[][] dz;
    private final double total;
    private final HeadBatch batch;
    private final Parallel parallel;
    private final double[] part;
    private final double[] rowLoss = new double[BLOCK_ROWS];

    /**
     * Copies {@code x} (row-major {@code n x d}) into float blocks. Values are rounded to float:
     * the objective is then that of the float-rounded features, which is what a float data set
     * (pixels / 255, embeddings) holds anyway.
     *
     * @param weights example weights (non-negative, positive sum), or null
     */
    public FullData(double[] x, int[] y, double[] weights, int n, int d, int k, Parallel parallel) {
        this(n, d, k, weights, y, parallel);
        for (int b = 0; b < this.x.length; b++) {
            float[] block = this.x[b];
            int from = b * BLOCK_ROWS * d;
            for (int t = 0; t < block.length; t++) {
                block[t] = (float) x[from + t];
            }
        }
    }

    /** As the double constructor, from float features (copied into the blocks unchanged). */
    public FullData(float[] x, int[] y, double[] weights, int n, int d, int k, Parallel parallel) {
        this(n, d, k, weights, y, parallel);
        for (int b = 0; b < this.x.length; b++) {
            System.arraycopy(x, b * BLOCK_ROWS * d, this.x[b], 0, this.x[b].length);
        }
    }

    private FullData(int n, int d, int k, double[] weights, int[] labels, Parallel parallel) {
        if (n < 1 || d < 0 || k < 2) {
            throw new IllegalArgumentException("need n >= 1 rows and k >= 2 classes, got n=" + n + ", k=" + k);
        }
        this.n = n;
        this.d = d;
        this.k = k;
        this.p = k * (d + 1);
        this.parallel = parallel;
        int blocks = (n + BLOCK_ROWS - 1) / BLOCK_ROWS;
        this.x = new float[blocks][];
        this.y = new int[blocks][];
        this.w = weights == null ? null : new double[blocks][];
        this.z = new double[blocks][];
        this.dz = new double[blocks][];
        double t = 0;
        for (int b = 0; b < blocks; b++) {
            int lo = b * BLOCK_ROWS;
            int rows = Math.min(BLOCK_ROWS, n - lo);
            x[b] = new float[rows * d];
            y[b] = Arrays.copyOfRange(labels, lo, lo + rows);
            if (w != null) {
                w[b] = Arrays.copyOfRange(weights, lo, lo + rows);
                for (double v : w[b]) {
                    t += v;
                }
            }
            z[b] = new double[rows * k];
            dz[b] = new double[rows * k];
        }
        this.total = weights == null ? n : t;
        this.batch = new HeadBatch(Math.min(n, BLOCK_ROWS), d, k, 1e-300, parallel);
        this.part = new double[p];
    }

    private int rows(int b) {
        return y[b].length;
    }

    private void point(int b) {
        batch.setBatch(x[b], y[b], w == null ? null : w[b], rows(b), total);
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

    private double pass(double[] params, double l2, double[] gradient, boolean recompute) {
        Arrays.fill(gradient, 0.0);
        double loss = 0;
        for (int b = 0; b < x.length; b++) {
            point(b);
            if (recompute) {
                batch.evaluate(params);
                System.arraycopy(batch.logits(), 0, z[b], 0, z[b].length);
            } else {
                batch.setLogits(z[b]);
            }
            loss += batch.dataLoss();
            batch.gradient(params, 0.0, part);
            for (int t = 0; t < p; t++) {
                gradient[t] += part[t];
            }
        }
        batch.addWeightDecay(params, l2, gradient);
        return loss + 0.5 * l2 * HeadBatch.weightNormSquared(params, params, d, k);
    }

    /**
     * Computes and keeps the logit image {@code X~ S^T} of a parameter step; returns its largest
     * per-example spread (the Ghosts-of-Softmax radius along {@code S} is {@code pi} over it).
     */
    public double direction(double[] step) {
        double spread = 0;
        for (int b = 0; b < x.length; b++) {
            point(b);
            batch.logitDirection(step, dz[b]);
            spread = Math.max(spread, batch.maxSpread(dz[b]));
        }
        return spread;
    }

    /** The data loss at logits {@code z + alpha dz} (kept logits and step), without moving: O(nK). */
    public double dataLossAlong(double alpha) {
        double s = 0;
        for (int b = 0; b < x.length; b++) {
            double[] zb = z[b];
            double[] db = dz[b];
            int[] yb = y[b];
            int rows = rows(b);
            parallel.forRange(rows, Math.max(64, (1 << 15) / k), (lo, hi) -> {
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
            max = Math.max(max, zb[o + c] + alpha * db[o + c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            sum += Math.exp(zb[o + c] + alpha * db[o + c] - max);
        }
        return max + Math.log(sum) - (zb[o + yi] + alpha * db[o + yi]);
    }

    /** Moves the kept logits along the kept step: {@code z += alpha dz} (exact for a linear head). */
    public void step(double alpha) {
        for (int b = 0; b < x.length; b++) {
            double[] zb = z[b];
            double[] db = dz[b];
            for (int t = 0; t < zb.length; t++) {
                zb[t] += alpha * db[t];
            }
        }
    }

    /**
     * Copies rows {@code index[0 .. count)} into {@code xOut}, {@code yOut} and (when weighted)
     * {@code wOut}, e.g. a curvature sample.
     */
    public void copyRows(int[] index, int count, float[] xOut, int[] yOut, double[] wOut) {
        for (int r = 0; r < count; r++) {
            int b = index[r] / BLOCK_ROWS;
            int i = index[r] - b * BLOCK_ROWS;
            System.arraycopy(x[b], i * d, xOut, r * d, d);
            yOut[r] = y[b][i];
            if (wOut != null) {
                wOut[r] = w[b][i];
            }
        }
    }

    public boolean weighted() {
        return w != null;
    }

    public int size() {
        return n;
    }
}
