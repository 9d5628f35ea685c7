package io.github.fastgn.data;

/**
 * Per-feature standardisation {@code (x - mean) / scale} and its exact fold into a linear head:
 * a head {@code [W | b]} trained on standardised features equals, on raw features, the head
 * {@code W'_kj = W_kj / scale_j}, {@code b'_k = b_k - sum_j W_kj mean_j / scale_j}. Constant
 * features get scale 1 (they are centred to zero and their weight stays zero under L2).
 */
public final class Standardizer {

    private final double[] mean;
    private final double[] scale;

    private Standardizer(double[] mean, double[] scale) {
        this.mean = mean;
        this.scale = scale;
    }

    /** Mean and population standard deviation of each column of a row-major {@code n x d} array. */
    public static Standardizer fit(double[] x, int n, int d) {
        return fit(x, n, d, null);
    }

    /**
     * Weighted mean and population standard deviation of each column, so that an example of
     * weight {@code w} counts as {@code w} copies of it.
     *
     * @param weights non-negative example weights with a positive sum, or null for equal weights
     * @throws IllegalArgumentException if the shape does not match, a value is not finite or a weight is invalid
     */
    public static Standardizer fit(double[] x, int n, int d, double[] weights) {
        if (x == null) {
            throw new IllegalArgumentException("x must not be null");
        }
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a standardizer needs at least one example and one feature, got n = " + n
                    + ", d = " + d);
        }
        checkLength("x", x, n, d);
        int bad = FeatureChecks.firstNonFinite(x);
        if (bad >= 0) {
            throw new IllegalArgumentException("feature " + (bad % d) + " of example " + (bad / d) + " is " + x[bad]
                    + "; remove or impute non-finite values before standardising");
        }
        FeatureChecks.exampleWeights(weights, n);
        // overflow-safe: each column is summed scaled by the power of two 2^-e at or below its largest
        // magnitude (exact, so columns in the ordinary range give the same bits as unscaled sums), and
        // the mean and standard deviation are scaled back; features up to Double.MAX_VALUE / 2 work
        int[] exponent = new int[d];
        for (int j = 0; j < d; j++) {
            double max = 0;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, Math.abs(x[i * d + j]));
            }
            exponent[j] = scalingExponent(max);
        }
        double[] mean = new double[d];
        double[] scale = new double[d];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            total += w;
            for (int j = 0; j < d; j++) {
                mean[j] += w * Math.scalb(x[i * d + j], -exponent[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= total;
        }
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            for (int j = 0; j < d; j++) {
                double t = Math.scalb(x[i * d + j], -exponent[j]) - mean[j];
                scale[j] += w * t * t;
            }
        }
        for (int j = 0; j < d; j++) {
            double sd = Math.scalb(Math.sqrt(scale[j] / total), exponent[j]);
            mean[j] = Math.scalb(mean[j], exponent[j]);
            scale[j] = scaleOf(mean[j], sd);
        }
        return new Standardizer(mean, scale);
    }

    /**
     * The exponent {@code e} of the power of two {@code 2^e} at or below {@code max}, a column's
     * largest magnitude ({@code 0} for a zero column): {@link #fit} sums each column's values times
     * {@code 2^-e} (exact), so that their squares cannot overflow, and scales the moments back. Other
     * moment sums (the Spark estimator's partitions) use the same exponents.
     */
    public static int scalingExponent(double max) {
        return max > 0 && max < Double.MIN_NORMAL ? Double.MIN_EXPONENT : max > 0 ? Math.getExponent(max) : 0;
    }

    /** The smallest standard deviation a column is scaled by ({@link #scaleOf}). */
    public static final double MIN_SCALE = 1e-150;

    /**
     * The scale of a column with weighted mean {@code mean} and population standard deviation
     * {@code sd}: {@code sd}, unless the column is constant to rounding ({@code sd <= 1e-12 |mean|},
     * zero included) or {@code sd < }{@value #MIN_SCALE} (dividing a standardised weight by less
     * could overflow the raw model), when it is 1. The test is relative: a column of values around
     * {@code 1e-13} (SI units, probabilities of rare events) is a feature like any other. An absolute
     * floor of {@code 1e-12} for columns with {@code |mean| <= 1}, the rule before 2026-12-07, left
     * such columns unscaled, and with the L2 term on the standardised weights they were as good as
     * dropped: three well-separated classes scaled by {@code 1e-13} trained to chance accuracy.
     */
    public static double scaleOf(double mean, double sd) {
        return sd > 1e-12 * Math.abs(mean) && sd >= MIN_SCALE ? sd : 1.0;
    }

    /**
     * From weighted column means and population standard deviations computed elsewhere (the
     * {@link FeatureMatrix} storages), with the rule of {@link #fit} ({@link #scaleOf}). Takes
     * ownership of the arrays.
     */
    static Standardizer fromMoments(double[] mean, double[] sd) {
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(sd[j])) {
                throw new IllegalArgumentException("feature " + j + " is too large to standardise: the sum of its"
                        + " squares overflows double (values past about 1e154); divide that column by a power of ten"
                        + " before training");
            }
            sd[j] = scaleOf(mean[j], sd[j]);
        }
        return new Standardizer(mean, sd);
    }

    /**
     * The same scales with zero means: scale-only standardisation, {@code x -> S^-1 x}, which keeps
     * sparse rows sparse. With the bias unpenalised it is the same objective as full
     * standardisation: {@code [W | b]} on the centred features and {@code [W | b - W S^-1 m]} on the
     * scale-only ones give the same logits and the same penalty, so both have one optimum and
     * {@link #foldIntoWeights} of either gives one model on raw features (ALGORITHM.md §5).
     */
    public Standardizer scaleOnly() {
        return new Standardizer(new double[mean.length], scale.clone());
    }

    /** The identity (mean 0, scale 1). */
    public static Standardizer identity(int d) {
        double[] scale = new double[d];
        java.util.Arrays.fill(scale, 1.0);
        return new Standardizer(new double[d], scale);
    }

    /** A standardised copy of a row-major {@code n x d} array. */
    public double[] transform(double[] x, int n) {
        int d = mean.length;
        if (x == null || n < 0 || x.length != (long) n * d) {
            throw new IllegalArgumentException("expected " + n + " rows of " + d + " features, got "
                    + (x == null ? "null" : x.length + " values"));
        }
        double[] out = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = (x[i * d + j] - mean[j]) / scale[j];
            }
        }
        return out;
    }

    /** Parameters for raw features from parameters {@code K x (d+1)} for standardised ones. */
    public double[] foldIntoWeights(double[] wt, int k) {
        int d = mean.length;
        checkParameters(wt, k, d);
        int dd = d + 1;
        double[] out = new double[wt.length];
        for (int c = 0; c < k; c++) {
            double bias = wt[c * dd + d];
            for (int j = 0; j < d; j++) {
                double w = wt[c * dd + j] / scale[j];
                out[c * dd + j] = w;
                bias -= w * mean[j];
            }
            out[c * dd + d] = bias;
        }
        return out;
    }

    /**
     * Virtual centring, the gradient side (ALGORITHM.md §7): from {@code G = C^T X~} on the raw
     * features ({@code K x (d+1)}, bias sums in the last column), the product
     * {@code C^T [(X - 1 mean^T) S^-1 | 1]} on the standardised ones without forming them:
     * {@code G~_cj = (G_cj - G_cd mean_j) / scale_j}, bias column unchanged. It is the adjoint of
     * {@link #foldIntoWeights}, whose forward side gives the logits: {@code X~_std Vt^T =
     * X~ fold(Vt)^T}.
     */
    public double[] standardizedGradient(double[] g, int k) {
        return standardizedGradient(g, k, new double[g.length]);
    }

    /**
     * {@link #standardizedGradient(double[], int)} into {@code out} (at least {@code K (d+1)} values; it may
     * be {@code g} itself): no array per call for a caller that converts a gradient at every pass.
     *
     * @return {@code out}
     */
    public double[] standardizedGradient(double[] g, int k, double[] out) {
        int d = mean.length;
        int dd = d + 1;
        if (g.length != (long) k * dd || out.length < g.length) {
            throw new IllegalArgumentException("gradient holds " + g.length + " values and out " + out.length
                    + ", expected K*(d+1) = " + k + "*" + dd);
        }
        for (int c = 0; c < k; c++) {
            double bias = g[c * dd + d];
            for (int j = 0; j < d; j++) {
                out[c * dd + j] = (g[c * dd + j] - bias * mean[j]) / scale[j];
            }
            out[c * dd + d] = bias;
        }
        return out;
    }

    /** Parameters for standardised features from parameters for raw ones (inverse of the fold). */
    public double[] unfoldFromWeights(double[] wt, int k) {
        int d = mean.length;
        checkParameters(wt, k, d);
        int dd = d + 1;
        double[] out = new double[wt.length];
        for (int c = 0; c < k; c++) {
            double bias = wt[c * dd + d];
            for (int j = 0; j < d; j++) {
                bias += wt[c * dd + j] * mean[j];
                out[c * dd + j] = wt[c * dd + j] * scale[j];
            }
            out[c * dd + d] = bias;
        }
        return out;
    }

    private static void checkLength(String what, double[] x, int n, int d) {
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException(what + " holds " + x.length + " values, expected n*d = " + n + "*" + d);
        }
    }

    /** {@code wt} must be a head's {@code k x (d+1)} parameters for these {@code d} features. */
    private static void checkParameters(double[] wt, int k, int d) {
        if (wt == null || k < 1 || wt.length != (long) k * (d + 1)) {
            throw new IllegalArgumentException("expected k*(d+1) = " + k + "*" + (d + 1) + " parameters for "
                    + d + " standardised features, got " + (wt == null ? "null" : wt.length + " values"));
        }
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] scale() {
        return scale.clone();
    }
}
