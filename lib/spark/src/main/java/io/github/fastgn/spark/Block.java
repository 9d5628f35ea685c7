package io.github.fastgn.spark;

import io.github.fastgn.data.ColumnMoments;
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
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * One partition's rows as the head's kernels read them, cached on its executor, in chunks: dense row-major
 * features, or compressed sparse rows when the partition's vectors store at most
 * {@link FgnOptions#SPARSE_PERCENT}% of its {@code rows x d} values; labels, optional weights,
 * and what the first pass over the raw rows found (counts, column moments, the first bad value).
 * The passes of a fit ({@link #gradient}, {@link #line}) evaluate the partition in one
 * {@link HeadBatch} against the data set's total weight, so the partitions' results add up to the
 * data set's.
 */
final class Block implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Rows per chunk: the evaluation scratch is {@code CHUNK_ROWS x K}, whatever the partition's size. */
    static final int CHUNK_ROWS = 4096;

    final int partition;
    final int rows;
    /** Features per row; -1 when the partition is empty. */
    final int d;
    /** The rows in chunks of {@link #CHUNK_ROWS} (the last one shorter); none when a check failed. */
    final Chunk[] chunks;
    final Stats stats;

    /** The evaluation scratch, kept with the cached block across passes (rebuilt after deserialisation). */
    private transient HeadBatch batch;
    private transient double batchFloor;

    private Block(int partition, int rows, int d, Chunk[] chunks, Stats stats) {
        this.partition = partition;
        this.rows = rows;
        this.d = d;
        this.chunks = chunks;
        this.stats = stats;
    }

    /**
     * Up to {@link #CHUNK_ROWS} consecutive rows: dense row-major features (float when every value of
     * the partition is a float, which loses nothing: half the memory and traffic of each pass) or
     * compressed sparse rows (as the partition's storage was chosen), labels in {@code [0, K)} and
     * optional weights.
     */
    static final class Chunk implements Serializable {
        private static final long serialVersionUID = 1L;
        final int rows;
        final double[] dense;
        final float[] single;
        final int[] rowStart;
        final int[] columns;
        final double[] values;
        final int[] labels;
        final double[] weights;
        private transient FeatureMatrix matrix;

        Chunk(int rows, double[] dense, float[] single, int[] rowStart, int[] columns, double[] values,
              int[] labels, double[] weights) {
            this.rows = rows;
            this.dense = dense;
            this.single = single;
            this.rowStart = rowStart;
            this.columns = columns;
            this.values = values;
            this.labels = labels;
            this.weights = weights;
        }

        /** Points {@code batch} at these rows, their weights divided by {@code total}. */
        void into(HeadBatch batch, int d, double total) {
            if (single != null) {
                batch.setBatch(single, labels, weights, rows, total);
                return;
            }
            if (matrix == null) {
                matrix = dense != null ? DenseFeatures.of(dense, rows, d)
                        : CsrFeatures.of(rowStart, columns, values, rows, d);
            }
            batch.setBatch(matrix, labels, weights, total);
        }

        /** Whether the rows are stored dense (every value, double or float). */
        boolean isDense() {
            return dense != null || single != null;
        }
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
            if (r.isNullAt(0)) {
                s.problem(i, "the label of example %d is null; drop or fill rows with null labels before training");
            }
            if (weighted && r.isNullAt(2)) {
                s.problem(i, "the weight of example %d is null; drop or fill rows with null weights before training");
            }
            if (v == null) {
                s.problem(i, "example %d has no feature vector (null); drop or fill such rows before training");
                g.endRow(label, w);
                continue;
            }
            if (d < 0) {
                d = v.size();
                s.d = d;
            } else if (v.size() != d) {
                s.problem(i, "example %d has " + v.size() + " features, the rows before it " + d
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
                s.minLabel = Math.min(s.minLabel, (int) label);
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
        if (s.problem == null && n > 0 && dd > 0) {
            s.moments = ColumnMoments.of(CsrFeatures.of(rs, cols, vals, n, dd), w);
        }
        boolean sparse = (long) g.nnz * 100 <= (long) FgnOptions.SPARSE_PERCENT * n * dd;
        boolean single = !sparse && g.allFloat;
        if (s.problem != null || n == 0) {
            return new Block(partition, n, d, new Chunk[0], s);
        }
        Chunk[] chunks = new Chunk[(n + CHUNK_ROWS - 1) / CHUNK_ROWS];
        for (int c = 0; c < chunks.length; c++) {
            int from = c * CHUNK_ROWS;
            int to = Math.min(n, from + CHUNK_ROWS);
            int[] yc = Arrays.copyOfRange(y, from, to);
            double[] wc = w == null ? null : Arrays.copyOfRange(w, from, to);
            if (sparse) {
                int[] rsc = new int[to - from + 1];
                for (int i = from; i <= to; i++) {
                    rsc[i - from] = rs[i] - rs[from];
                }
                chunks[c] = new Chunk(to - from, null, null, rsc, Arrays.copyOfRange(cols, rs[from], rs[to]),
                        Arrays.copyOfRange(vals, rs[from], rs[to]), yc, wc);
            } else if (single) {
                float[] x = new float[(to - from) * dd];
                for (int i = from; i < to; i++) {
                    for (int q = rs[i]; q < rs[i + 1]; q++) {
                        x[(i - from) * dd + cols[q]] = (float) vals[q];
                    }
                }
                chunks[c] = new Chunk(to - from, null, x, null, null, null, yc, wc);
            } else {
                double[] x = new double[(to - from) * dd];
                for (int i = from; i < to; i++) {
                    for (int q = rs[i]; q < rs[i + 1]; q++) {
                        x[(i - from) * dd + cols[q]] = vals[q];
                    }
                }
                chunks[c] = new Chunk(to - from, x, null, null, null, null, yc, wc);
            }
        }
        return new Block(partition, n, d, chunks, s);
    }

    /** Chunk {@code c}'s batch, its weights divided by {@code total}; nothing is evaluated. */
    private HeadBatch pointed(int c, int k, double floor, double total) {
        if (batch == null || batch.classes() != k || batchFloor != floor) {
            batch = new HeadBatch(Math.min(rows, CHUNK_ROWS), d, k, floor, Parallel.SERIAL);
            batchFloor = floor;
        }
        chunks[c].into(batch, d, total);
        return batch;
    }

    /**
     * Every chunk's logits at one point (raw-feature parameters): the passes take the loss, gradient and
     * curvatures from them ({@link HeadBatch}'s {@code ...At} methods: the same bits as evaluating a batch, one
     * exponential a logit for each). Whole (a slot per chunk, kept for the next pass) when the partition's logits
     * fit the budget ({@link #keeps}), else one chunk's scratch that each pass fills again.
     */
    private static final class Logits {
        final boolean whole;
        final double[][] slots;
        double[] point;
        /** Whether every slot holds the logits at {@link #point} (only ever for a whole one, after its pass). */
        boolean complete;
        /** Chunk logit products this object computed in the current pass (for tests). */
        long products;

        Logits(boolean whole, int chunkCount) {
            this.whole = whole;
            this.slots = new double[whole ? chunkCount : 1][];
        }

        /** Chunk {@code c}'s logits at the point, {@code b} pointed at that chunk. */
        double[] of(int c, HeadBatch b, int k) {
            int slot = whole ? c : 0;
            if (!complete) {
                int len = b.capacity() * k;
                if (slots[slot] == null || slots[slot].length != len) {
                    slots[slot] = new double[len];
                }
                b.logitsInto(point, slots[slot]);
                products++;
            }
            return slots[slot];
        }
    }

    /**
     * The logits of the last pass's points, held softly: when memory runs short the collector drops them, and a
     * pass recomputes them, bit for bit the same (they came from the same product of the same rows and point).
     * A step accepted at length 1 starts at the point the last line pass evaluated at length 1, so its line pass
     * reads the point's logits from here and computes one logit product instead of two. Scratch logits (not
     * whole) are held the same way, so that a pass reuses the last one's arrays.
     */
    private transient SoftReference<Logits[]> kept;
    /** {@link #lineScratch}'s arrays, kept with the cached block across passes (rebuilt after deserialisation). */
    private transient double[][] lineScratch;

    /** Bytes of logits a block may keep whole; negative for an eighth of this JVM's heap (tests set 0: scratch only). */
    static volatile long keptLogitsBudget = -1;

    /** Whether a pass's logits at {@code points} points may be kept whole ({@link #keptLogitsBudget}). */
    private boolean keeps(int points, int k) {
        long budget = keptLogitsBudget >= 0 ? keptLogitsBudget : Runtime.getRuntime().maxMemory() / 8;
        return (long) points * rows * k * Double.BYTES <= budget;
    }

    /**
     * The logits at each of {@code points} for one pass: those the last pass completed at that very point, the
     * others computed as the pass reaches each chunk, in the arrays of the last pass's logits no longer needed.
     */
    private Logits[] logitsAt(int k, double[]... points) {
        boolean whole = keeps(points.length, k);
        List<Logits> old = new ArrayList<>();
        Logits[] last = kept == null ? null : kept.get();
        kept = null; // until this pass has made its own
        if (last != null) {
            for (Logits l : last) {
                if (l.whole == whole) {
                    old.add(l);
                }
            }
        }
        Logits[] out = new Logits[points.length];
        for (int i = 0; i < points.length; i++) {
            for (Iterator<Logits> it = old.iterator(); it.hasNext(); ) {
                Logits l = it.next();
                if (l.complete && Arrays.equals(l.point, points[i])) {
                    out[i] = l;
                    it.remove();
                    break;
                }
            }
        }
        for (int i = 0; i < points.length; i++) {
            if (out[i] == null) {
                out[i] = old.isEmpty() ? new Logits(whole, chunks.length) : old.remove(old.size() - 1);
                out[i].point = points[i];
                out[i].complete = false;
            }
            out[i].products = 0;
        }
        return out;
    }

    /** Holds a pass's logits for the next pass: whole ones complete now (every chunk computed), scratch for reuse. */
    private void keep(Logits[] used, Partial p) {
        for (Logits l : used) {
            p.logitProducts += l.products;
            l.complete = l.whole;
        }
        kept = new SoftReference<>(used);
    }

    /** Drops the kept logits: the next passes compute them again (tests: kept or not, the same bits). */
    void forgetLogits() {
        kept = null;
    }

    /**
     * Data loss and gradient (without the L2 term) at {@code v}, chunk by chunk, and the rows of
     * {@code sample} (sorted global row indices; null for none), or every row when {@code all}.
     *
     * @param offset the global index of this block's first row
     */
    Partial gradient(double[] v, int k, double floor, double total, long offset, long[] sample, boolean all) {
        Partial p = new Partial(v.length, 0); // the point's size: an empty partition (d = -1) still adds a whole gradient
        double[] g = new double[p.grad.length];
        Logits[] at = logitsAt(k, v);
        for (int c = 0; c < chunks.length; c++) {
            HeadBatch b = pointed(c, k, floor, total);
            p.loss += addLossAndGradient(b, at[0].of(c, b, k), g, p.grad);
        }
        keep(at, p);
        p.rows = gather(offset, sample, all);
        return p;
    }

    /**
     * Along the step from {@code v} to {@code next} (the point at length 1), chunk by chunk: the step's logit image
     * {@code dz = z(next) - z(v)}, its largest spread and the FGN and full-GGN curvature along it (when
     * {@code curvature}), the data loss at each of {@code lengths} (at {@code z(v) + t dz}); when {@code fused}
     * ({@code lengths[0] = 1}), also the data loss and gradient at {@code next} (from its own logits: exactly a
     * gradient pass's there), with {@code half} also at the second length (from {@code z(v) + lengths[1] dz}), and
     * the rows of {@code sample} (as {@link #gradient} gathers them). The logits at {@code v} and {@code next} are
     * kept for the next pass.
     *
     * @param offset the global index of this block's first row
     */
    Partial line(double[] v, double[] next, int k, double floor, double total, double[] lengths, boolean curvature,
                 boolean fused, boolean half, long offset, long[] sample) {
        if (fused && lengths[0] != 1.0) {
            throw new IllegalArgumentException("a fused line pass starts at length 1, got " + lengths[0]);
        }
        Partial p = new Partial(fused ? v.length : 0, lengths.length, fused && half ? v.length : 0);
        double[] g = fused ? new double[p.grad.length] : null;
        Logits[] at = logitsAt(k, v, next);
        for (int c = 0; c < chunks.length; c++) {
            HeadBatch b = pointed(c, k, floor, total);
            double[] z = at[0].of(c, b, k);
            double[] z1 = at[1].of(c, b, k);
            int n = b.rows() * k;
            double[] dz = lineScratch(0, b.capacity() * k);
            for (int t = 0; t < n; t++) {
                dz[t] = z1[t] - z[t];
            }
            if (curvature) {
                p.spread = Math.max(p.spread, b.maxSpread(dz));
                double[] along = b.curvaturesAlongAt(z, dz);
                p.fgn += along[0];
                p.ggn += along[1];
            }
            // with fused, the losses at the fused lengths are the ones taken with their gradients (the same bits)
            for (int t = fused ? (half ? 2 : 1) : 0; t < lengths.length; t++) {
                p.losses[t] += b.dataLossAlongAt(z, dz, lengths[t]);
            }
            if (fused) {
                double first = addLossAndGradient(b, z1, g, p.grad);
                p.loss += first;
                p.losses[0] += first;
                if (half) {
                    double[] moved = lineScratch(1, dz.length);
                    for (int t = 0; t < n; t++) {
                        moved[t] = z[t] + lengths[1] * dz[t]; // as dataLossAlongAt forms the trial's logits
                    }
                    double second = addLossAndGradient(b, moved, g, p.grad2);
                    p.loss2 += second;
                    p.losses[1] += second;
                }
            }
        }
        keep(at, p);
        if (fused) {
            p.rows = gather(offset, sample, false);
        }
        return p;
    }

    /** Line-pass scratch {@code i} (the step's logit image, the logits at the second fused length) of {@code length}. */
    private double[] lineScratch(int i, int length) {
        if (lineScratch == null) {
            lineScratch = new double[2][];
        }
        if (lineScratch[i] == null || lineScratch[i].length != length) {
            lineScratch[i] = new double[length];
        }
        return lineScratch[i];
    }

    /** {@code sum += } the data gradient of {@code b} at {@code logits}, {@code g} as scratch; returns the data loss there. */
    private static double addLossAndGradient(HeadBatch b, double[] logits, double[] g, double[] sum) {
        double loss = b.dataLossAndGradientAt(logits, g);
        for (int t = 0; t < g.length; t++) {
            sum[t] += g[t];
        }
        return loss;
    }

    /** The rows of this block among {@code sample} (sorted global indices, or null), or all of them; null for none. */
    private Gathered gather(long offset, long[] sample, boolean all) {
        if (rows == 0) {
            return null;
        }
        if (all) {
            return Gathered.of(this, null, 0, rows);
        }
        if (sample == null) {
            return null;
        }
        int from = lowerBound(sample, offset);
        int to = lowerBound(sample, offset + rows);
        if (to <= from) {
            return null;
        }
        int[] local = new int[to - from];
        for (int a = from; a < to; a++) {
            local[a - from] = (int) (sample[a] - offset);
        }
        return Gathered.of(this, local, 0, local.length);
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
        /** Whether every stored value is a float (then a dense partition keeps float, exactly). */
        boolean allFloat = true;

        void add(int j, double x, Stats s, int row) {
            if (!Double.isFinite(x)) {
                s.nonFinite(row, j, x);
            }
            allFloat &= (double) (float) x == x;
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
