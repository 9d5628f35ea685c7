package io.github.fastgn.data;

import java.util.Arrays;

/**
 * Dense features with integer class labels: the plain-array form every FastGN trainer, runner
 * and notebook uses, with no Tribuo types. Features are row-major {@code n x d}; labels lie in
 * {@code [0, k)}. Construction validates everything and says what is wrong and how to fix it.
 */
public final class LabelledData {

    private final double[] features;
    private final int[] labels;
    private final double[] weights;
    private final int n;
    private final int d;
    private final int k;

    /**
     * @param features row-major {@code n x d}, all finite (not copied)
     * @param labels   {@code n} labels in {@code [0, k)} (not copied)
     * @param weights  {@code n} non-negative finite example weights with a positive sum, or null
     * @param k        number of classes, at least 2
     */
    public LabelledData(double[] features, int[] labels, double[] weights, int n, int d, int k) {
        if (n < 1) {
            throw new IllegalArgumentException("the data set is empty: training needs at least one example");
        }
        if (d < 1) {
            throw new IllegalArgumentException("the examples have no features (d = " + d + ")");
        }
        if (k < 2) {
            throw new IllegalArgumentException("a softmax head needs at least 2 classes, got " + k
                    + "; add examples of another class");
        }
        if (features.length != (long) n * d) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected n*d = " + n
                    + "*" + d);
        }
        if (labels.length != n) {
            throw new IllegalArgumentException("got " + labels.length + " labels for " + n + " examples");
        }
        for (int i = 0; i < features.length; i++) {
            if (!Double.isFinite(features[i])) {
                throw new IllegalArgumentException("feature " + (i % d) + " of example " + (i / d) + " is "
                        + features[i] + "; remove or impute non-finite values before training");
            }
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, "
                        + k + ")");
            }
        }
        if (weights != null) {
            if (weights.length != n) {
                throw new IllegalArgumentException("got " + weights.length + " weights for " + n + " examples");
            }
            double total = 0;
            for (int i = 0; i < n; i++) {
                if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                    throw new IllegalArgumentException("weight of example " + i + " is " + weights[i]
                            + "; weights must be finite and >= 0");
                }
                total += weights[i];
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("all example weights are zero");
            }
        }
        this.features = features;
        this.labels = labels;
        this.weights = weights;
        this.n = n;
        this.d = d;
        this.k = k;
    }

    /** Copies rows of a {@code double[][]} into the row-major form; {@code k} is {@code max(y) + 1}. */
    public static LabelledData of(double[][] x, int[] y) {
        if (x.length == 0) {
            throw new IllegalArgumentException("the data set is empty: training needs at least one example");
        }
        int d = x[0].length;
        double[] flat = new double[x.length * d];
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, row 0 has " + d);
            }
            System.arraycopy(x[i], 0, flat, i * d, d);
        }
        int k = Arrays.stream(y).max().orElse(0) + 1;
        return new LabelledData(flat, y.clone(), null, x.length, d, k);
    }

    /** The rows listed in {@code index}, copied, with the same number of classes. */
    public LabelledData subset(int[] index) {
        double[] x = new double[index.length * d];
        int[] y = new int[index.length];
        double[] w = weights == null ? null : new double[index.length];
        for (int r = 0; r < index.length; r++) {
            System.arraycopy(features, index[r] * d, x, r * d, d);
            y[r] = labels[index[r]];
            if (w != null) {
                w[r] = weights[index[r]];
            }
        }
        return new LabelledData(x, y, w, index.length, d, k);
    }

    /** Row-major {@code n x d} features (shared, do not modify). */
    public double[] features() {
        return features;
    }

    /** Labels (shared, do not modify). */
    public int[] labels() {
        return labels;
    }

    /** Example weights or null (shared, do not modify). */
    public double[] weights() {
        return weights;
    }

    public int size() {
        return n;
    }

    public int featureCount() {
        return d;
    }

    public int classCount() {
        return k;
    }

    /** Number of examples of each class. */
    public int[] classCounts() {
        int[] c = new int[k];
        for (int v : labels) {
            c[v]++;
        }
        return c;
    }
}
