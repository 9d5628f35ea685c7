package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * A dense in-heap {@link FeatureMatrix}: row-major {@code n x d} values, double or float, all
 * finite (checked once when built). The arrays are shared, not copied, and never modified.
 *
 * <p>Double values use {@link HeadKernels} on the whole matrix. Float values use them on row
 * blocks (see {@code DenseRows}: a matrix of at most 4 MiB is one block, so the result is the
 * whole-matrix kernels' exactly), the same code that {@link MappedFloatFeatures} runs, so a
 * float matrix in a file and the same floats in the heap give bit-identical products.
 */
public final class DenseFeatures extends DenseRows implements FeatureMatrix {

    private final double[] values;
    private final float[] floatValues;

    private DenseFeatures(double[] values, float[] floatValues, int n, int d) {
        super(n, d);
        this.values = values;
        this.floatValues = floatValues;
    }

    /**
     * @param x row-major {@code n x d} double values, all finite (shared, not copied)
     * @throws IllegalArgumentException naming the shape problem or the first non-finite value
     */
    public static DenseFeatures of(double[] x, int n, int d) {
        checkShape(x == null ? -1 : x.length, n, d);
        int bad = FeatureChecks.firstNonFinite(x);
        report(bad, bad >= 0 ? x[bad] : 0, d);
        return new DenseFeatures(x, null, n, d);
    }

    /** As {@link #of(double[], int, int)} with float values (products and sums still in double). */
    public static DenseFeatures ofFloat(float[] x, int n, int d) {
        checkShape(x == null ? -1 : x.length, n, d);
        int bad = FeatureChecks.firstNonFinite(x);
        report(bad, bad >= 0 ? x[bad] : 0, d);
        return new DenseFeatures(null, x, n, d);
    }

    /** The features of checked data (shared, not copied; double or float as they are held). */
    public static DenseFeatures of(LabelledData data) {
        return new DenseFeatures(data.isFloat() ? null : data.features(), data.floatFeatures(), data.size(),
                data.featureCount());
    }

    private static void checkShape(long length, int n, int d) {
        if (length < 0) {
            throw new IllegalArgumentException("features must not be null");
        }
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("a feature matrix needs n >= 1 rows and d >= 1 columns, got " + n
                    + " x " + d);
        }
        if (length != (long) n * d) {
            throw new IllegalArgumentException("features hold " + length + " values, expected n*d = " + n + "*" + d);
        }
    }

    private static void report(int bad, double v, int d) {
        if (bad >= 0) {
            throw new IllegalArgumentException("feature " + (bad % d) + " of row " + (bad / d) + " is " + v
                    + "; remove or impute non-finite values first");
        }
    }

    @Override
    public boolean isFloat() {
        return floatValues != null;
    }

    @Override
    public void rowProduct(double[] v, int k, double[] out, Parallel par) {
        FeatureChecks.rowProduct(this, v, k, out);
        if (values != null) {
            HeadKernels.rowProduct(values, n, d, v, k, out, par);
        } else {
            floatRowProduct(v, k, out, par);
        }
    }

    @Override
    public void transposeProduct(double[] coef, int k, double[] out, Parallel par) {
        FeatureChecks.transposeProduct(this, coef, k, out);
        if (values != null) {
            HeadKernels.transposeProduct(coef, values, n, d, k, out, par);
        } else {
            floatTransposeProduct(coef, k, out, par);
        }
    }

    /** The squares in a new in-heap matrix: double for double values, rounded to float for float values. */
    @Override
    public DenseFeatures squared() {
        if (values != null) {
            double[] sq = new double[values.length];
            for (int t = 0; t < sq.length; t++) {
                sq[t] = values[t] * values[t];
            }
            return new DenseFeatures(sq, null, n, d);
        }
        float[] sq = new float[floatValues.length];
        for (int t = 0; t < sq.length; t++) {
            double v = floatValues[t];
            sq[t] = (float) (v * v);
        }
        return new DenseFeatures(null, sq, n, d);
    }

    @Override
    float[] floatBlock(int r0, int r1, float[] scratch) {
        if (r0 == 0) {
            return floatValues;
        }
        System.arraycopy(floatValues, r0 * d, scratch, 0, (r1 - r0) * d);
        return scratch;
    }

    @Override
    void loadRows(int r0, int r1, double[] out, int offset) {
        if (values != null) {
            System.arraycopy(values, r0 * d, out, offset, (r1 - r0) * d);
        } else {
            for (int t = r0 * d, end = r1 * d, o = offset; t < end; t++, o++) {
                out[o] = floatValues[t];
            }
        }
    }
}
