package io.github.fastgn.data;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * What the dense storages ({@link DenseFeatures}, {@link MappedFloatFeatures}) share: the products
 * over float rows computed block by block, and the Gram matrix, row norms and column statistics
 * computed from rows loaded (widened) into double. A storage supplies its rows; nothing here
 * holds more than one block of them.
 *
 * <p><b>Float row blocks.</b> Float rows are processed in blocks of {@link #blockRows(int)} rows (at
 * most 4 MiB of floats; the size depends on {@code d} only). {@code Z} is the concatenation of the
 * blocks' products (each row's logits do not depend on the block), and
 * {@code G = G_0 + G_1 + ...} adds each block's {@link HeadKernels#transposeProduct} in block
 * order. The in-heap float matrix and the mapped file run this same code on the same blocks, so
 * they agree bit for bit; a matrix of one block gives exactly {@link HeadKernels}' whole-matrix
 * result.
 */
abstract class DenseRows {

    /** Bytes of floats per block of the block-wise products. */
    static final int BLOCK_BYTES = 1 << 22;

    /** Rows {@code n}. */
    final int n;
    /** Columns {@code d}. */
    final int d;

    DenseRows(int n, int d) {
        this.n = n;
        this.d = d;
    }

    /** Rows per block for {@code d} columns: depends on the shape only. */
    static int blockRows(int d) {
        return (int) Math.max(1, BLOCK_BYTES / (4L * d));
    }

    /** See {@link FeatureMatrix#rows()}. */
    public final int rows() {
        return n;
    }

    /** See {@link FeatureMatrix#columns()}. */
    public final int columns() {
        return d;
    }

    /** See {@link FeatureMatrix#storedValues()}: {@code n d}. */
    public final long storedValues() {
        return (long) n * d;
    }

    /** This storage as the interface its subclasses implement (for the shared argument checks). */
    private FeatureMatrix self() {
        return (FeatureMatrix) this;
    }

    /** See {@link FeatureMatrix#gram}: the rows gathered (times {@code sqrt(q_j)}) into double, then {@link HeadKernels#gram}. */
    public final void gram(int[] rows, double[] columnWeights, double[] out, Parallel par) {
        FeatureChecks.gram(self(), rows, columnWeights, out);
        FeatureChecks.fitsArray((long) rows.length * d, "the Gram matrix of " + rows.length + " rows of " + d
                + " features");
        int b = rows.length;
        double[] y = new double[b * d];
        for (int a = 0; a < b; a++) {
            loadRows(rows[a], rows[a] + 1, y, a * d);
            if (columnWeights != null) {
                for (int j = 0; j < d; j++) {
                    y[a * d + j] *= Math.sqrt(columnWeights[j]);
                }
            }
        }
        HeadKernels.gram(y, b, d, out, par);
    }

    /** See {@link FeatureMatrix#rowSquaredNorms}: each row summed in column order. */
    public final void rowSquaredNorms(double[] columnWeights, double[] out) {
        FeatureChecks.rowSquaredNorms(self(), columnWeights, out);
        int step = blockRows(d);
        double[] x = new double[Math.min(n, step) * d];
        for (int r0 = 0; r0 < n; r0 += step) {
            int r1 = Math.min(n, r0 + step);
            loadRows(r0, r1, x, 0);
            for (int i = r0; i < r1; i++) {
                double s = 0;
                int o = (i - r0) * d;
                for (int j = 0; j < d; j++) {
                    double v = x[o + j];
                    s += columnWeights == null ? v * v : columnWeights[j] * v * v;
                }
                out[i] = s;
            }
        }
    }

    /** See {@link FeatureMatrix#standardizer}: two passes (means, then centred squares), rows in order. */
    public final Standardizer standardizer(double[] weights) {
        FeatureChecks.exampleWeights(weights, n);
        int step = blockRows(d);
        double[] x = new double[Math.min(n, step) * d];
        double[] mean = new double[d];
        double[] sq = new double[d];
        double total = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int r0 = 0; r0 < n; r0 += step) {
                int r1 = Math.min(n, r0 + step);
                loadRows(r0, r1, x, 0);
                for (int i = r0; i < r1; i++) {
                    double w = weights == null ? 1.0 : weights[i];
                    int o = (i - r0) * d;
                    if (pass == 0) {
                        total += w;
                        for (int j = 0; j < d; j++) {
                            mean[j] += w * x[o + j];
                        }
                    } else {
                        for (int j = 0; j < d; j++) {
                            double t = x[o + j] - mean[j];
                            sq[j] += w * t * t;
                        }
                    }
                }
            }
            if (pass == 0) {
                for (int j = 0; j < d; j++) {
                    mean[j] /= total;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            sq[j] = Math.sqrt(sq[j] / total);
        }
        return Standardizer.fromMoments(mean, sq);
    }

    /**
     * Rows {@code [r0, r1)} as row-major floats: an array whose first {@code (r1-r0) d} values are
     * those rows, either backing storage or {@code scratch} (at least that long) filled with them.
     */
    abstract float[] floatBlock(int r0, int r1, float[] scratch);

    /** Copies rows {@code [r0, r1)}, widened to double, into {@code out} from {@code offset}. */
    abstract void loadRows(int r0, int r1, double[] out, int offset);

    /** {@code Z = X~ Vt^T} over float row blocks (see the class comment). */
    final void floatRowProduct(double[] v, int k, double[] out, Parallel par) {
        int step = blockRows(d);
        float[] scratch = n > step ? new float[step * d] : null;
        double[] z = n > step ? new double[step * k] : null;
        for (int r0 = 0; r0 < n; r0 += step) {
            int r1 = Math.min(n, r0 + step);
            float[] x = floatBlock(r0, r1, scratch);
            if (r0 == 0) {
                HeadKernels.rowProduct(x, r1 - r0, d, v, k, out, par);
            } else {
                HeadKernels.rowProduct(x, r1 - r0, d, v, k, z, par);
                System.arraycopy(z, 0, out, r0 * k, (r1 - r0) * k);
            }
        }
    }

    /** {@code G = C^T X~} as the sum of the float row blocks' products in block order. */
    final void floatTransposeProduct(double[] coef, int k, double[] out, Parallel par) {
        int step = blockRows(d);
        int size = k * (d + 1);
        float[] scratch = n > step ? new float[step * d] : null;
        double[] c = n > step ? new double[step * k] : null;
        double[] g = n > step ? new double[size] : null;
        for (int r0 = 0; r0 < n; r0 += step) {
            int r1 = Math.min(n, r0 + step);
            float[] x = floatBlock(r0, r1, scratch);
            if (r0 == 0) {
                HeadKernels.transposeProduct(coef, x, r1 - r0, d, k, out, par);
            } else {
                HeadKernels.transposeProduct(copy(coef, r0 * k, (r1 - r0) * k, c), x, r1 - r0, d, k, g, par);
                for (int t = 0; t < size; t++) {
                    out[t] += g[t];
                }
            }
        }
    }

    private static double[] copy(double[] from, int offset, int length, double[] to) {
        System.arraycopy(from, offset, to, 0, length);
        return to;
    }
}
