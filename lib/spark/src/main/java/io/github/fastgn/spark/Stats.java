package io.github.fastgn.spark;

import io.github.fastgn.data.Standardizer;

import java.io.Serializable;

/**
 * What reading one partition found: its rows, stored values, total weight, largest label, the
 * weighted column means and second moments (for the standardisation), and the first bad value
 * (by row within the partition; the driver turns it into a global example index and the core's
 * message). Partitions merge in order with Chan's update of the moments.
 */
final class Stats implements Serializable {

    private static final long serialVersionUID = 1L;

    final int partition;
    int rows;
    long stored;
    int d = -1;
    double weight;
    int maxLabel = -1;
    int minLabel = Integer.MAX_VALUE;
    /**
     * Weighted column means and sums of squared deviations, or null before {@link #moments}, both
     * of the values scaled by {@code 2^-exponent[j]}: the power of two at or below the column's
     * largest magnitude, as the core's {@code Standardizer} scales them, so that squares cannot
     * overflow (features up to {@code Double.MAX_VALUE / 2} work) and columns in the ordinary range
     * keep their bits.
     */
    double[] mean;
    double[] m2;
    int[] exponent;
    /** The first problem: the row (within the partition) and what is wrong with it, or null. */
    String problem;
    int problemRow = -1;
    /** Which check found it: "feature", "label", "weight" or "row". */
    String kind;

    Stats(int partition) {
        this.partition = partition;
    }

    void problem(int row, String what) {
        set(row, "row", what);
    }

    void nonFinite(int row, int column, double value) {
        set(row, "feature", "feature " + column + " of example %d is " + value
                + "; remove or impute non-finite values before training");
    }

    void badLabel(int row, double label) {
        set(row, "label", "label " + label + " of example %d is not a class index: labels must be integers in"
                + " [0, K) (index string labels with StringIndexer)");
    }

    void badWeight(int row, double w) {
        set(row, "weight", "weight of example %d is " + w + "; weights must be finite and >= 0");
    }

    private void set(int row, String kind, String what) {
        if (problem == null) {
            problem = what;
            problemRow = row;
            this.kind = kind;
        }
    }

    /** Weighted column moments over the stored values, the implicit zeros counted. */
    void moments(int n, int d, int[] rowStart, int[] cols, double[] vals, double[] w) {
        mean = new double[d];
        m2 = new double[d];
        exponent = new int[d];
        double[] max = new double[d];
        for (int q = 0; q < rowStart[n]; q++) {
            max[cols[q]] = Math.max(max[cols[q]], Math.abs(vals[q]));
        }
        for (int j = 0; j < d; j++) {
            exponent[j] = Standardizer.scalingExponent(max[j]);
        }
        double[] storedWeight = new double[d];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 : w[i];
            total += wi;
            for (int q = rowStart[i]; q < rowStart[i + 1]; q++) {
                mean[cols[q]] += wi * Math.scalb(vals[q], -exponent[cols[q]]);
            }
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            return;
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 : w[i];
            for (int q = rowStart[i]; q < rowStart[i + 1]; q++) {
                double t = Math.scalb(vals[q], -exponent[cols[q]]) - mean[cols[q]];
                m2[cols[q]] += wi * t * t;
                storedWeight[cols[q]] += wi;
            }
        }
        for (int j = 0; j < d; j++) {
            m2[j] += (total - storedWeight[j]) * mean[j] * mean[j];
        }
    }

    /**
     * Merges {@code b} (the next partition) into these moments: Chan et al.'s pairwise update,
     * stable for any partitioning, after both sides are scaled to the larger of their exponents
     * (exact powers of two). The weights enter as {@code wa / w} and {@code wb / w}, so that
     * weights near the top of the double range cannot overflow their product.
     */
    static void mergeMoments(double[] mean, double[] m2, int[] exponent, double wa, Stats b) {
        double wb = b.weight;
        if (b.mean == null || !(wb > 0)) {
            return;
        }
        double w = wa + wb;
        for (int j = 0; j < mean.length; j++) {
            int e = Math.max(exponent[j], b.exponent[j]);
            double ma = Math.scalb(mean[j], exponent[j] - e);
            double qa = Math.scalb(m2[j], 2 * (exponent[j] - e));
            double mb = Math.scalb(b.mean[j], b.exponent[j] - e);
            double qb = Math.scalb(b.m2[j], 2 * (b.exponent[j] - e));
            double delta = mb - ma;
            mean[j] = ma + delta * (wb / w);
            m2[j] = qa + qb + delta * delta * (wa / w) * wb;
            exponent[j] = e;
        }
    }
}
