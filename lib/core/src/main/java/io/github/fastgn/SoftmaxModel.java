package io.github.fastgn;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * A trained linear softmax head on raw features: {@code p = softmax(W x + b)}. Parameters are
 * row-major {@code K x (d+1)} with the bias in the last column, the layout of Tribuo's
 * {@code LinearSGDModel.getWeightsCopy()}.
 */
public final class SoftmaxModel {

    private final double[] weights;
    private final int d;
    private final int k;

    /**
     * @param weights {@code [W | b]}, row-major {@code k x (d+1)}, all finite (copied)
     * @param d       number of features, at least 1
     * @param k       number of classes, at least 2
     * @throws IllegalArgumentException if the shape does not match or a parameter is not finite
     */
    public SoftmaxModel(double[] weights, int d, int k) {
        this(weights, d, k, true);
    }

    /**
     * The public constructor's checks; {@code copy = false} keeps {@code weights} itself, for the
     * trainer's fresh arrays only (a text head's parameters are 42 MB, and the fit already returns a
     * copy of the optimizer's).
     */
    SoftmaxModel(double[] weights, int d, int k, boolean copy) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        if (d < 1 || k < 2) {
            throw new IllegalArgumentException("a softmax model needs at least 1 feature and at least 2 classes, got d = "
                    + d + ", k = " + k);
        }
        if (weights.length != (long) k * (d + 1)) {
            throw new IllegalArgumentException("expected k*(d+1) = " + (long) k * (d + 1) + " parameters, got "
                    + weights.length);
        }
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new IllegalArgumentException("a softmax model needs finite parameters, got " + w);
            }
        }
        this.weights = copy ? weights.clone() : weights;
        this.d = d;
        this.k = k;
    }

    /** Logits of a row-major {@code n x d} feature array, {@code n x K}. */
    public double[] logits(double[] x, int n) {
        checkRows(x, n);
        double[] z = new double[n * k];
        HeadKernels.rowProduct(x, n, d, weights, k, z, Parallel.SERIAL);
        return z;
    }

    /** Class probabilities, {@code n x K}, each row summing to one. */
    public double[] probabilities(double[] x, int n) {
        double[] z = logits(x, n);
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, z[i * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(z[i * k + c] - max);
                z[i * k + c] = e;
                sum += e;
            }
            for (int c = 0; c < k; c++) {
                z[i * k + c] /= sum;
            }
        }
        return z;
    }

    /** The most probable class of each row. */
    public int[] predict(double[] x, int n) {
        double[] z = logits(x, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (z[i * k + c] > z[i * k + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Fraction of rows whose predicted class equals the label (a label outside {@code [0, K)}, a
     * class the model never saw, counts as a miss).
     *
     * @throws IllegalArgumentException if there are no rows (the fraction is undefined), or as {@link #predict}
     */
    public double accuracy(double[] x, int[] y, int n) {
        if (n == 0) {
            throw new IllegalArgumentException("accuracy needs at least one row, got none");
        }
        checkLabels(y, n, false);
        int[] pred = predict(x, n);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (pred[i] == y[i]) {
                hits++;
            }
        }
        return (double) hits / n;
    }

    /** Mean cross-entropy plus {@code l2/2 ||W||^2} on these raw features. */
    public double objective(double[] x, int[] y, int n, double l2) {
        checkRows(x, n);
        checkLabels(y, n, true);
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, got " + l2);
        }
        HeadBatch batch = new HeadBatch(n, d, k, 1e-300, Parallel.SERIAL);
        batch.setBatch(x, y, null, n);
        batch.evaluate(weights);
        return batch.objective(weights, l2);
    }

    /** A copy of the parameters {@code [W | b]}, row-major {@code K x (d+1)}. */
    public double[] weights() {
        return weights.clone();
    }

    public int featureCount() {
        return d;
    }

    public int classCount() {
        return k;
    }

    private void checkRows(double[] x, int n) {
        if (x == null) {
            throw new IllegalArgumentException("x must not be null");
        }
        if (n < 0 || x.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " rows of " + d + " features, got " + x.length
                    + " values");
        }
        if (n > 0) {
            // the data package's check (shared, not copied): a NaN logit compares false against every
            // class, so a non-finite row would be predicted as class 0
            io.github.fastgn.data.DenseFeatures.of(x, n, d);
        }
    }

    /** {@code n} labels; with {@code inRange} each in {@code [0, k)} (the loss needs the label's logit). */
    private void checkLabels(int[] y, int n, boolean inRange) {
        if (y == null) {
            throw new IllegalArgumentException("y must not be null");
        }
        if (y.length != n) {
            throw new IllegalArgumentException("got " + y.length + " labels for " + n + " rows");
        }
        for (int i = 0; inRange && i < n; i++) {
            if (y[i] < 0 || y[i] >= k) {
                throw new IllegalArgumentException("label " + y[i] + " of example " + i + " is outside [0, " + k
                        + "): this model has " + k + " classes");
            }
        }
    }
}
