package io.github.fastgn.spark;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.internal.head.ExternalRows;
import io.github.fastgn.internal.head.FullData;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cached blocks of a fit as the core optimizer's rows ({@link ExternalRows}); the driver's
 * side of the distributed passes.
 *
 * <p>The optimizer works on scale-only standardised features {@code x / s} (or raw ones,
 * {@code s = 1}); the executors keep the raw rows and evaluate {@code [W / s | b]}, the same
 * logits. One pass per step in the common case: the line pass computes the logits at the point
 * and the step's logit image, its spread, both curvatures along it, the data loss at the lengths
 * {@code 1, 1/2, ..., 2^-19} (the search's trials when the guard does not cap the first one),
 * the data loss and gradient at length 1 (from the moved logits: three data products per step
 * in all) and gathers the next step's curvature rows (a fresh sample, drawn on the driver as
 * global row indices beforehand, so the same for any partitioning; rows, labels and weights do
 * not depend on the point). When the search accepts length 1, {@link #move} (and an
 * {@link #evaluate} at that very point, the optimizer's periodic refresh and its final report)
 * return the kept loss and gradient without a job. A gradient pass when the search accepts a
 * shorter length, and a further line pass (eight halvings at once) only when it asks for a length
 * that is not a halving of 1 (a guard that caps the step). Each pass is one Spark job ({@link TreeSum}); the point
 * and the step go to the executors as broadcasts (once per executor).
 *
 * <p>As in the in-memory source, every step's curvature comes from a fresh sample (the one the
 * previous line pass gathered), a step retried after a rejection included; the first from the
 * first gradient pass. With a fixed sample ({@link #begin} with {@code fixed}: many classes, where the
 * optimizer takes the top-competitor curvature of {@code 64 K} rows), the first gradient pass gathers
 * it once, {@link #curvatureData} holds it on the driver in float, and the line passes gather nothing.
 * A gradient pass keeps its objective and gradient, so an evaluation at the same point needs no job.
 */
final class SparkRows implements ExternalRows {

    private static final Logger LOG = Logger.getLogger(FGNClassifier.class.getName());
    /**
     * Trial lengths per line pass, {@code 1} to {@code 2^-7}: each costs {@code K} exponentials a row
     * on the executors (at {@code K = 1000}, twenty of them were a quarter of a {@code syn} fit's
     * samples); a search that backtracks further asks for the next ones in one more pass.
     */
    static final int LENGTHS = 8;

    private final JavaRDD<Block> blocks;
    private final long n;
    private final int d;
    private final int k;
    private final long stored;
    private final boolean sparse;
    private final double total;
    private final long[] offsets;
    /** Column scales of the standardisation (all 1 without it). */
    private final double[] scale;
    private final int depth;
    private final SplittableRandom rng;

    private int sampleSize;
    private boolean sampled;
    /** Whether the curvature rows are drawn once and kept ({@link #curvatureData}). */
    private boolean fixed;
    /** Whether the first pass gathered the (first) curvature rows. */
    private boolean gathered;
    /** The fixed curvature rows as the optimizer's full data, once built. */
    private FullData keptData;
    private double floor;
    private double gamma;
    private long rowsRead;
    private long passes;

    /** The current point as the optimizer holds it ({@code [W | b]} on {@code x / s}), and as the executors evaluate it. */
    private double[] current;
    private double[] currentRaw;
    /** The kept direction, as the executors evaluate it; the line pass's results. */
    private double[] stepRaw;
    private double fgn;
    private double ggn;
    private final Map<Double, Double> lossAt = new HashMap<>();
    /** The current curvature rows (all rows: kept from the first gradient pass). */
    private Gathered curvature;
    /** The next step's curvature rows, gathered by the last line pass (null when the curvature is all rows). */
    private Gathered pending;
    /** The point at length 1 along the kept direction (as the optimizer's step computes it), or null. */
    private double[] fusedPoint;
    /** The objective and gradient at {@link #fusedPoint}, L2 term included. */
    private double fusedObjective;
    private double[] fusedGrad;
    private HeadBatch filled;
    private Gathered filledWith;
    /** Scratch for the curvature rows' features. */
    private double[] denseRows;

    SparkRows(JavaRDD<Block> blocks, long n, int d, int k, long stored, boolean sparse, double total, long[] offsets,
              double[] scale, int depth, long seed) {
        this.blocks = blocks;
        this.n = n;
        this.d = d;
        this.k = k;
        this.stored = stored;
        this.sparse = sparse;
        this.total = total;
        this.offsets = offsets;
        this.scale = scale;
        this.depth = depth;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public long size() {
        return n;
    }

    @Override
    public int featureCount() {
        return d;
    }

    @Override
    public int classCount() {
        return k;
    }

    @Override
    public long storedValues() {
        return stored;
    }

    @Override
    public boolean sparse() {
        return sparse;
    }

    @Override
    public void begin(int sampleSize, boolean fixed, double weightFloor, double gamma) {
        this.sampleSize = sampleSize;
        this.sampled = sampleSize < n;
        this.fixed = fixed;
        this.floor = weightFloor;
        this.gamma = gamma;
    }

    /** Spark jobs this source ran (passes over the data). */
    long passes() {
        return passes;
    }

    @Override
    public double evaluate(double[] params, double[] grad) {
        if (Arrays.equals(params, fusedPoint)) {
            return fromFused(params, grad);
        }
        return gradientPass(params, grad);
    }

    @Override
    public double move(double alpha, double[] params, double[] grad) {
        if (alpha == 1.0 && Arrays.equals(params, fusedPoint)) {
            return fromFused(params, grad);
        }
        return gradientPass(params, grad);
    }

    /** Objective and gradient at {@code params} by a pass; the first one also gathers the curvature rows. */
    private double gradientPass(double[] params, double[] grad) {
        boolean first = !gathered;
        long[] sample = first && sampled ? drawSample() : null;
        boolean all = first && !sampled;
        double[] raw = toRaw(params);
        Broadcast<double[]> v = broadcast(raw);
        int kk = k;
        double fl = floor;
        double tot = total;
        long[] off = offsets;
        Partial p;
        try {
            p = run("gradient", b -> b.gradient(v.value(), kk, fl, tot, off[b.partition], sample, all));
        } finally {
            v.destroy();
        }
        if (first) {
            curvature = p.rows;
            gathered = true;
        }
        atPoint(params, raw);
        double f = objective(p.loss, p.grad, params, grad);
        // an evaluation at this very point (the optimizer's first, after a source's setup pass) needs no job
        fusedPoint = params.clone();
        fusedGrad = grad.clone();
        fusedObjective = f;
        return f;
    }

    /**
     * The kept objective and gradient of the last line pass at {@code params}, its fused point, which
     * becomes the current point (and stays the fused point: an evaluation there needs no job either).
     */
    private double fromFused(double[] params, double[] grad) {
        System.arraycopy(fusedGrad, 0, grad, 0, grad.length);
        current = params.clone();
        currentRaw = toRaw(params);
        return fusedObjective;
    }

    /** Makes {@code params} the current point (the last line pass's results no longer apply). */
    private void atPoint(double[] params, double[] raw) {
        current = params.clone();
        currentRaw = raw;
        fusedPoint = null;
        fusedGrad = null;
    }

    /** The objective from a pass's data loss and raw-feature data gradient; its gradient into {@code grad}. */
    private double objective(double loss, double[] rawGrad, double[] params, double[] grad) {
        int dd = d + 1;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                grad[c * dd + j] = rawGrad[c * dd + j] / scale[j] + gamma * params[c * dd + j];
            }
            grad[c * dd + d] = rawGrad[c * dd + d];
        }
        return loss + 0.5 * gamma * HeadBatch.weightNormSquared(params, params, d, k);
    }

    @Override
    public void sampleInto(HeadBatch rows) {
        if (pending != null) {
            curvature = pending; // a fresh sample for this step
            pending = null;
        }
        if (filled == rows && filledWith == curvature) {
            return; // the same rows: the caller re-evaluates them at its point
        }
        Gathered g = curvature;
        double[] v = new double[g.values.length];
        for (int q = 0; q < v.length; q++) {
            v[q] = g.values[q] / scale[g.columns[q]];
        }
        if (sparse) {
            rows.setBatch(CsrFeatures.of(g.rowStart, g.columns, v, g.rows, d), g.labels, g.weights, Double.NaN);
        } else {
            if (denseRows == null || denseRows.length < g.rows * d) {
                denseRows = new double[g.rows * d];
            }
            Arrays.fill(denseRows, 0, g.rows * d, 0.0);
            for (int i = 0; i < g.rows; i++) {
                for (int q = g.rowStart[i]; q < g.rowStart[i + 1]; q++) {
                    denseRows[i * d + g.columns[q]] = v[q];
                }
            }
            rows.setBatch(denseRows, g.labels, g.weights, g.rows);
        }
        filled = rows;
        filledWith = g;
    }

    @Override
    public FullData curvatureData(Parallel parallel) {
        if (!fixed || !gathered) {
            throw new IllegalStateException("the curvature rows are kept only by a run begun with a fixed sample,"
                    + " after its first evaluation");
        }
        if (keptData == null) {
            Gathered g = curvature;
            float[] x = new float[Math.multiplyExact(g.rows, d)];
            for (int i = 0; i < g.rows; i++) {
                for (int q = g.rowStart[i]; q < g.rowStart[i + 1]; q++) {
                    x[i * d + g.columns[q]] = (float) (g.values[q] / scale[g.columns[q]]);
                }
            }
            keptData = new FullData(x, g.labels, g.weights, g.rows, d, k, parallel);
            curvature = null; // the rows live on in keptData
        }
        return keptData;
    }

    @Override
    public double direction(double[] step) {
        stepRaw = toRaw(step);
        lossAt.clear();
        double[] lengths = halvings(1.0);
        boolean fresh = sampled && !fixed;
        long[] sample = fresh ? drawSample() : null;
        Partial p = line(lengths, true, sample);
        fgn = p.fgn;
        ggn = p.ggn;
        if (fresh) {
            pending = p.rows;
        }
        // the point the optimizer reaches by a step of length 1, computed as it computes it
        fusedPoint = new double[current.length];
        for (int t = 0; t < fusedPoint.length; t++) {
            fusedPoint[t] = current[t] + lengths[0] * step[t];
        }
        fusedGrad = new double[current.length];
        fusedObjective = objective(p.loss, p.grad, fusedPoint, fusedGrad);
        return p.spread;
    }

    @Override
    public double curvatureAlong(boolean fgnCurvature) {
        return fgnCurvature ? fgn : ggn;
    }

    @Override
    public double dataLossAlong(double alpha) {
        Double known = lossAt.get(alpha);
        if (known != null) {
            return known;
        }
        line(halvings(alpha), false, null);
        return lossAt.get(alpha);
    }

    @Override
    public long rowsRead() {
        return rowsRead;
    }

    /**
     * A line pass along the kept direction at the current point: the data loss at {@code lengths};
     * with {@code first} (the step's first pass) also the spread, the curvatures, the loss and
     * gradient at {@code lengths[0]} and the rows of {@code sample}.
     */
    private Partial line(double[] lengths, boolean first, long[] sample) {
        Broadcast<double[]> v = broadcast(currentRaw);
        Broadcast<double[]> s = broadcast(stepRaw);
        int kk = k;
        double fl = floor;
        double tot = total;
        long[] off = offsets;
        Partial p;
        try {
            p = run(first ? "step direction, search and next gradient" : "search",
                    b -> b.line(v.value(), s.value(), kk, fl, tot, lengths, first, first, off[b.partition], sample));
        } finally {
            v.destroy();
            s.destroy();
        }
        for (int t = 0; t < lengths.length; t++) {
            lossAt.put(lengths[t], p.losses[t]);
        }
        return p;
    }

    private Partial run(String what, org.apache.spark.api.java.function.Function<Block, Partial> pass) {
        blocks.context().setJobDescription("FastGN " + what + " (pass " + (passes + 1) + ")");
        try {
            Partial p = TreeSum.sum(blocks, pass, depth);
            passes++;
            rowsRead += n;
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("FastGN pass " + passes + ": " + what);
            }
            return p;
        } finally {
            blocks.context().setJobDescription(null);
        }
    }

    /** {@code a} shipped once per executor (not with every task, as a closure would be). */
    private Broadcast<double[]> broadcast(double[] a) {
        return JavaSparkContext.fromSparkContext(blocks.context()).broadcast(a);
    }

    /** {@code alpha, alpha/2, ...}: the trial lengths of a search from {@code alpha}. */
    static double[] halvings(double alpha) {
        double[] a = new double[LENGTHS];
        double t = alpha;
        for (int i = 0; i < LENGTHS; i++) {
            a[i] = t;
            t *= 0.5;
        }
        return a;
    }

    /** {@code [W | b]} on {@code x / s} as {@code [W / s | b]} on raw {@code x}. */
    private double[] toRaw(double[] params) {
        double[] out = params.clone();
        int dd = d + 1;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                out[c * dd + j] /= scale[j];
            }
        }
        return out;
    }

    /** {@code sampleSize} distinct global row indices, sorted (Floyd's algorithm on the seeded generator). */
    private long[] drawSample() {
        Set<Long> chosen = new HashSet<>(2 * sampleSize);
        for (long j = n - sampleSize; j < n; j++) {
            long t = rng.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        long[] out = new long[sampleSize];
        int i = 0;
        for (long t : chosen) {
            out[i++] = t;
        }
        Arrays.sort(out);
        return out;
    }
}
