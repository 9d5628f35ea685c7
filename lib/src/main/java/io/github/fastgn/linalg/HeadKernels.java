package io.github.fastgn.linalg;

/**
 * The two dense products every FGN, GGN and gradient computation of a linear softmax head reduces
 * to. Features are a row-major {@code B x d} array {@code x}; the augmented row is
 * {@code x~ = [x; 1]}, so the parameter block {@code Wt = [W | b]} is a row-major
 * {@code K x D} array with {@code D = d + 1} and the bias in the last column.
 *
 * <ul>
 *   <li>{@link #rowProduct}: {@code T = X~ Vt^T} ({@code B x K}); logits, JVPs and step
 *       directions in logit space.</li>
 *   <li>{@link #transposeProduct}: {@code G = C^T X~} ({@code K x D}); gradients, VJPs and
 *       GGN-vector products.</li>
 * </ul>
 *
 * <p>Both are parallel over outputs (rows of {@code T}, column blocks of {@code G}) and sum over
 * the reduction index in a fixed order, so results do not depend on the thread count.
 * These loops are written by hand rather than taken from Commons Math or EJML: Commons Math's
 * {@code RealMatrix.multiply} copies into {@code double[][]} and ran these shapes at under
 * 1 GFLOP/s; the shapes are skinny (K can be 10) and need the bias column folded in without
 * materialising {@code X~}.
 */
public final class HeadKernels {

    /** Work (multiply-adds) below which a product stays on the calling thread. */
    private static final long PARALLEL_WORK = 1L << 16;
    /** Width of the column blocks of {@link #transposeProduct}; fixed so the split is reproducible. */
    private static final int COLUMN_BLOCK = 64;

    private HeadKernels() {
    }

    /**
     * {@code out[i*K + k] = sum_j x[i*d + j] * v[k*D + j] + v[k*D + d]} for {@code i < rows}.
     *
     * @param x   features, row-major {@code rows x d}; not modified
     * @param v   parameters or a direction, row-major {@code K x (d+1)}; not modified
     * @param out {@code rows x K}; overwritten
     */
    public static void rowProduct(double[] x, int rows, int d, double[] v, int k, double[] out, Parallel par) {
        int dd = d + 1;
        long work = (long) rows * d * k;
        int grain = work < PARALLEL_WORK ? rows : Math.max(16, (int) (PARALLEL_WORK / Math.max(1, (long) d * k)));
        par.forRange(rows, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int xo = i * d;
                int oo = i * k;
                for (int c = 0; c < k; c++) {
                    int vo = c * dd;
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    int j = 0;
                    for (; j + 3 < d; j += 4) {
                        s0 += x[xo + j] * v[vo + j];
                        s1 += x[xo + j + 1] * v[vo + j + 1];
                        s2 += x[xo + j + 2] * v[vo + j + 2];
                        s3 += x[xo + j + 3] * v[vo + j + 3];
                    }
                    for (; j < d; j++) {
                        s0 += x[xo + j] * v[vo + j];
                    }
                    out[oo + c] = (s0 + s1) + (s2 + s3) + v[vo + d];
                }
            }
        });
    }

    /**
     * {@code out[k*D + j] = sum_i c[i*K + k] * x[i*d + j]} and the bias column
     * {@code out[k*D + d] = sum_i c[i*K + k]}, summed over {@code i = 0 .. rows-1} in order.
     *
     * @param c   coefficients, row-major {@code rows x K}; not modified
     * @param x   features, row-major {@code rows x d}; not modified
     * @param out {@code K x (d+1)}; overwritten
     */
    public static void transposeProduct(double[] c, double[] x, int rows, int d, int k, double[] out, Parallel par) {
        int dd = d + 1;
        int blocks = (d + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        long work = (long) rows * d * k;
        int grain = work < PARALLEL_WORK ? blocks + 1 : 1;
        // block index == blocks computes the bias column
        par.forRange(blocks + 1, grain, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                if (b == blocks) {
                    for (int kk = 0; kk < k; kk++) {
                        out[kk * dd + d] = 0.0;
                    }
                    for (int i = 0; i < rows; i++) {
                        int co = i * k;
                        for (int kk = 0; kk < k; kk++) {
                            out[kk * dd + d] += c[co + kk];
                        }
                    }
                    continue;
                }
                int j0 = b * COLUMN_BLOCK;
                int j1 = Math.min(d, j0 + COLUMN_BLOCK);
                for (int kk = 0; kk < k; kk++) {
                    java.util.Arrays.fill(out, kk * dd + j0, kk * dd + j1, 0.0);
                }
                for (int i = 0; i < rows; i++) {
                    int co = i * k;
                    int xo = i * d;
                    for (int kk = 0; kk < k; kk++) {
                        double ci = c[co + kk];
                        if (ci == 0.0) {
                            continue;
                        }
                        int oo = kk * dd;
                        for (int j = j0; j < j1; j++) {
                            out[oo + j] += ci * x[xo + j];
                        }
                    }
                }
            }
        });
    }

    /**
     * The feature Gram matrix {@code out[i*rows + l] = x_i . x_l} (without the bias), full
     * symmetric {@code rows x rows}.
     */
    public static void gram(double[] x, int rows, int d, double[] out, Parallel par) {
        long work = (long) rows * rows * d / 2;
        int grain = work < PARALLEL_WORK ? rows : 8;
        par.forRange(rows, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int xi = i * d;
                for (int l = 0; l <= i; l++) {
                    int xl = l * d;
                    double s0 = 0, s1 = 0;
                    int j = 0;
                    for (; j + 1 < d; j += 2) {
                        s0 += x[xi + j] * x[xl + j];
                        s1 += x[xi + j + 1] * x[xl + j + 1];
                    }
                    for (; j < d; j++) {
                        s0 += x[xi + j] * x[xl + j];
                    }
                    out[i * rows + l] = s0 + s1;
                }
            }
        });
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < i; l++) {
                out[l * rows + i] = out[i * rows + l];
            }
        }
    }
}
