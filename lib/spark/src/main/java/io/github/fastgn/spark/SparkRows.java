package io.github.fastgn.spark;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.internal.head.ExternalRows;
import io.github.fastgn.internal.head.FullData;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cached blocks of a fit as the core optimizer's rows ({@link ExternalRows}); the driver's
 * side of the distributed passes.
 *
 * <p>The optimizer works on standardised features: dense rows centred and scaled,
 * {@code (x - mean) / s}, sparse rows scaled only, {@code x / s} (or raw ones, {@code s = 1},
 * no centring); the executors keep the raw rows and evaluate {@code [W / s | b - (W / s) mean]}
 * ({@link #toRaw}), the same logits, and the gradient on the standardised features comes from the
 * raw one as {@code (G_j - G_bias mean_j) / s_j} (virtual centring: the rows are never centred
 * where they are stored; the gathered curvature rows are, on the driver). Without the centring a
 * feature with a large common offset (a timestamp, a year) makes the problem so ill-conditioned
 * against the bias that a fit can stop early: features shifted by {@code 1.7e9} stopped as
 * converged at an objective 19 times the optimum on a 300-row test set. One pass per step in the common case: the line pass computes the logits at the point
 * and at length 1 (the step's logit image is their difference), its spread, both curvatures along
 * it, the data loss at the lengths {@code 1, 1/2, ..., 2^-7} (the search's trials when the guard does
 * not cap the first one; only {@code 1} and {@code 1/2} after a step taken at length 1,
 * {@link #LENGTHS_AFTER_FULL_STEP}), the data loss and gradient at length 1 (from its logits; at 1/2
 * as well, one product more, when the last step was shorter than 1) and gathers the next step's
 * curvature rows (a fresh sample, drawn on the driver as
 * global row indices beforehand, so the same for any partitioning; rows, labels and weights do
 * not depend on the point). When the search accepts length 1, {@link #move} (and an
 * {@link #evaluate} at that very point, the optimizer's periodic refresh and its final report)
 * return the kept loss and gradient without a job. A gradient pass when the search accepts another
 * length, and a further line pass (eight halvings at once) only when it asks for a length that the
 * first did not try (a guard that caps the step, a search past {@code 2^-7}). Each pass is one Spark job ({@link TreeSum}); the point
 * and the point at length 1 go to the executors as broadcasts (once per executor). The executors keep
 * each pass's logits ({@code Block}, when they take at most an eighth of the heap, softly): a step
 * accepted at length 1 starts where the last pass evaluated length 1, so its pass computes one logit
 * product and the transpose product (two data products a step), and a further search pass none.
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
    /**
     * Trial lengths of a step's first line pass when the last step was taken at length 1: {@code 1}
     * and {@code 1/2}. A search that took length 1 mostly takes it again (on {@code syn} every step
     * does), and there the six shorter lengths were six of the pass's eight {@code n K}
     * exponentials for nothing; a search that does go below 1/2 asks for them in one more pass.
     */
    static final int LENGTHS_AFTER_FULL_STEP = 2;

    private final JavaRDD<Block> blocks;
    private final long n;
    private final int d;
    private final int k;
    private final long stored;
    private final boolean sparse;
    private final double total;
    private final long[] offsets;
    /**
     * The standardisation the optimizer's features are under (full for dense rows, scale-only for
     * sparse ones, the identity without it): its fold gives the executors' raw parameters and its
     * adjoint the optimizer's gradient.
     */
    private final Standardizer standardizer;
    /** Its column means (zero when scale-only or off) and scales, read per value when rows are gathered. */
    private final double[] centre;
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
    /** Chunk logit products the executors computed (the others came from logits they kept). */
    private long logitProducts;

    /** The current point as the optimizer holds it ({@code [W | b]} on {@code x / s}), and as the executors evaluate it. */
    private double[] current;
    private double[] currentRaw;
    /**
     * The point at length 1 along the kept direction, as the executors evaluate it ({@code toRaw(current + step)},
     * the point the optimizer takes at length 1: the executors' kept logits there serve the next step); the line
     * pass's results.
     */
    private double[] nextRaw;
    private double fgn;
    private double ggn;
    private final Map<Double, Double> lossAt = new HashMap<>();
    /** The current curvature rows (all rows: kept from the first gradient pass). */
    private Gathered curvature;
    /** The next step's curvature rows, gathered by the last line pass (null when the curvature is all rows). */
    private Gathered pending;
    /**
     * Points whose objective and gradient (L2 term included) a pass gave: the last gradient pass's, or
     * the last line pass's lengths 1 and (when the last step was shorter) 1/2 along the kept direction,
     * computed as the optimizer's step computes them. Moving or evaluating at one needs no job.
     */
    private final List<Known> known = new ArrayList<>();
    /** The length of the last step taken (1 before the first). */
    private double lastAlpha = 1.0;
    private HeadBatch filled;
    private Gathered filledWith;
    /** Scratch for the curvature rows' features. */
    private double[] denseRows;

    SparkRows(JavaRDD<Block> blocks, long n, int d, int k, long stored, boolean sparse, double total, long[] offsets,
              Standardizer standardizer, int depth, long seed) {
        this.blocks = blocks;
        this.n = n;
        this.d = d;
        this.k = k;
        this.stored = stored;
        this.sparse = sparse;
        this.total = total;
        this.offsets = offsets;
        this.standardizer = standardizer;
        this.centre = standardizer.mean();
        this.scale = standardizer.scale();
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

    /** The cached blocks (for tests). */
    JavaRDD<Block> blocks() {
        return blocks;
    }

    /** Chunk logit products the executors computed in those jobs. */
    long logitProducts() {
        return logitProducts;
    }

    @Override
    public double evaluate(double[] params, double[] grad) {
        Known at = knownAt(params);
        return at != null ? fromKnown(at, params, grad) : gradientPass(params, grad);
    }

    @Override
    public double move(double alpha, double[] params, double[] grad) {
        lastAlpha = alpha;
        return evaluate(params, grad);
    }

    /** The objective and gradient a pass gave at {@code params}, or null. */
    private Known knownAt(double[] params) {
        for (Known at : known) {
            if (Arrays.equals(params, at.point)) {
                return at;
            }
        }
        return null;
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
        known.add(new Known(params.clone(), f, grad.clone()));
        return f;
    }

    /** The kept objective and gradient at {@code params}, which becomes the current point. */
    private double fromKnown(Known at, double[] params, double[] grad) {
        System.arraycopy(at.grad, 0, grad, 0, grad.length);
        current = params.clone();
        currentRaw = toRaw(params);
        return at.objective;
    }

    /** Makes {@code params} the current point (the last line pass's results no longer apply). */
    private void atPoint(double[] params, double[] raw) {
        current = params.clone();
        currentRaw = raw;
        known.clear();
    }

    /** A point, and the objective and gradient there. */
    private record Known(double[] point, double objective, double[] grad) {
    }

    /** The objective from a pass's data loss and raw-feature data gradient; its gradient into {@code grad}. */
    private double objective(double loss, double[] rawGrad, double[] params, double[] grad) {
        standardizer.standardizedGradient(rawGrad, k, grad);
        int dd = d + 1;
        for (int c = 0; c < k; c++) {
            for (int j = c * dd, end = j + d; j < end; j++) {
                grad[j] += gamma * params[j];
            }
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
        if (sparse) {
            int[] rs = new int[g.rows + 1];
            int[] cols = new int[Math.toIntExact(g.storedValues(d))];
            double[] v = new double[cols.length];
            int[] at = {0};
            g.forEach(d, (i, j, x) -> {
                cols[at[0]] = j;
                v[at[0]] = x / scale[j];
                rs[i + 1] = ++at[0];
            });
            for (int i = 0; i < g.rows; i++) {
                rs[i + 1] = Math.max(rs[i + 1], rs[i]); // a row without stored values ends where the last one did
            }
            rows.setBatch(CsrFeatures.of(rs, cols, v, g.rows, d), g.labels(), g.weights(), Double.NaN);
        } else {
            if (denseRows == null || denseRows.length < g.rows * d) {
                denseRows = new double[g.rows * d];
            }
            double[] x = denseRows;
            Arrays.fill(x, 0, g.rows * d, 0.0);
            g.forEach(d, (i, j, value) -> x[i * d + j] = standardized(value, j));
            rows.setBatch(x, g.labels(), g.weights(), g.rows);
        }
        filled = rows;
        filledWith = g;
    }

    /**
     * Half of {@code spark.driver.maxResultSize} (default 1g; 0 for no limit) over a gathered row's
     * serialised size (a double per value of a dense row, a column index and a double per stored value of a
     * sparse one, its label and weight): the rows gathered in one pass come back as that pass's result.
     */
    @Override
    public int gatherLimit() {
        long max = blocks.context().getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
        if (max <= 0) {
            return Integer.MAX_VALUE;
        }
        long perRow = (sparse ? 12L * Math.max(1L, stored / Math.max(1L, n)) : 8L * d) + 16;
        return (int) Math.min(Integer.MAX_VALUE, max / 2 / perRow);
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
            g.forEach(d, (i, j, value) -> x[i * d + j] = (float) standardized(value, j));
            keptData = new FullData(x, g.labels(), g.weights(), g.rows, d, k, parallel);
            curvature = null; // the rows live on in keptData
        }
        return keptData;
    }

    @Override
    public double direction(double[] step) {
        nextRaw = toRaw(along(step, 1.0));
        lossAt.clear();
        double[] lengths = halvings(1.0, lastAlpha < 1.0 ? LENGTHS : LENGTHS_AFTER_FULL_STEP);
        boolean fresh = sampled && !fixed;
        long[] sample = fresh ? drawSample() : null;
        // the gradient at 1/2 as well when the last step was shorter than 1 (one more product a pass, saving
        // a gradient pass whenever the search takes 1/2 again)
        boolean half = lastAlpha < 1.0;
        Partial p = line(lengths, true, half, sample);
        fgn = p.fgn;
        ggn = p.ggn;
        if (fresh) {
            pending = p.rows;
        }
        known.clear();
        known.add(along(step, lengths[0], p.loss, p.grad));
        if (half) {
            known.add(along(step, lengths[1], p.loss2, p.grad2));
        }
        return p.spread;
    }

    /** The point {@code alpha} along {@code step} from the current one, with the objective and gradient a pass gave there. */
    private Known along(double[] step, double alpha, double loss, double[] rawGrad) {
        double[] point = along(step, alpha);
        double[] grad = new double[current.length];
        double f = objective(loss, rawGrad, point, grad);
        return new Known(point, f, grad);
    }

    /** The point {@code alpha} along {@code step} from the current one, as the optimizer's step computes it. */
    private double[] along(double[] step, double alpha) {
        double[] point = new double[current.length];
        for (int t = 0; t < point.length; t++) {
            point[t] = current[t] + alpha * step[t];
        }
        return point;
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
        line(halvings(alpha, LENGTHS), false, false, null);
        return lossAt.get(alpha);
    }

    @Override
    public long rowsRead() {
        return rowsRead;
    }

    /**
     * A line pass along the kept direction at the current point: the data loss at {@code lengths};
     * with {@code first} (the step's first pass) also the spread, the curvatures, the loss and
     * gradient at {@code lengths[0]} (and {@code lengths[1]} with {@code half}) and the rows of
     * {@code sample}.
     */
    private Partial line(double[] lengths, boolean first, boolean half, long[] sample) {
        Broadcast<double[]> v = broadcast(currentRaw);
        Broadcast<double[]> s = broadcast(nextRaw);
        int kk = k;
        double fl = floor;
        double tot = total;
        long[] off = offsets;
        Partial p;
        try {
            p = run(first ? "step direction, search and next gradient" : "search",
                    b -> b.line(v.value(), s.value(), kk, fl, tot, lengths, first, first, half, off[b.partition],
                            sample));
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
            logitProducts += p.logitProducts;
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

    /** {@code alpha, alpha/2, ...} ({@code count} of them): the trial lengths of a search from {@code alpha}. */
    static double[] halvings(double alpha, int count) {
        double[] a = new double[count];
        double t = alpha;
        for (int i = 0; i < count; i++) {
            a[i] = t;
            t *= 0.5;
        }
        return a;
    }

    /**
     * Parameters on the raw features from the optimizer's: {@code W / s}, and with centring the bias
     * {@code b - (W / s) mean}, which give the same logits on raw rows as {@code [W | b]} on the
     * standardised ones ({@link Standardizer#foldIntoWeights}).
     */
    double[] toRaw(double[] params) {
        return standardizer.foldIntoWeights(params, k);
    }

    /** A dense row's value of feature {@code j} as the optimizer sees it: centred (when it is) and scaled. */
    private double standardized(double value, int j) {
        return (value - centre[j]) / scale[j];
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
