package io.github.fastgn.spark;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.DenseFeatures;
import io.github.fastgn.data.FeatureMatrix;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.optim.FgnOptions;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;

/**
 * One partition's rows as the head's kernels read them, cached on its executor: dense row-major
 * features, or compressed sparse rows when the partition's vectors store at most
 * {@link FgnOptions#SPARSE_PERCENT}% of its {@code rows x d} values; labels, optional weights,
 * and what the first pass over the raw rows found (counts, column moments, the first bad value).
 * The passes of a fit ({@link #gradient}, {@link #line}) evaluate the partition in one
 * {@link HeadBatch} against the data set's total weight, so the partitions' results add up to the
 * data set's.
 */
final class Block implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    /** Features per row; -1 when the partition is empty. */
    final int d;
    /** Row-major {@code rows x d}, or null for sparse rows. */
    final double[] dense;
    final int[] rowStart;
    final int[] columns;
    final double[] values;
    /** Labels in {@code [0, K)} (invalid labels are reported by {@link #stats}, never trained on). */
    final int[] labels;
    /** Example weights, or null for equal weights. */
    final double[] weights;
    final Stats stats;

    /** The evaluation scratch, kept with the cached block across passes (rebuilt after deserialisation). */
    private transient HeadBatch batch;
    private transient FeatureMatrix matrix;
    private transient double batchFloor;

    private Block(int partition, int rows, int d, double[] dense, int[] rowStart, int[] columns, double[] values,
                  int[] labels, double[] weights, Stats stats) {
        this.partition = partition;
        this.rows = rows;
        this.d = d;
        this.dense = dense;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
        this.labels = labels;
        this.weights = weights;
        this.stats = stats;
    }

    /**
     * Reads a partition of {@code (label: double, features: Vector[, weight: double])} rows.
     *
     * @param weighted whether the rows carry a weight column
     */
    static Block read(int partition, Iterator<Row> it, boolean weighted) {
        Growing g = new Growing();
        Stats s = new Stats(partition);
        int d = -1;
        while (it.hasNext()) {
            Row r = it.next();
            int i = g.rows;
            double label = r.isNullAt(0) ? Double.NaN : r.getDouble(0);
            Vector v = (Vector) r.get(1);
            double w = weighted ? (r.isNullAt(2) ? Double.NaN : r.getDouble(2)) : 1.0;
            if (v == null) {
                s.problem(i, "has no feature vector (null); drop or fill such rows before training");
                g.endRow(label, w);
                continue;
            }
            if (d < 0) {
                d = v.size();
                s.d = d;
            } else if (v.size() != d) {
                s.problem(i, "has " + v.size() + " features, the rows before it " + d
                        + "; every feature vector must have the same size");
            }
            if (v instanceof DenseVector dv) {
                double[] a = dv.values();
                for (int j = 0; j < a.length; j++) {
                    if (a[j] != 0) {
                        g.add(j, a[j], s, i);
                    }
                }
            } else {
                SparseVector sv = (SparseVector) v;
                int[] idx = sv.indices();
                double[] a = sv.values();
                for (int q = 0; q < idx.length; q++) {
                    g.add(idx[q], a[q], s, i);
                }
            }
            if (!(label >= 0) || label != Math.rint(label) || label > Integer.MAX_VALUE - 1) {
                s.badLabel(i, label);
            } else {
                s.maxLabel = Math.max(s.maxLabel, (int) label);
            }
            if (!(w >= 0) || !Double.isFinite(w)) {
                s.badWeight(i, w);
            } else {
                s.weight += w;
            }
            g.endRow(label, w);
        }
        s.rows = g.rows;
        s.stored = g.nnz;
        int n = g.rows;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double l = g.label[i];
            y[i] = l >= 0 && l == Math.rint(l) && l < Integer.MAX_VALUE ? (int) l : 0;
        }
        double[] w = weighted ? Arrays.copyOf(g.weight, n) : null;
        int dd = Math.max(d, 0);
        int[] rs = Arrays.copyOf(g.rowStart, n + 1);
        int[] cols = Arrays.copyOf(g.cols, g.nnz);
        double[] vals = Arrays.copyOf(g.vals, g.nnz);
        if (s.problem == null && n > 0) {
            s.moments(n, dd, rs, cols, vals, w);
        }
        boolean sparse = (long) g.nnz * 100 <= (long) FgnOptions.SPARSE_PERCENT * n * dd;
        if (!sparse && s.problem == null && n > 0) {
            double[] x = new double[n * dd];
            for (int i = 0; i < n; i++) {
                for (int q = rs[i]; q < rs[i + 1]; q++) {
                    x[i * dd + cols[q]] = vals[q];
                }
            }
            return new Block(partition, n, d, x, null, null, null, y, w, s);
        }
        return new Block(partition, n, d, null, rs, cols, vals, y, w, s);
    }

    /** The features as the kernels read them (cached with the block). */
    FeatureMatrix matrix() {
        if (matrix == null) {
            matrix = dense != null ? DenseFeatures.of(dense, rows, d) : CsrFeatures.of(rowStart, columns, values, rows, d);
        }
        return matrix;
    }

    /** The block's batch at {@code v} (raw-feature parameters), its weights divided by {@code total}. */
    private HeadBatch evaluated(double[] v, int k, double floor, double total) {
        if (batch == null || batch.classes() != k || batch.capacity() != rows || batchFloor != floor) {
            batch = new HeadBatch(rows, d, k, floor, Parallel.SERIAL);
            batchFloor = floor;
        }
        batch.setBatch(matrix(), labels, weights, total);
        batch.evaluate(v);
        return batch;
    }

    /**
     * Data loss and gradient (without the L2 term) at {@code v}, and the rows of {@code sample}
     * (sorted global row indices; null for none, or every row when {@code all}).
     *
     * @param offset the global index of this block's first row
     */
    Partial gradient(double[] v, int k, double floor, double total, long offset, long[] sample, boolean all) {
        Partial p = new Partial(k * (d + 1), 0);
        if (rows == 0) {
            return p;
        }
        HeadBatch b = evaluated(v, k, floor, total);
        p.loss = b.dataLoss();
        b.gradient(v, 0.0, p.grad);
        if (all) {
            p.rows = Gathered.of(this, null, 0, rows);
        } else if (sample != null) {
            int from = lowerBound(sample, offset);
            int to = lowerBound(sample, offset + rows);
            if (to > from) {
                int[] local = new int[to - from];
                for (int a = from; a < to; a++) {
                    local[a - from] = (int) (sample[a] - offset);
                }
                p.rows = Gathered.of(this, local, 0, local.length);
            }
        }
        return p;
    }

    /**
     * Along the logit image {@code dz} of {@code step} at {@code v}: its largest spread and the FGN
     * and full-GGN curvature (when {@code curvature}), and the data loss at each of {@code lengths}.
     */
    Partial line(double[] v, double[] step, int k, double floor, double total, double[] lengths, boolean curvature) {
        Partial p = new Partial(0, lengths.length);
        if (rows == 0) {
            return p;
        }
        HeadBatch b = evaluated(v, k, floor, total);
        double[] dz = new double[rows * k];
        b.logitDirection(step, dz);
        if (curvature) {
            p.spread = b.maxSpread(dz);
            p.fgn = b.fgnCurvatureAlong(dz);
            p.ggn = b.ggnCurvatureAlong(dz);
        }
        for (int t = 0; t < lengths.length; t++) {
            p.losses[t] = b.dataLossAlong(dz, lengths[t]);
        }
        return p;
    }

    private static int lowerBound(long[] a, long key) {
        int i = Arrays.binarySearch(a, key);
        return i >= 0 ? i : -i - 1;
    }

    /** Growable CSR arrays of a partition being read. */
    private static final class Growing {
        int rows;
        int nnz;
        int[] rowStart = new int[64];
        int[] cols = new int[256];
        double[] vals = new double[256];
        double[] label = new double[64];
        double[] weight = new double[64];

        void add(int j, double x, Stats s, int row) {
            if (!Double.isFinite(x)) {
                s.nonFinite(row, j, x);
            }
            if (nnz == cols.length) {
                cols = Arrays.copyOf(cols, 2 * nnz);
                vals = Arrays.copyOf(vals, 2 * nnz);
            }
            cols[nnz] = j;
            vals[nnz] = x;
            nnz++;
        }

        void endRow(double l, double w) {
            if (rows + 1 >= rowStart.length) {
                rowStart = Arrays.copyOf(rowStart, 2 * rowStart.length);
                label = Arrays.copyOf(label, 2 * label.length);
                weight = Arrays.copyOf(weight, 2 * weight.length);
            }
            label[rows] = l;
            weight[rows] = w;
            rows++;
            rowStart[rows] = nnz;
        }
    }
}
