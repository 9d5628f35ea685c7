package io.github.fastgn.data;

/**
 * The argument checks every {@link FeatureMatrix} storage shares, so each public product says in
 * the same words which array is wrong and what it should hold.
 */
final class FeatureChecks {

    private FeatureChecks() {
    }

    static void rowProduct(FeatureMatrix x, double[] v, int k, double[] out) {
        classes(k);
        need("v", v, (long) k * (x.columns() + 1), "K*(d+1)");
        need("out", out, (long) x.rows() * k, "n*K");
    }

    static void transposeProduct(FeatureMatrix x, double[] coef, int k, double[] out) {
        classes(k);
        need("coef", coef, (long) x.rows() * k, "n*K");
        need("out", out, (long) k * (x.columns() + 1), "K*(d+1)");
    }

    static void gram(FeatureMatrix x, int[] rows, double[] columnWeights, double[] out) {
        if (rows == null) {
            throw new IllegalArgumentException("rows must not be null");
        }
        for (int a = 0; a < rows.length; a++) {
            if (rows[a] < 0 || rows[a] >= x.rows()) {
                throw new IllegalArgumentException("rows[" + a + "] = " + rows[a] + " is outside [0, " + x.rows()
                        + ")");
            }
        }
        need("out", out, (long) rows.length * rows.length, "B*B for B = " + rows.length + " rows");
        columnWeights(x, columnWeights);
    }

    static void rowSquaredNorms(FeatureMatrix x, double[] columnWeights, double[] out) {
        need("out", out, x.rows(), "n");
        columnWeights(x, columnWeights);
    }

    /** Non-negative finite example weights with a positive sum, or null (also {@link LabelledData}'s check). */
    static void exampleWeights(double[] weights, int n) {
        if (weights == null) {
            return;
        }
        weightValues(weights, n);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += weights[i];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("all example weights are zero");
        }
        if (!Double.isFinite(total)) {
            // the objective divides by the sum: an infinite one would make every loss zero
            throw new IllegalArgumentException("the example weights sum to " + total + " (past the double range);"
                    + " rescale the weights (only their ratios matter), e.g. divide them by their largest value");
        }
    }

    /** {@code n} finite non-negative weights (null is fine: weight 1 each); their sum is not checked. */
    static void weightValues(double[] weights, int n) {
        if (weights == null) {
            return;
        }
        if (weights.length != n) {
            throw new IllegalArgumentException("got " + weights.length + " weights for " + n + " examples");
        }
        for (int i = 0; i < n; i++) {
            if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("weight of example " + i + " is " + weights[i]
                        + "; weights must be finite and >= 0");
            }
        }
    }

    /** {@code d} finite positive column divisors (the scales of scale-only standardisation). */
    static void columnDivisors(double[] divisors, int d) {
        if (divisors == null || divisors.length != d) {
            throw new IllegalArgumentException("expected " + d + " column divisors, got "
                    + (divisors == null ? "null" : divisors.length + " values"));
        }
        for (int j = 0; j < d; j++) {
            if (!(divisors[j] > 0) || !Double.isFinite(divisors[j])) {
                throw new IllegalArgumentException("column divisor " + j + " is " + divisors[j]
                        + "; scales must be finite and positive");
            }
        }
    }

    static int firstNonFinite(double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the first non-finite value, or -1. */
    static int firstNonFinite(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The {@code K x d} temporaries of the sparse products must fit one Java array. */
    static void fitsArray(long count, String what) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " needs " + count + " values, more than one Java array holds;"
                    + " use fewer classes or features");
        }
    }

    private static void columnWeights(FeatureMatrix x, double[] q) {
        if (q == null) {
            return;
        }
        if (q.length != x.columns()) {
            throw new IllegalArgumentException("got " + q.length + " column weights for " + x.columns() + " columns");
        }
        for (int j = 0; j < q.length; j++) {
            if (!(q[j] >= 0) || !Double.isFinite(q[j])) {
                throw new IllegalArgumentException("column weight " + j + " is " + q[j]
                        + "; column weights must be finite and >= 0");
            }
        }
    }

    private static void classes(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("K = " + k + " classes; a product needs K >= 1");
        }
    }

    private static void need(String name, double[] a, long length, String what) {
        if (a == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (a.length < length) {
            throw new IllegalArgumentException(name + " holds " + a.length + " values, needs " + what + " = "
                    + length);
        }
    }
}
