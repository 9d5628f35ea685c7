package io.github.fastgn.internal.head;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.FeatureMatrix;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * A linear softmax head {@code z = W x + b} evaluated at one parameter point on one batch: the
 * logits and every per-example quantity of the scalar true-vs-rest margin (ALGORITHM.md §1), and
 * the matrix-free products built from them.
 *
 * <p>Per example {@code i} with label {@code y}: the competitor softmax {@code q}, the margin
 * {@code m = z_y - LSE_{j != y} z_j}, {@code u = e_y - q = dm/dz}, the loss
 * {@code softplus(-m)}, {@code p_y = sigma(m)}, {@code 1 - p_y = sigma(-m)} (never formed by
 * subtraction) and the FGN weight {@code w = p_y (1 - p_y)}, floored at {@code wFloor} in both the
 * whitening {@code sw = sqrt(beta w)} and the right-hand side {@code r = beta l'(m) / sw}, so that
 * {@code A^T r} is exactly the data gradient. {@code beta_i} are the example weights normalised to
 * sum to one ({@code 1/B} when unweighted).
 *
 * <p>Parameters and directions are row-major {@code K x D} arrays {@code [W | b]},
 * {@code D = d + 1}. The whitened margin map has rows {@code a_i = sw_i vec(u_i x~_i^T)}: its
 * Jacobian-vector product is {@link #jvp}, the transpose product {@link #vjp}; {@link #ggnProduct}
 * applies the full GGN (for a linear head, the exact Hessian of the data term).
 *
 * <p>Features come as row-major arrays (double or float) or as a {@link FeatureMatrix} (sparse
 * rows, {@link CsrFeatures}): every product goes through the storage's own kernels, and nothing
 * here densifies a matrix. The readers of the features use storage-neutral calls
 * ({@link #featureGram}, {@link #augmentedSquaredNorms}, {@link #squaredRowProduct},
 * {@link #curvatureDiagonal}); {@link #featureRows()} and {@link #squaredFeatures()} exist for
 * array batches only ({@link #hasFeatureRows()}).
 *
 * <p>All work arrays are sized once for a capacity and reused: nothing here allocates after
 * construction except the squared features (and a matrix batch's row list) on first use.
 */
public final class HeadBatch {

    private final int capacity;
    /** Features per row; changes only when this object is reused as another batch's {@link #onStoredColumns}. */
    private int d;
    private final int k;
    private final double wFloor;
    private final Parallel parallel;
    /** Per-row values of the parallel row loops, summed in row order; allocated on first use. */
    private double[] rowValues;
    private double[] fgnRowValues;
    /** Partial sums of the fused products ({@link #ggnProduct}), allocated on first use. */
    private double[][] fusedPartials;
    /** The GGN product's per-row map on {@link #scratch}, made once (not a new lambda per CG iteration). */
    private final HeadKernels.RowMap ggnMap = this::ggnLogitsOnScratch;

    /** Features of the current batch: exactly one of the two is set (float storage halves traffic). */
    private double[] x;
    private float[] xf;
    /** Features as a matrix (sparse rows), or null when they are arrays. */
    private FeatureMatrix xm;
    /** Elementwise squares of {@link #xm}, built on first use per batch. */
    private FeatureMatrix xmSquared;
    /** {@code 0 .. rows-1}, for the matrix Gram. */
    private int[] allRows;
    /** Scratch of {@link #featureGram} with column weights on dense rows: the rows scaled by {@code sqrt(q)}. */
    private double[] scaledRows;
    private double[] rootWeights;
    /** {@link #featureRows()} of a float batch, widened on first use. */
    private double[] xWidened;
    private int[] y;
    private int rows;
    /** Incremented by every {@link #setBatch}, so solvers can cache per-batch matrices. */
    private long batchVersion;
    /** Feature rows read since construction ({@link #rowsRead()}). */
    private long rowsRead;
    private double[] xSquared;
    /** The batch {@link #onStoredColumns} restricts into, kept for the next call. */
    private HeadBatch storedColumnsBatch;

    private final double[] beta;
    /** Logits, {@code rows x K}. */
    private final double[] z;
    private final double[] p;
    private final double[] u;
    private final double[] margin;
    private final double[] loss;
    private final double[] oneMinusPy;
    private final double[] sw;
    private final double[] r;
    /** Scratch {@code rows x K} for the products. */
    private final double[] scratch;
    /** One row's trial logits ({@link #dataLossAlong}). */
    private final double[] trialRow;

    /**
     * @param capacity the largest batch this object will hold
     * @param d        number of features (without the bias)
     * @param k        number of classes (at least 2)
     * @param wFloor   the floor on {@code w = p_y (1-p_y)}; positive
     */
    public HeadBatch(int capacity, int d, int k, double wFloor, Parallel parallel) {
        if (k < 2) {
            throw new IllegalArgumentException("a softmax head needs at least 2 classes, got " + k);
        }
        if (!(wFloor > 0)) {
            throw new IllegalArgumentException("wFloor must be positive, got " + wFloor);
        }
        this.capacity = capacity;
        this.d = d;
        this.k = k;
        this.wFloor = wFloor;
        this.parallel = parallel;
        this.beta = new double[capacity];
        this.z = new double[capacity * k];
        this.p = new double[capacity * k];
        this.u = new double[capacity * k];
        this.margin = new double[capacity];
        this.loss = new double[capacity];
        this.oneMinusPy = new double[capacity];
        this.sw = new double[capacity];
        this.r = new double[capacity];
        this.scratch = new double[capacity * k];
        this.trialRow = new double[k];
    }

    /**
     * Points this object at a batch of examples. The arrays are referenced, not copied.
     *
     * @param x       features, row-major {@code rows x d}
     * @param y       labels in {@code [0, K)}
     * @param weights example weights (non-negative, positive sum), or null for equal weights
     */
    public void setBatch(double[] x, int[] y, double[] weights, int rows) {
        setBatch(x, y, weights, rows, Double.NaN);
    }

    /**
     * As {@link #setBatch(double[], int[], double[], int)}, but normalising the weights by
     * {@code weightTotal} instead of their sum over this batch: a chunk of a larger data set then
     * contributes its share of the whole objective, so chunk losses and gradients add up.
     *
     * @param weightTotal total weight of the whole data set (its size when unweighted), or NaN to
     *                    normalise over this batch
     */
    public void setBatch(double[] x, int[] y, double[] weights, int rows, double weightTotal) {
        if (rows > capacity || rows < 1) {
            throw new IllegalArgumentException("batch of " + rows + " rows does not fit capacity " + capacity);
        }
        this.x = x;
        this.xf = null;
        this.xm = null;
        pointAt(y, weights, rows, weightTotal);
    }

    /**
     * As {@link #setBatch(double[], int[], double[], int, double)} with float features: every
     * product widens them to double and sums in double, so results differ from a double batch
     * holding the same (float) values only by summation order inside the kernels.
     */
    public void setBatch(float[] x, int[] y, double[] weights, int rows, double weightTotal) {
        if (rows > capacity || rows < 1) {
            throw new IllegalArgumentException("batch of " + rows + " rows does not fit capacity " + capacity);
        }
        this.x = null;
        this.xf = x;
        this.xm = null;
        pointAt(y, weights, rows, weightTotal);
    }

    /**
     * As {@link #setBatch(double[], int[], double[], int, double)} with the features as a matrix
     * (referenced, not copied) whose rows are the batch: its products run on its own storage
     * (sparse rows stay sparse).
     */
    public void setBatch(FeatureMatrix x, int[] y, double[] weights, double weightTotal) {
        int rows = x.rows();
        if (rows > capacity || rows < 1) {
            throw new IllegalArgumentException("batch of " + rows + " rows does not fit capacity " + capacity);
        }
        if (x.columns() != d) {
            throw new IllegalArgumentException("batch has " + x.columns() + " features, this head " + d);
        }
        this.x = null;
        this.xf = null;
        this.xm = x;
        pointAt(y, weights, rows, weightTotal);
    }

    private void pointAt(int[] y, double[] weights, int rows, double weightTotal) {
        this.y = y;
        this.rows = rows;
        this.xSquared = null;
        this.xWidened = null;
        this.xmSquared = null;
        this.batchVersion++;
        if (weights == null) {
            java.util.Arrays.fill(beta, 0, rows, 1.0 / (Double.isNaN(weightTotal) ? rows : weightTotal));
        } else {
            double total = weightTotal;
            if (Double.isNaN(total)) {
                total = 0;
                for (int i = 0; i < rows; i++) {
                    total += weights[i];
                }
            }
            for (int i = 0; i < rows; i++) {
                beta[i] = weights[i] / total;
            }
        }
    }

    /**
     * This batch on the feature columns its rows store a value in (ALGORITHM.md §7, "Stored
     * columns"), when its features are sparse rows that leave some columns of {@code d} unstored;
     * null for dense features, or when every column is stored (or none).
     *
     * <p>The restricted batch holds the same rows, labels, weights and logits (its margins are
     * recomputed from the same logits by the same code, so they are equal bit for bit); its feature
     * {@code t} is column {@code columns[t]} here. Its products, in the class-major
     * {@code K x (a + 1)} layout with the bias last, are this batch's products restricted to those
     * coordinates, bit for bit; on every other weight coordinate this batch's curvature is zero.
     * It is a snapshot: later changes to this batch's logits are not seen. The restricted batch
     * object is reused by the next call, which re-points it (one restriction in use at a time).
     */
    public StoredColumns onStoredColumns() {
        if (xm == null) {
            return null;
        }
        int[] columns = xm.storedColumns();
        if (columns == null || columns.length == d || columns.length == 0) {
            return null;
        }
        // reused from call to call (its per-row arrays fit any batch of up to its capacity): a fresh one
        // was a few MB of garbage per step of the sampled path (ten n x K arrays of a curvature sample)
        HeadBatch restricted = storedColumnsBatch;
        if (restricted == null || restricted.capacity < rows) {
            restricted = new HeadBatch(rows, columns.length, k, wFloor, parallel);
            storedColumnsBatch = restricted;
        }
        restricted.d = columns.length;
        // beta is normalised already: a total of 1 keeps it as is
        restricted.setBatch(xm.onColumns(columns), y, beta, 1.0);
        restricted.setLogits(z);
        return new StoredColumns(columns, restricted, this);
    }

    /** A batch restricted to its stored feature columns ({@link #onStoredColumns}). */
    public static final class StoredColumns {

        private final int[] columns;
        private final HeadBatch batch;
        private final HeadBatch of;

        private StoredColumns(int[] columns, HeadBatch batch, HeadBatch of) {
            this.columns = columns;
            this.batch = batch;
            this.of = of;
        }

        /** The stored columns, increasing (shared, do not modify). */
        public int[] columns() {
            return columns;
        }

        /** The same rows on those columns only. */
        public HeadBatch batch() {
            return batch;
        }

        /**
         * Moves the rows the restricted batch has read so far into the {@link #rowsRead()} of the
         * batch it restricts, so passes over the data count them.
         */
        public void countReads() {
            of.rowsRead += batch.rowsRead;
            batch.rowsRead = 0;
        }
    }

    /** Computes the logits {@code X~ Wt^T} at {@code wt} and all margin quantities. */
    public void evaluate(double[] wt) {
        rowProduct(wt, z);
        updateMargins();
    }

    /**
     * Takes logits computed elsewhere ({@code rows x K}, e.g. kept per block of a large data set)
     * and recomputes the margins from them: {@link #evaluate} without the product.
     */
    public void setLogits(double[] logits) {
        System.arraycopy(logits, 0, z, 0, rows * k);
        updateMargins();
    }

    /**
     * The logits {@code X~ Wt^T} at {@code wt} into {@code out} ({@code rows x K}), nothing else: this
     * batch's own logits and margins are left as they were (for a caller that keeps logits elsewhere).
     */
    public void logitsInto(double[] wt, double[] out) {
        rowProduct(wt, out);
    }

    /**
     * {@code out = X~ V^T} on this batch's features ({@code rows x K}). When the weight part of
     * {@code V} is 0 (a run's start, or a start from biases alone) every entry is {@code 0 + b_c}
     * whatever the features, so they are not read: the kernels of every storage give those values
     * (each product with a finite feature is a signed zero, and their sums start from +0) and the
     * pass is not counted.
     */
    private void rowProduct(double[] v, double[] out) {
        if (zeroWeights(v)) {
            int dd = d + 1;
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < k; c++) {
                    out[i * k + c] = 0.0 + v[c * dd + d];
                }
            }
            return;
        }
        rowsRead += rows;
        if (xm != null) {
            xm.rowProduct(v, k, out, parallel);
        } else if (xf != null) {
            HeadKernels.rowProduct(xf, rows, d, v, k, out, parallel);
        } else {
            HeadKernels.rowProduct(x, rows, d, v, k, out, parallel);
        }
    }

    /** Whether the weight part of {@code v} (every class's first {@code d} values) is all zeros; stops at the first nonzero. */
    private boolean zeroWeights(double[] v) {
        for (int c = 0, dd = d + 1; c < k; c++) {
            for (int j = c * dd, end = j + d; j < end; j++) {
                if (v[j] != 0.0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code out = C^T X~} on this batch's features ({@code K x D}). */
    private void transposeProduct(double[] c, double[] out) {
        rowsRead += rows;
        if (xm != null) {
            xm.transposeProduct(c, k, out, parallel);
        } else if (xf != null) {
            HeadKernels.transposeProduct(c, xf, rows, d, k, out, parallel);
        } else {
            HeadKernels.transposeProduct(c, x, rows, d, k, out, parallel);
        }
    }

    /**
     * Moves the logits along a logit-space direction, {@code z += alpha dz} (exact for a linear
     * head: {@code dz = X~ S^T} for a parameter step {@code S}), and recomputes the margins.
     */
    public void moveLogits(double[] dz, double alpha) {
        int n = rows * k;
        for (int t = 0; t < n; t++) {
            z[t] += alpha * dz[t];
        }
        updateMargins();
    }

    /** Recomputes every per-example quantity from the current logits. */
    public void updateMargins() {
        // rows are independent, so splitting them changes no result
        parallel.forRange(rows, rowGrain(), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                marginRow(i);
            }
        });
    }

    private void marginRow(int i) {
        int o = i * k;
        int yi = y[i];
        double m = competitorSoftmax(z, o, yi, k, u);
        double py = sigmoid(m);
        double rest = sigmoid(-m);
        for (int c = 0; c < k; c++) {
            if (c != yi) {
                double q = u[o + c];
                u[o + c] = -q;
                p[o + c] = rest * q;
            }
        }
        u[o + yi] = 1.0;
        p[o + yi] = py;
        margin[i] = m;
        oneMinusPy[i] = rest;
        loss[i] = softplus(-m);
        double sqrtW = sqrtWeight(m);
        double sb = Math.sqrt(beta[i]);
        sw[i] = sb * sqrtW;
        r[i] = sb * (-rest) / sqrtW;
    }

    /**
     * {@code sqrt(w)} of a margin, {@code w = sigma(m) sigma(-m)}, as
     * {@code e^{-|m|/2} / (1 + e^{-|m|})} (free of cancellation), floored at {@code sqrt(wFloor)}.
     */
    private double sqrtWeight(double m) {
        double e = Math.exp(-Math.abs(m));
        double sqrtW = Math.exp(-0.5 * Math.abs(m)) / (1.0 + e);
        if (sqrtW * sqrtW < wFloor) {
            sqrtW = Math.sqrt(wFloor);
        }
        return sqrtW;
    }

    /**
     * Row {@code z[o .. o + K)}'s competitor distribution with {@code yi} the true class: writes
     * {@code q_c = e^(z_c - cmax) / sum_(c' != yi) e^(z_c' - cmax)} into {@code q[o + c]} for every
     * {@code c != yi} and 0 at {@code yi} (through the kernels' exponential, the true class excluded as
     * {@code exp(-inf) = 0}), and returns the margin {@code m = z_yi - log sum_(c != yi) e^(z_c)}.
     * The one place the margin map is evaluated: {@link #marginRow} keeps everything derived from it,
     * {@link #dataLossAndGradientAt} and {@link #ggnCurvatureAlongAt} only what they return.
     */
    private static double competitorSoftmax(double[] z, int o, int yi, int k, double[] q) {
        double cmax = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            if (c != yi && z[o + c] > cmax) {
                cmax = z[o + c];
            }
        }
        System.arraycopy(z, o, q, o, k);
        q[o + yi] = Double.NEGATIVE_INFINITY;
        double sum = HeadKernels.expInPlace(q, o, o + k, cmax);
        double m = z[o + yi] - (cmax + Math.log(sum));
        for (int c = o, end = o + k; c < end; c++) {
            q[c] /= sum;
        }
        return m;
    }

    /** The logistic function, evaluated without overflow. */
    public static double sigmoid(double t) {
        if (t >= 0) {
            return 1.0 / (1.0 + Math.exp(-t));
        }
        double e = Math.exp(t);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^t)}, evaluated without overflow or cancellation. */
    public static double softplus(double t) {
        return Math.max(t, 0.0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    /** The weighted data loss {@code sum_i beta_i softplus(-m_i)}. */
    public double dataLoss() {
        double s = 0;
        for (int i = 0; i < rows; i++) {
            s += beta[i] * loss[i];
        }
        return s;
    }

    /** The objective {@code dataLoss() + gamma/2 ||W||^2} (bias excluded). */
    public double objective(double[] wt, double gamma) {
        return dataLoss() + 0.5 * gamma * weightNormSquared(wt, wt, d, k);
    }

    /** {@code sum} of {@code a_kj b_kj} over the weight entries (bias column excluded). */
    public static double weightNormSquared(double[] a, double[] b, int d, int k) {
        int dd = d + 1;
        double s = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                s += a[c * dd + j] * b[c * dd + j];
            }
        }
        return s;
    }

    /**
     * {@code {W.W, W.S, S.S}} over the weight parts of {@code wt} and {@code s} (biases excluded), in
     * one sweep over the two arrays: each sum adds its terms in the order of {@link #weightNormSquared},
     * so the same bits as three calls (the line search and OGR need all three each step; on a text head
     * each call streamed 2 x 42 MB).
     */
    public static double[] weightProducts(double[] wt, double[] s, int d, int k) {
        int dd = d + 1;
        double ww = 0;
        double ws = 0;
        double ss = 0;
        for (int c = 0; c < k; c++) {
            for (int j = c * dd, end = j + d; j < end; j++) {
                double w = wt[j];
                double t = s[j];
                ww += w * w;
                ws += w * t;
                ss += t * t;
            }
        }
        return new double[] {ww, ws, ss};
    }

    /**
     * The data loss at logits {@code z + alpha dz}, without changing this object: one O(BK) pass,
     * used by the line search.
     */
    public double dataLossAlong(double[] dz, double alpha) {
        return dataLossAlongAt(z, dz, alpha);
    }

    /**
     * {@link #dataLossAlong} from the logits {@code logits} ({@code rows x K}, kept elsewhere) instead of
     * this batch's: the data loss at {@code logits + alpha dz}.
     */
    public double dataLossAlongAt(double[] logits, double[] dz, double alpha) {
        double[] z = logits;
        // the competitors' exponentials through the kernels' exp (lane-wise under the Vector API, and the
        // same bits in every JIT tier, which Math.exp does not promise): a search's trial costs K
        // exponentials a row, and Spark's line pass evaluates eight trials at once
        double[] t = trialRow;
        double s = 0;
        for (int i = 0; i < rows; i++) {
            int o = i * k;
            int yi = y[i];
            for (int c = 0; c < k; c++) {
                t[c] = z[o + c] + alpha * dz[o + c]; // branch-free: C2 vectorises it
            }
            double ty = t[yi];
            t[yi] = Double.NEGATIVE_INFINITY; // exp gives 0: the sum runs over the competitors
            double cmax = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                cmax = Math.max(cmax, t[c]);
            }
            double sum = HeadKernels.expInPlace(t, 0, k, cmax);
            double m = ty - (cmax + Math.log(sum));
            s += beta[i] * softplus(-m);
        }
        return s;
    }

    /**
     * The weighted data loss at the logits {@code logits} ({@code rows x K}, kept elsewhere, e.g.
     * per block of a large data set) and its gradient (no L2 term) into {@code out}: what
     * {@link #setLogits}, {@link #dataLoss()} and {@link #gradient gradient(wt, 0, out)} give, bit for
     * bit, without copying the logits or keeping the margin quantities (one exponential a logit, the
     * coefficients {@code beta_i (p_i - e_yi)} written once, one transpose product). This batch's own
     * logits and margins are left as they were.
     */
    public double dataLossAndGradientAt(double[] logits, double[] out) {
        double[] l = rowValues();
        parallel.forRange(rows, rowGrain(), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int o = i * k;
                int yi = y[i];
                double m = competitorSoftmax(logits, o, yi, k, scratch);
                double scale = beta[i] * sigmoid(-m);
                for (int c = o, end = o + k; c < end; c++) {
                    scratch[c] *= scale; // beta_i p_ic on the competitors
                }
                scratch[o + yi] = -scale; // beta_i (p_iy - 1)
                l[i] = softplus(-m);
            }
        });
        double s = 0;
        for (int i = 0; i < rows; i++) {
            s += beta[i] * l[i];
        }
        transposeProduct(scratch, out);
        return s;
    }

    /** Writes the gradient of the objective ({@code gamma} on W only) into {@code out} ({@code K x D}). */
    public void gradient(double[] wt, double gamma, double[] out) {
        parallel.forRange(rows, rowGrain(), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int o = i * k;
                double coef = -beta[i] * oneMinusPy[i];
                for (int c = 0; c < k; c++) {
                    scratch[o + c] = coef * u[o + c]; // = beta_i (p_i - e_y)
                }
            }
        });
        transposeProduct(scratch, out);
        addWeightDecay(wt, gamma, out);
    }

    /**
     * {@link #addWeightDecay} and {@link #weightNormSquared weightNormSquared(wt, wt, d, k)} in one sweep over the
     * weights (the same sums bit for bit: on a text head of 5 M parameters each sweep streams 42 MB).
     *
     * @return {@code ||W||^2}
     */
    public double addWeightDecayAndNormSquared(double[] wt, double gamma, double[] out) {
        int dd = d + 1;
        double s = 0;
        for (int c = 0; c < k; c++) {
            for (int j = c * dd, end = j + d; j < end; j++) {
                double w = wt[j];
                s += w * w;
                if (gamma != 0.0) {
                    out[j] += gamma * w;
                }
            }
        }
        return s;
    }

    /** {@code out += gamma * [W | 0]}. */
    public void addWeightDecay(double[] wt, double gamma, double[] out) {
        if (gamma == 0.0) {
            return;
        }
        int dd = d + 1;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                out[c * dd + j] += gamma * wt[c * dd + j];
            }
        }
    }

    /**
     * The logit-space image of a parameter direction, {@code dz = X~ V^T} ({@code rows x K}).
     */
    public void logitDirection(double[] v, double[] dz) {
        rowProduct(v, dz);
    }

    /** JVP of the whitened margins: {@code out_i = sw_i u_i . (V x~_i)}, i.e. {@code A vec(V)}. */
    public void jvp(double[] v, double[] out) {
        rowProduct(v, scratch);
        jvpFromLogits(scratch, out);
    }

    /** {@code out_i = sw_i u_i . dz_i}: the JVP when the logit direction is already known. */
    public void jvpFromLogits(double[] dz, double[] out) {
        for (int i = 0; i < rows; i++) {
            int o = i * k;
            double s = 0;
            for (int c = 0; c < k; c++) {
                s += u[o + c] * dz[o + c];
            }
            out[i] = sw[i] * s;
        }
    }

    /** VJP of the whitened margins: {@code out = A^T c = U^T diag(sw o c) X~} ({@code K x D}). */
    public void vjp(double[] c, double[] out) {
        for (int i = 0; i < rows; i++) {
            int o = i * k;
            double s = sw[i] * c[i];
            for (int cc = 0; cc < k; cc++) {
                scratch[o + cc] = s * u[o + cc];
            }
        }
        transposeProduct(scratch, out);
    }

    /**
     * Full GGN (= Hessian of the data term) times a direction:
     * {@code out = sum_i beta_i ((diag p_i - p_i p_i^T) V x~_i) x~_i^T}.
     */
    public void ggnProduct(double[] v, double[] out) {
        if (xm == null && HeadKernels.fuses(d, k)) {
            // few classes: the two products stream the features, so one read of them does both
            rowsRead += rows;
            double[][] partials = fusedPartials();
            if (xf != null) {
                HeadKernels.fusedProduct(xf, rows, d, v, k, scratch, ggnMap, scratch, partials, out, parallel);
            } else {
                HeadKernels.fusedProduct(x, rows, d, v, k, scratch, ggnMap, scratch, partials, out, parallel);
            }
            return;
        }
        rowProduct(v, scratch);
        ggnLogitsInPlace(scratch, 0, rows);
        transposeProduct(scratch, out);
    }

    /** The fused products' partial sums for this batch's rows (kept between calls). */
    private double[][] fusedPartials() {
        int blocks = HeadKernels.fusedBlocks(rows);
        if (fusedPartials == null || fusedPartials.length < blocks || fusedPartials[0].length < k * (d + 1)) {
            fusedPartials = new double[blocks][k * (d + 1)];
        }
        return fusedPartials;
    }

    /** {@link #ggnLogitsInPlace} on rows {@code [r0, r1)} of {@link #scratch}: the fused GGN product's map. */
    private void ggnLogitsOnScratch(int r0, int r1) {
        ggnLogitsInPlace(scratch, r0, r1);
    }

    /** Replaces each logit-space row {@code t_i} ({@code r0 <= i < r1}) by {@code beta_i (p_i o t_i - p_i (p_i . t_i))}. */
    private void ggnLogitsInPlace(double[] t, int r0, int r1) {
        for (int i = r0; i < r1; i++) {
            int o = i * k;
            double pt = 0;
            for (int c = 0; c < k; c++) {
                pt += p[o + c] * t[o + c];
            }
            for (int c = 0; c < k; c++) {
                t[o + c] = beta[i] * p[o + c] * (t[o + c] - pt);
            }
        }
    }

    /** {@code dz^T G_FGN dz} summed over the batch, {@code = ||A s||^2} for {@code dz = X~ S^T}. */
    public double fgnCurvatureAlong(double[] dz) {
        double[] r = rowValues();
        parallel.forRange(rows, rowGrain(), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int o = i * k;
                double t = 0;
                for (int c = 0; c < k; c++) {
                    t += u[o + c] * dz[o + c];
                }
                double a = sw[i] * t;
                r[i] = a * a;
            }
        });
        return sumInOrder(r);
    }

    /** {@code s^T G_full s} for {@code dz = X~ S^T}: {@code sum beta_i (p.dz^2 - (p.dz)^2)}. */
    public double ggnCurvatureAlong(double[] dz) {
        double[] r = rowValues();
        parallel.forRange(rows, rowGrain(), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                r[i] = beta[i] * ggnRowAlong(p, dz, i * k, k);
            }
        });
        return sumInOrder(r);
    }

    /**
     * {@link #ggnCurvatureAlong} at the logits {@code logits} ({@code rows x K}, kept elsewhere):
     * what {@link #setLogits} then {@link #ggnCurvatureAlong} give, bit for bit, without copying the
     * logits or keeping the margin quantities (one exponential a logit). This batch's own logits and
     * margins are left as they were.
     */
    public double ggnCurvatureAlongAt(double[] logits, double[] dz) {
        return curvaturesAlongAt(logits, dz, false, true)[1];
    }

    /**
     * {@link #fgnCurvatureAlong} at the logits {@code logits}, as {@link #ggnCurvatureAlongAt} is
     * {@link #ggnCurvatureAlong}'s: the same bits as {@link #setLogits} then {@link #fgnCurvatureAlong},
     * without the margin quantities that {@link #setLogits} keeps.
     */
    public double fgnCurvatureAlongAt(double[] logits, double[] dz) {
        return curvaturesAlongAt(logits, dz, true, false)[0];
    }

    /**
     * {@code {fgnCurvatureAlongAt, ggnCurvatureAlongAt}} in one pass over the logits (one exponential
     * a logit for both; a line pass that needs both pays for the competitors' softmax once).
     */
    public double[] curvaturesAlongAt(double[] logits, double[] dz) {
        return curvaturesAlongAt(logits, dz, true, true);
    }

    private double[] curvaturesAlongAt(double[] logits, double[] dz, boolean fgn, boolean ggn) {
        double[] rf = fgn ? fgnRowValues() : null;
        double[] rg = ggn ? rowValues() : null;
        parallel.forRange(rows, rowGrain(), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int o = i * k;
                int yi = y[i];
                double m = competitorSoftmax(logits, o, yi, k, scratch);
                if (fgn) {
                    // u . dz with u = e_y - q, summed as fgnCurvatureAlong sums marginRow's u: -(-1) dz_y is dz_y
                    scratch[o + yi] = -1.0;
                    double t = 0;
                    for (int c = o, end = o + k; c < end; c++) {
                        t += -scratch[c] * dz[c];
                    }
                    double a = Math.sqrt(beta[i]) * sqrtWeight(m) * t;
                    rf[i] = a * a;
                }
                if (ggn) {
                    double rest = sigmoid(-m);
                    for (int c = o, end = o + k; c < end; c++) {
                        scratch[c] = rest * scratch[c];
                    }
                    scratch[o + yi] = sigmoid(m);
                    rg[i] = beta[i] * ggnRowAlong(scratch, dz, o, k);
                }
            }
        });
        return new double[] {fgn ? sumInOrder(rf) : 0.0, ggn ? sumInOrder(rg) : 0.0};
    }

    /** {@code max(0, p.dz^2 - (p.dz)^2)} of the row at {@code o}: a categorical variance of the step's logits. */
    private static double ggnRowAlong(double[] p, double[] dz, int o, int k) {
        double m1 = 0;
        double m2 = 0;
        for (int c = o, end = o + k; c < end; c++) {
            double t = dz[c];
            m1 += p[c] * t;
            m2 += p[c] * t * t;
        }
        return Math.max(0.0, m2 - m1 * m1);
    }

    /**
     * Rows per task of the {@code O(K)}-a-row loops (about 32k logits a task): rows are
     * independent, and their sums are added in row order afterwards ({@link #sumInOrder}), so the
     * split changes no result. At {@code K = 1000} these loops ran on one thread and were a tenth of
     * a {@code syn} fit (JFR: the main thread's samples).
     */
    private int rowGrain() {
        return rowGrain(k);
    }

    /** Rows per task of a loop of {@code O(K)} work a row (about 32k logits a task). */
    static int rowGrain(int k) {
        return Math.max(64, (1 << 15) / k);
    }

    /** A per-row scratch of the batch's capacity. */
    private double[] rowValues() {
        if (rowValues == null) {
            rowValues = new double[capacity];
        }
        return rowValues;
    }

    /** A second per-row scratch, for the FGN rows of {@link #curvaturesAlongAt}. */
    private double[] fgnRowValues() {
        if (fgnRowValues == null) {
            fgnRowValues = new double[capacity];
        }
        return fgnRowValues;
    }

    /** {@code sum_(i < rows) r[i]}, in row order. */
    private double sumInOrder(double[] r) {
        double s = 0;
        for (int i = 0; i < rows; i++) {
            s += r[i];
        }
        return s;
    }

    /**
     * Elementwise squared features, cached for the current batch (diagonals of the curvature); the
     * caller reads them once, which counts as one read of the batch's rows ({@link #rowsRead()}).
     */
    public double[] squaredFeatures() {
        requireFeatureRows("squaredFeatures");
        rowsRead += rows;
        if (xSquared == null) {
            double[] xs = featureRows();
            xSquared = new double[rows * d];
            for (int t = 0; t < rows * d; t++) {
                xSquared[t] = xs[t] * xs[t];
            }
        }
        return xSquared;
    }

    /** Which parameter-space diagonal {@link #curvatureDiagonal} computes. */
    public enum Diagonal {
        /** {@code diag(G_FGN) = sum_i beta_i w_i u_ik^2 x~_ij^2}. */
        FGN,
        /** {@code diag(G_full) = sum_i beta_i p_ik (1 - p_ik) x~_ij^2}. */
        FULL,
        /** {@code diag(G_full - G_FGN) = sum_i beta_i (1 - p_iy)(q_ik - q_ik^2) x~_ij^2} (FGN-D). */
        DROPPED
    }

    /** Writes the requested curvature diagonal ({@code K x D}) into {@code out}; O(BKD). */
    public void curvatureDiagonal(Diagonal which, double[] out) {
        for (int i = 0; i < rows; i++) {
            int o = i * k;
            int yi = y[i];
            for (int c = 0; c < k; c++) {
                double v;
                switch (which) {
                    case FGN: {
                        double a = sw[i] * u[o + c];
                        v = a * a;
                        break;
                    }
                    case FULL:
                        v = beta[i] * p[o + c] * (1.0 - p[o + c]);
                        break;
                    default: {
                        double q = c == yi ? 0.0 : -u[o + c];
                        v = beta[i] * oneMinusPy[i] * (q - q * q);
                        break;
                    }
                }
                scratch[o + c] = v;
            }
        }
        if (xm != null) {
            rowsRead += rows;
            squaredMatrix().transposeProduct(scratch, k, out, parallel);
        } else {
            HeadKernels.transposeProduct(scratch, squaredFeatures(), rows, d, k, out, parallel);
        }
    }

    /**
     * {@code out = X~sq V^T} ({@code rows x K}) for the elementwise squared features
     * {@code x~_ij^2} (bias column 1): per example and class, {@code sum_j x~_ij^2 v_cj}. One read
     * of the batch's rows.
     */
    public void squaredRowProduct(double[] v, double[] out) {
        if (xm != null) {
            rowsRead += rows;
            squaredMatrix().rowProduct(v, k, out, parallel);
        } else {
            HeadKernels.rowProduct(squaredFeatures(), rows, d, v, k, out, parallel);
        }
    }

    private FeatureMatrix squaredMatrix() {
        if (xmSquared == null) {
            xmSquared = xm.squared();
        }
        return xmSquared;
    }

    /**
     * The feature Gram {@code out[a*B + b] = sum_j q_j x_aj x_bj} of this batch's rows (bias not
     * included), full symmetric {@code B x B}: the row-space systems. One read of the rows.
     *
     * @param columnWeights {@code d} non-negative weights {@code q}, or null for {@code q = 1}
     * @param out           at least {@code B^2} values
     */
    public void featureGram(double[] columnWeights, double[] out) {
        if (xm != null) {
            rowsRead += rows;
            if (allRows == null || allRows.length != rows) {
                allRows = new int[rows];
                for (int i = 0; i < rows; i++) {
                    allRows[i] = i;
                }
            }
            xm.gram(allRows, columnWeights, out, parallel);
            return;
        }
        double[] xs = featureRows();
        if (columnWeights == null) {
            HeadKernels.gram(xs, rows, d, out, parallel);
            return;
        }
        if (scaledRows == null || scaledRows.length < rows * d) {
            scaledRows = new double[rows * d];
        }
        double[] root = rootWeights(d);
        for (int j = 0; j < d; j++) {
            root[j] = Math.sqrt(columnWeights[j]);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                scaledRows[i * d + j] = xs[i * d + j] * root[j];
            }
        }
        HeadKernels.gram(scaledRows, rows, d, out, parallel);
    }

    private double[] rootWeights(int length) {
        if (rootWeights == null || rootWeights.length != length) {
            rootWeights = new double[length];
        }
        return rootWeights;
    }

    /** {@code out[i] = 1 + ||x_i||^2 = ||x~_i||^2}, the augmented rows' squared norms. One read of the rows. */
    public void augmentedSquaredNorms(double[] out) {
        if (xm != null) {
            rowsRead += rows;
            xm.rowSquaredNorms(null, out);
            for (int i = 0; i < rows; i++) {
                out[i] = 1 + out[i];
            }
            return;
        }
        double[] xs = featureRows();
        for (int i = 0; i < rows; i++) {
            double xx = 1;
            for (int j = 0; j < d; j++) {
                xx += xs[i * d + j] * xs[i * d + j];
            }
            out[i] = xx;
        }
    }

    /**
     * The weighted second moment of the first {@code count} augmented rows,
     * {@code out = sum_(i < count) w_i x~_i x~_i^T} ({@code D x D}, {@link HeadKernels#secondMoment}),
     * read in the batch's own storage: a float batch is not widened (unlike {@link #featureRows()},
     * which copies the whole batch to double). Counts one read of those rows.
     *
     * @param w weights, length at least {@code count}
     */
    public void secondMoment(int count, double[] w, double[] out) {
        requireFeatureRows("secondMoment");
        if (count < 0 || count > rows) {
            throw new IllegalArgumentException("count must be in [0, " + rows + "], got " + count);
        }
        rowsRead += count;
        if (xf != null) {
            HeadKernels.secondMoment(xf, count, d, w, out, parallel);
        } else {
            HeadKernels.secondMoment(x, count, d, w, out, parallel);
        }
    }

    /**
     * Whether the features are row-major arrays, so {@link #featureRows()} and
     * {@link #squaredFeatures()} can hand them out; false for a matrix batch (sparse rows), which
     * only the storage-neutral calls read.
     */
    public boolean hasFeatureRows() {
        return xm == null;
    }

    private void requireFeatureRows(String what) {
        if (xm != null) {
            throw new IllegalStateException(what + " needs dense feature rows, but this batch holds a "
                    + xm.getClass().getSimpleName() + " (" + rows + " x " + d + ", " + xm.storedValues()
                    + " stored values) that is never densified; choose a solver whose capabilities take sparse"
                    + " features");
        }
    }

    /**
     * {@link #maxSpread} of the logit image {@code X~ S^T} of a parameter direction {@code S}
     * (computed into scratch; the logits are not touched).
     */
    public double maxSpreadOf(double[] direction) {
        rowProduct(direction, scratch);
        return maxSpread(scratch);
    }

    /**
     * The data loss and its derivative in {@code alpha} at logits {@code z + alpha dz}, without
     * changing this object (O(BK)); for line searches that need slopes (strong Wolfe).
     *
     * @param out receives {@code [loss, dloss/dalpha]}
     */
    public void dataLossAndSlopeAlong(double[] dz, double alpha, double[] out) {
        double s = 0;
        double slope = 0;
        for (int i = 0; i < rows; i++) {
            int o = i * k;
            int yi = y[i];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, z[o + c] + alpha * dz[o + c]);
            }
            double sum = 0;
            double weighted = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(z[o + c] + alpha * dz[o + c] - max);
                sum += e;
                weighted += e * dz[o + c];
            }
            double lse = max + Math.log(sum);
            s += beta[i] * (lse - (z[o + yi] + alpha * dz[o + yi]));
            slope += beta[i] * (weighted / sum - dz[o + yi]);
        }
        out[0] = s;
        out[1] = slope;
    }

    /**
     * Per-example spread of a logit-space direction, {@code max_k dz_ik - min_k dz_ik}, maximised
     * over the batch: the Ghosts-of-Softmax radius along the direction is {@code pi} over this.
     */
    public double maxSpread(double[] dz) {
        double[] r = rowValues();
        parallel.forRange(rows, rowGrain(), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int o = i * k;
                double low = dz[o];
                double high = dz[o];
                for (int c = 1; c < k; c++) {
                    low = Math.min(low, dz[o + c]);
                    high = Math.max(high, dz[o + c]);
                }
                r[i] = high - low;
            }
        });
        double best = 0;
        for (int i = 0; i < rows; i++) {
            best = Math.max(best, r[i]);
        }
        return best;
    }

    public int rows() {
        return rows;
    }

    /** Number of features {@code d} (without the bias). */
    public int featureCount() {
        return d;
    }

    public int classes() {
        return k;
    }

    /** Changes whenever {@link #setBatch} is called. */
    public long batchVersion() {
        return batchVersion;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Feature rows read since construction, over every batch this object held: each product with
     * the features ({@link #evaluate}, {@link #gradient}, {@link #jvp}, {@link #vjp},
     * {@link #ggnProduct}, {@link #logitDirection}, {@link #maxSpreadOf}) and each hand-out of the
     * features or their squares to a reader ({@link #featureRows}, {@link #squaredFeatures}, which
     * {@link #curvatureDiagonal} uses) adds the batch's row count. Divided by a data set's size, this
     * is the number of passes over it; a solver that reads a handed-out array more than once (the
     * parameter-space Cholesky build) is counted once per hand-out.
     */
    public long rowsRead() {
        return rowsRead;
    }

    public Parallel parallel() {
        return parallel;
    }

    /**
     * The current batch's features (row-major, {@code rows x d}); shared, do not modify. A float
     * batch is widened to a double copy on first call (for the direct solvers' Gram matrices). The
     * caller reads them, which counts as one read of the batch's rows ({@link #rowsRead()}).
     */
    public double[] featureRows() {
        requireFeatureRows("featureRows");
        rowsRead += rows;
        if (xf == null) {
            return x;
        }
        if (xWidened == null) {
            xWidened = new double[rows * d];
            for (int t = 0; t < rows * d; t++) {
                xWidened[t] = xf[t];
            }
        }
        return xWidened;
    }

    /** Labels of the current batch; shared, do not modify. */
    public int[] labels() {
        return y;
    }

    // Read-only views for solvers and tests (arrays are shared; entries beyond rows are stale).

    public double[] logits() {
        return z;
    }

    public double[] probabilities() {
        return p;
    }

    /** {@code u = e_y - q}, {@code rows x K}. */
    public double[] marginGradients() {
        return u;
    }

    public double[] margins() {
        return margin;
    }

    public double[] losses() {
        return loss;
    }

    /** {@code sqrt(beta_i w_i)}. */
    public double[] whitening() {
        return sw;
    }

    /** The whitened right-hand side {@code r} with {@code A^T r} = data gradient. */
    public double[] whitenedResidual() {
        return r;
    }

    /** {@code 1 - p_y = sigma(-m)} per example. */
    public double[] competitorMass() {
        return oneMinusPy;
    }

    /** Normalised example weights {@code beta} (sum to one). */
    public double[] exampleWeights() {
        return beta;
    }
}
