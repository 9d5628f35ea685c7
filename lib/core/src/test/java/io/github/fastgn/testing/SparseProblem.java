package io.github.fastgn.testing;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.LabelledData;

import java.util.Random;

/**
 * One random classification problem held twice, as dense features and as sparse rows with the same
 * values: text-like rows (each feature stored with probability {@code density}, a few heavy columns,
 * some rows empty), labels drawn from the softmax of a random linear teacher (so the classes overlap),
 * optional example weights. For checking that the sparse path computes what the dense path computes.
 *
 * @param dense  the features as a dense double array
 * @param sparse the same values as compressed sparse rows (double or float values)
 */
public record SparseProblem(LabelledData dense, LabelledData sparse) {

    /**
     * @param asFloat store the sparse values as float (the dense copy then holds the same float-rounded values)
     * @param weighted draw positive example weights
     */
    public static SparseProblem random(long seed, int n, int d, int k, double density, boolean asFloat,
                                       boolean weighted) {
        Random rnd = new Random(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(10) == 0) {
                continue; // an empty row
            }
            for (int j = 0; j < d; j++) {
                if (rnd.nextDouble() < (j < 3 ? 0.6 : density)) {
                    double v = (rnd.nextInt(3) == 0 ? 1.0 : rnd.nextDouble() * 3) * (1 + j % 4);
                    x[i * d + j] = asFloat ? (float) v : v;
                }
            }
        }
        double[] teacher = new double[k * d];
        for (int t = 0; t < teacher.length; t++) {
            teacher[t] = rnd.nextGaussian();
        }
        int[] y = new int[n];
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += teacher[c * d + j] * x[i * d + j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            double u = rnd.nextDouble() * sum;
            int c = 0;
            while (c < k - 1 && u > z[c]) {
                u -= z[c];
                c++;
            }
            y[i] = c;
        }
        for (int c = 0; c < k; c++) {
            y[c % n] = c; // every class present
        }
        double[] w = null;
        if (weighted) {
            w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = 0.2 + rnd.nextDouble() * 2;
            }
        }
        return new SparseProblem(new LabelledData(x, y, w, n, d, k),
                LabelledData.sparse(csr(x, n, d, asFloat), y, w, k));
    }

    /** Compressed sparse rows of the nonzeros of a row-major dense matrix. */
    public static CsrFeatures csr(double[] x, int n, int d, boolean asFloat) {
        int nnz = 0;
        for (double v : x) {
            nnz += v != 0 ? 1 : 0;
        }
        int[] start = new int[n + 1];
        int[] cols = new int[nnz];
        double[] vals = new double[nnz];
        float[] fvals = new float[nnz];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (x[i * d + j] != 0) {
                    cols[p] = j;
                    vals[p] = x[i * d + j];
                    fvals[p] = (float) x[i * d + j];
                    p++;
                }
            }
            start[i + 1] = p;
        }
        return asFloat ? CsrFeatures.ofFloat(start, cols, fvals, n, d) : CsrFeatures.of(start, cols, vals, n, d);
    }
}
