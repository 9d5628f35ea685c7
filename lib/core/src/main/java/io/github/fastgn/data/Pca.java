package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.Parallel;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Principal component analysis to {@code k} dimensions, optionally whitened, fitted on training
 * data and applied to any data: {@code z = (x - mean) V_k}, or {@code z_c = (x - mean) v_c /
 * sqrt(lambda_c)} when whitened, so the fit data then has identity covariance.
 *
 * <p>The covariance is the population one, {@code (1/n) sum (x - mean)(x - mean)^T} (the
 * convention of {@link io.github.fastgn.data.Standardizer}); its eigen-decomposition is Commons
 * Math's {@link EigenDecomposition}. Components are sorted by decreasing variance, and each is
 * given a deterministic sign: its entry of largest absolute value (the first such entry on a tie)
 * is positive. Covariance and transform split work by rows, each computed in a fixed order, so the
 * results do not depend on the number of threads.
 */
public final class Pca {

    /** Whitening refuses components whose variance is at most this fraction of the largest. */
    public static final double MIN_RELATIVE_VARIANCE = 1e-12;

    private final double[] mean;
    private final double[] components;
    private final double[] variances;
    private final double totalVariance;
    private final boolean whiten;
    private final int d;
    private final int k;

    private Pca(double[] mean, double[] components, double[] variances, double totalVariance, boolean whiten,
            int k) {
        this.mean = mean;
        this.components = components;
        this.variances = variances;
        this.totalVariance = totalVariance;
        this.whiten = whiten;
        this.d = mean.length;
        this.k = k;
    }

    /** Fits on the features of {@code train}. */
    public static Pca fit(LabelledData train, int k, boolean whiten) {
        return fit(train.features(), train.size(), train.featureCount(), k, whiten);
    }

    /**
     * Fits on a row-major {@code n x d} array.
     *
     * @param k      number of components kept, in {@code [1, d]}
     * @param whiten whether to scale each component to unit variance
     * @throws IllegalArgumentException if whitening would divide by a (near) zero variance: then
     *                                  choose fewer components (at most the rank of the data)
     */
    public static Pca fit(double[] x, int n, int d, int k, boolean whiten) {
        return fit(x, n, d, k, whiten, Parallel.common());
    }

    /** As {@link #fit(double[], int, int, int, boolean)}, on the given threads. */
    public static Pca fit(double[] x, int n, int d, int k, boolean whiten, Parallel parallel) {
        if (n < 1 || d < 1) {
            throw new IllegalArgumentException("PCA needs data, got n = " + n + ", d = " + d);
        }
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("x holds " + x.length + " values, expected n*d = " + n + "*" + d);
        }
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("the number of components must lie in [1, d = " + d + "], got " + k);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("feature " + (i % d) + " of example " + (i / d) + " is " + x[i]
                        + "; remove or impute non-finite values before PCA");
            }
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] cov = covariance(x, n, d, mean, parallel);
        double trace = 0;
        for (int j = 0; j < d; j++) {
            trace += cov[j][j];
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
        double[] values = eig.getRealEigenvalues();
        Integer[] order = IntStream.range(0, d).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -values[i]).thenComparingInt(i -> i));
        RealMatrix vectors = eig.getV();
        double[] comps = new double[k * d];
        double[] vars = new double[k];
        double largest = Math.max(values[order[0]], 0.0);
        for (int c = 0; c < k; c++) {
            int col = order[c];
            vars[c] = values[col];
            double[] v = vectors.getColumn(col);
            int arg = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(v[j]) > Math.abs(v[arg])) {
                    arg = j;
                }
            }
            double sign = v[arg] < 0 ? -1.0 : 1.0;
            for (int j = 0; j < d; j++) {
                comps[c * d + j] = sign * v[j];
            }
            if (whiten && !(vars[c] > MIN_RELATIVE_VARIANCE * largest && vars[c] > 0)) {
                throw new IllegalArgumentException("component " + c + " has variance " + vars[c]
                        + " (largest " + largest + "); whitening would divide by about zero: ask for at most "
                        + c + " components, or do not whiten");
            }
            if (vars[c] < 0) {
                vars[c] = 0.0; // round-off of a zero eigenvalue
            }
        }
        return new Pca(mean, comps, vars, trace, whiten, k);
    }

    /** The population covariance, upper triangle computed and mirrored; rows split over threads. */
    private static double[][] covariance(double[] x, int n, int d, double[] mean, Parallel parallel) {
        double[] centred = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                centred[i * d + j] = x[i * d + j] - mean[j];
            }
        }
        double[][] cov = new double[d][d];
        final int block = 64;
        parallel.forRange(d, 8, (lo, hi) -> {
            for (int i0 = 0; i0 < n; i0 += block) {
                int i1 = Math.min(n, i0 + block);
                for (int a = lo; a < hi; a++) {
                    double[] row = cov[a];
                    for (int i = i0; i < i1; i++) {
                        double c = centred[i * d + a];
                        if (c == 0) {
                            continue;
                        }
                        int off = i * d;
                        for (int b = a; b < d; b++) {
                            row[b] += c * centred[off + b];
                        }
                    }
                }
            }
        });
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= n;
                cov[b][a] = cov[a][b];
            }
        }
        return cov;
    }

    /** Projections of a row-major {@code n x d} array, row-major {@code n x k}. */
    public double[] transform(double[] x, int n) {
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("x holds " + x.length + " values, expected n*d = " + n + "*" + d
                    + "; the PCA was fitted on " + d + " features");
        }
        double[] scale = new double[k];
        for (int c = 0; c < k; c++) {
            scale[c] = whiten ? 1.0 / Math.sqrt(variances[c]) : 1.0;
        }
        // transposed components, d x k, so each input feature adds a contiguous row to the output
        double[] vt = new double[d * k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                vt[j * k + c] = components[c * d + j];
            }
        }
        double[] out = new double[n * k];
        Parallel.common().forRange(n, 32, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int off = i * k;
                for (int j = 0; j < d; j++) {
                    double c = x[i * d + j] - mean[j];
                    int vj = j * k;
                    for (int t = 0; t < k; t++) {
                        out[off + t] += c * vt[vj + t];
                    }
                }
                for (int t = 0; t < k; t++) {
                    out[off + t] *= scale[t];
                }
            }
        });
        return out;
    }

    /** The data with its features projected; labels, weights and the class count are kept. */
    public LabelledData transform(LabelledData data) {
        double[] z = transform(data.features(), data.size());
        return new LabelledData(z, data.labels(), data.weights(), data.size(), k, data.classCount());
    }

    /** The components, row-major {@code k x d}, orthonormal rows (a copy). */
    public double[] components() {
        return components.clone();
    }

    /** The variance along each component (eigenvalues of the covariance), decreasing (a copy). */
    public double[] variances() {
        return variances.clone();
    }

    /** Fraction of the total variance the {@code k} components keep. */
    public double explainedFraction() {
        double s = 0;
        for (double v : variances) {
            s += v;
        }
        return totalVariance > 0 ? s / totalVariance : 1.0;
    }

    /** The centre subtracted from the inputs (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    public boolean whitened() {
        return whiten;
    }

    public int inputDim() {
        return d;
    }

    public int outputDim() {
        return k;
    }
}
