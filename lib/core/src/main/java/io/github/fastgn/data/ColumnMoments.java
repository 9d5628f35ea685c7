package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.CsrRowsDouble;
import io.github.fastgn.internal.linalg.CsrRowsFloat;

import java.io.Serializable;

/**
 * Weighted column means and sums of squared deviations of compressed sparse rows, the implicit
 * zeros counted: the statistics of scale-only standardisation ({@link #standardizer}). The moments
 * of parts of a data set (a Spark partition each) merge in order ({@link #merge}, Chan et al.'s
 * pairwise update, stable for any split), so the parts can be read where they are stored.
 *
 * <p>Overflow-safe as {@link Standardizer#fit(double[], int, int, double[])} is: each column's
 * values are summed times {@code 2^-e}, the power of two at or below the column's largest magnitude
 * ({@link Standardizer#scalingExponent}), so that their squares cannot overflow (columns of values up
 * to {@code Double.MAX_VALUE / 2} get finite moments), and the moments are scaled back at the end.
 * Scaling by a power of two is exact, so columns in the ordinary range get the same bits as plain
 * sums. Two passes over the stored values after one for the column maxima: the weighted sums give
 * the means, then the centred squares of the stored values plus the implicit zeros'
 * {@code (W - W_j) mean_j^2}, where {@code W_j} is the weight of the rows that store column
 * {@code j} (lib/core/ALGORITHM.md §7).
 */
public final class ColumnMoments implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Weighted column means, column {@code j} scaled by {@code 2^-exponent[j]}. */
    private final double[] mean;
    /** Weighted sums of squared deviations from the mean, column {@code j} scaled by {@code 2^-2 exponent[j]}. */
    private final double[] m2;
    private final int[] exponent;
    private double weight;

    private ColumnMoments(double[] mean, double[] m2, int[] exponent, double weight) {
        this.mean = mean;
        this.m2 = m2;
        this.exponent = exponent;
        this.weight = weight;
    }

    /** No rows yet: zero weight, ready to {@link #merge} parts into. */
    public static ColumnMoments none(int d) {
        if (d < 0) {
            throw new IllegalArgumentException("the number of columns must be >= 0, got " + d);
        }
        int[] exponent = new int[d];
        java.util.Arrays.fill(exponent, Double.MIN_EXPONENT);
        return new ColumnMoments(new double[d], new double[d], exponent, 0.0);
    }

    /**
     * The moments of compressed sparse rows (checked when they were built; a {@link CsrFeatures#rowRange}
     * view counts its own rows only).
     *
     * @param weights one finite non-negative weight per row, or null for weight 1 each; they may sum to 0
     *                (a part that adds nothing to a merge)
     * @throws IllegalArgumentException naming the first bad weight
     */
    public static ColumnMoments of(CsrFeatures rows, double[] weights) {
        FeatureChecks.weightValues(weights, rows.rows());
        return of(rows.rowStart(), rows.columnIndices(), rows.values(), rows.floatValues(), rows.rows(),
                rows.columns(), weights);
    }

    private static ColumnMoments of(int[] rowStart, int[] columns, double[] values, float[] floatValues, int n, int d,
                                    double[] weights) {
        double[] max = new double[d];
        if (values != null) {
            CsrRowsDouble.columnMaxima(rowStart, columns, values, n, max);
        } else {
            CsrRowsFloat.columnMaxima(rowStart, columns, floatValues, n, max);
        }
        int[] exponent = new int[d];
        double[] factor = new double[d];
        for (int j = 0; j < d; j++) {
            exponent[j] = Standardizer.scalingExponent(max[j]);
            // 2^-e is a double for every exponent scalingExponent gives (-1022 .. 1023), and x * 2^-e
            // is Math.scalb(x, -e): one correctly rounded product
            factor[j] = Math.scalb(1.0, -exponent[j]);
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += weights == null ? 1.0 : weights[i];
        }
        double[] mean = new double[d];
        double[] m2 = new double[d];
        if (!(total > 0) || !Double.isFinite(total)) {
            // no weight (the part adds nothing to a merge) or past the double range (the caller reports it)
            return new ColumnMoments(mean, m2, exponent, total);
        }
        double[] stored = new double[d];
        if (values != null) {
            CsrRowsDouble.columnSums(rowStart, columns, values, n, weights, factor, mean, stored);
        } else {
            CsrRowsFloat.columnSums(rowStart, columns, floatValues, n, weights, factor, mean, stored);
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        if (values != null) {
            CsrRowsDouble.centredSquares(rowStart, columns, values, n, weights, factor, mean, m2);
        } else {
            CsrRowsFloat.centredSquares(rowStart, columns, floatValues, n, weights, factor, mean, m2);
        }
        for (int j = 0; j < d; j++) {
            double zeros = Math.max(0.0, total - stored[j]);
            m2[j] += zeros * mean[j] * mean[j];
        }
        return new ColumnMoments(mean, m2, exponent, total);
    }

    /**
     * Adds {@code next}'s rows (the next part of the data set) to these moments: Chan et al.'s
     * pairwise update after both sides are scaled to the larger of their exponents (exact powers of
     * two). The weights enter as {@code wa / w} and {@code wb / w}, so that weights near the top of
     * the double range cannot overflow their product. A part of zero weight changes nothing.
     *
     * @throws IllegalArgumentException if the parts have different numbers of columns
     */
    public void merge(ColumnMoments next) {
        if (next.mean.length != mean.length) {
            throw new IllegalArgumentException("moments of " + next.mean.length + " columns cannot be merged into"
                    + " moments of " + mean.length);
        }
        double wa = weight;
        double wb = next.weight;
        if (!(wb > 0)) {
            return;
        }
        double w = wa + wb;
        for (int j = 0; j < mean.length; j++) {
            int e = Math.max(exponent[j], next.exponent[j]);
            double ma = Math.scalb(mean[j], exponent[j] - e);
            double qa = Math.scalb(m2[j], 2 * (exponent[j] - e));
            double mb = Math.scalb(next.mean[j], next.exponent[j] - e);
            double qb = Math.scalb(next.m2[j], 2 * (next.exponent[j] - e));
            double delta = mb - ma;
            mean[j] = ma + delta * (wb / w);
            m2[j] = qa + qb + delta * delta * (wa / w) * wb;
            exponent[j] = e;
        }
        weight = w;
    }

    /** The total example weight of the rows these moments hold. */
    public double weight() {
        return weight;
    }

    /** The number of columns. */
    public int columns() {
        return mean.length;
    }

    /**
     * The weighted means and population standard deviations as a {@link Standardizer} (a constant
     * column gets scale 1, {@link Standardizer#scaleOf}); for scale-only standardisation take its
     * {@link Standardizer#scaleOnly()}.
     *
     * @throws IllegalArgumentException if the rows have no weight, or their weight sums past the double range
     */
    public Standardizer standardizer() {
        if (!(weight > 0)) {
            throw new IllegalArgumentException("the rows have no weight (no rows, or every example weight is 0):"
                    + " the column moments are undefined; train on examples with positive weights");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("the example weights sum to " + weight + " (past the double range);"
                    + " rescale the weights (only their ratios matter), e.g. divide them by their largest value");
        }
        int d = mean.length;
        double[] m = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            sd[j] = Math.scalb(Math.sqrt(m2[j] / weight), exponent[j]);
            m[j] = Math.scalb(mean[j], exponent[j]);
        }
        return Standardizer.fromMoments(m, sd);
    }
}
