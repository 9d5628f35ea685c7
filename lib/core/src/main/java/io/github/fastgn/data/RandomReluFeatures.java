package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.Parallel;

/**
 * A fixed random ReLU feature map {@code phi(x) = relu((x - mean) G + b)}, the stand-in for the
 * features of a frozen network (EXPERIMENTS.md (b)): {@code G} is {@code dIn x dOut} with entries
 * {@code N(0, 1) * scale / sqrt(dIn)}, {@code b} has entries {@code U(-0.5, 0.5)}, and {@code mean}
 * is the per-feature mean of the training data, so that the map is informative for non-centred
 * inputs such as pixels. This is the recipe of the peer benchmark's {@code fmrf} set (there
 * {@code dOut = 2048}, {@code scale = 4}); it is not bit-identical to numpy's generator.
 *
 * <p>Determinism: {@code G} and {@code b} depend only on {@code (seed, dIn, dOut, scale)}. They are
 * drawn from one {@link java.util.SplittableRandom} stream seeded with {@code seed}: first the
 * entries of {@code G} in row-major order (normals by Box-Muller with {@link StrictMath}), then
 * {@code b}. The transform splits work by rows, each computed in a fixed order, so its output is
 * bit-identical whatever the number of threads.
 */
public final class RandomReluFeatures {

    /** Default output dimension (EXPERIMENTS.md (b)). */
    public static final int DEFAULT_DIM = 1024;
    /** Default scale of {@code G}, as in the peer benchmark. */
    public static final double DEFAULT_SCALE = 4.0;

    private final double[] mean;
    private final double[] g;
    private final double[] b;
    private final int dIn;
    private final int dOut;
    private final long seed;
    private final double scale;

    private RandomReluFeatures(double[] mean, int dOut, double scale, long seed) {
        this.mean = mean;
        this.dIn = mean.length;
        this.dOut = dOut;
        this.seed = seed;
        this.scale = scale;
        SeededNormal rng = new SeededNormal(seed);
        this.g = new double[Math.multiplyExact(dIn, dOut)];
        rng.fill(g, scale / Math.sqrt(dIn));
        this.b = new double[dOut];
        for (int j = 0; j < dOut; j++) {
            b[j] = rng.uniform(-0.5, 0.5);
        }
    }

    /** The map with {@link #DEFAULT_DIM} outputs and {@link #DEFAULT_SCALE}, centred on {@code train}. */
    public static RandomReluFeatures fit(LabelledData train, long seed) {
        return fit(train, DEFAULT_DIM, DEFAULT_SCALE, seed);
    }

    /** The map centred on the features of {@code train}. */
    public static RandomReluFeatures fit(LabelledData train, int dOut, double scale, long seed) {
        return fit(train.features(), train.size(), train.featureCount(), dOut, scale, seed);
    }

    /**
     * The map centred on the column means of a row-major {@code n x dIn} array.
     *
     * @param dOut  number of features produced, at least 1
     * @param scale positive scale of {@code G} (before the {@code 1/sqrt(dIn)})
     */
    public static RandomReluFeatures fit(double[] x, int n, int dIn, int dOut, double scale, long seed) {
        if (n < 1 || dIn < 1) {
            throw new IllegalArgumentException("fitting the feature map needs data, got n = " + n + ", d = " + dIn);
        }
        if (x.length != (long) n * dIn) {
            throw new IllegalArgumentException("x holds " + x.length + " values, expected n*d = " + n + "*" + dIn);
        }
        double[] mean = new double[dIn];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dIn; j++) {
                mean[j] += x[i * dIn + j];
            }
        }
        for (int j = 0; j < dIn; j++) {
            mean[j] /= n;
        }
        return withMean(mean, dOut, scale, seed);
    }

    /** The map with a given centre (e.g. zeros for already centred inputs). */
    public static RandomReluFeatures withMean(double[] mean, int dOut, double scale, long seed) {
        if (mean.length < 1) {
            throw new IllegalArgumentException("the input dimension must be at least 1");
        }
        if (dOut < 1) {
            throw new IllegalArgumentException("the output dimension must be at least 1, got " + dOut);
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j])) {
                throw new IllegalArgumentException("mean of feature " + j + " is " + mean[j]
                        + "; remove non-finite inputs first");
            }
        }
        if ((long) mean.length * dOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("G would hold " + (long) mean.length * dOut
                    + " entries, more than one Java array holds; reduce the output dimension");
        }
        return new RandomReluFeatures(mean.clone(), dOut, scale, seed);
    }

    /** Features of a row-major {@code n x dIn} array, row-major {@code n x dOut}. */
    public double[] transform(double[] x, int n) {
        return transform(x, n, Parallel.common());
    }

    /** As {@link #transform(double[], int)}, on the given threads (the result does not depend on them). */
    public double[] transform(double[] x, int n, Parallel parallel) {
        if (x.length != (long) n * dIn) {
            throw new IllegalArgumentException("x holds " + x.length + " values, expected n*d = " + n + "*" + dIn
                    + "; the map was fitted on " + dIn + " input features");
        }
        if ((long) n * dOut > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the output would hold " + (long) n * dOut
                    + " values, more than one Java array holds; transform the data in blocks of rows");
        }
        double[] out = new double[n * dOut];
        parallel.forRange(n, 16, (lo, hi) -> {
            double[] centred = new double[dIn];
            for (int i = lo; i < hi; i++) {
                int off = i * dOut;
                System.arraycopy(b, 0, out, off, dOut);
                for (int j = 0; j < dIn; j++) {
                    centred[j] = x[i * dIn + j] - mean[j];
                }
                for (int j = 0; j < dIn; j++) {
                    double c = centred[j];
                    if (c == 0) {
                        continue;
                    }
                    int gj = j * dOut;
                    for (int o = 0; o < dOut; o++) {
                        out[off + o] += c * g[gj + o];
                    }
                }
                for (int o = 0; o < dOut; o++) {
                    if (out[off + o] <= 0) {
                        out[off + o] = 0.0;
                    }
                }
            }
        });
        return out;
    }

    /** The data with its features mapped; labels, weights and the class count are kept. */
    public LabelledData transform(LabelledData data) {
        double[] f = transform(data.features(), data.size());
        return new LabelledData(f, data.labels(), data.weights(), data.size(), dOut, data.classCount());
    }

    public int inputDim() {
        return dIn;
    }

    public int outputDim() {
        return dOut;
    }

    public long seed() {
        return seed;
    }

    public double scale() {
        return scale;
    }

    /** The centre subtracted from the inputs (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** The random matrix {@code G}, row-major {@code dIn x dOut} (a copy). */
    public double[] weights() {
        return g.clone();
    }

    /** The random offsets {@code b} (a copy). */
    public double[] offsets() {
        return b.clone();
    }
}
