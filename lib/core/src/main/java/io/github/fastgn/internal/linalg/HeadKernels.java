package io.github.fastgn.internal.linalg;

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
 * <p>Features may be stored as {@code double[]} or {@code float[]} (half the memory traffic: the
 * K = 10 products are bound by memory bandwidth); with float features every product and sum is
 * still formed in double.
 *
 * <p><b>Dispatch.</b> Each static method forwards to the kernels chosen once per JVM by
 * {@code KernelProvider}: the Vector API kernels when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, else plain loops (with one INFO log line saying
 * so); {@code -Dfastgn.vector=false} forces the plain loops. {@link #implementation()} names the
 * choice, and {@link #scalar()} / {@link #vector()} give each path explicitly (benchmarks,
 * cross-checks). {@link KernelWarmUp} runs the selected kernels on a small problem of a run's shape
 * in a daemon thread, so that a fresh JVM's first products do not wait for the JIT.
 *
 * <p><b>Determinism.</b> Both paths are parallel over tiles of the output (rows of {@code T};
 * column and class blocks of {@code G}, the vector path's columns cut one tile per thread; tiles
 * of the Gram matrix), each output element is computed by one tile, and its sum runs in an order
 * no tile bound changes, so results are bit-identical whatever the thread count. The two paths
 * differ by rounding only (the vector path fuses multiply-adds and sums in lane order).
 *
 * <p>These kernels are written by hand rather than taken from Commons Math or EJML: Commons
 * Math's {@code RealMatrix.multiply} copies into {@code double[][]} and ran these shapes at under
 * 1 GFLOP/s, EJML at 3-12 GFLOP/s, against 20-66 for register-blocked Vector API loops
 * (measured on the development host); the shapes are skinny (K can be 10) and need the bias
 * column folded in without materialising {@code X~}. {@code io.github.fastgn.bench.ProductBenchmark}
 * (Maven profile {@code bench}) measures them. On the 2-vCPU Zen 5 development host (AVX-512,
 * JDK 17), in a quiet window (load about 1) on 2026-11-25, GFLOP/s (median of 5 JMH iterations;
 * numpy/OpenBLAS dgemm measured right after, OPENBLAS_CORETYPE unset, 2 threads):
 * <pre>
 *   B x d x K, product     storage  naive  scalar 1t  vector 1t  vector 2t  numpy dgemm
 *   4096x784x10   X~ V^T   double    3.4      8.1       20.7       33.8        24.8
 *                          float     2.9      6.9       40.8       68.7
 *   4096x784x10   C^T X~   double    3.8      4.7       29.6       52.0        28.3
 *                          float     4.6      3.2       32.4       60.3
 *   4096x2048x10  X~ V^T   double    3.3      8.9       27.2       43.5        21.5
 *                          float     2.9      8.0       47.0       83.8
 *   4096x2048x10  C^T X~   double    3.2      3.7       26.1       46.5        32.1
 *                          float     4.3      3.3       24.7       48.1
 *   4096x512x1000 X~ V^T   double    3.7      9.7       49.3       87.2       132.4
 *                          float     3.0      8.2       58.9      110.6
 *   4096x512x1000 C^T X~   double    4.5      5.2       49.0       92.8       126.4
 *                          float     4.7      4.0       66.0      100.7
 * </pre>
 * The K = 10 products stream {@code X} at 10-21 GB/s, below the ~44 GB/s two-thread bandwidth:
 * JDK 17's code for these loops, not memory, is the limit. (On the 2-core Xeon host of 2026-12-06
 * a two-thread sum over 188 MB of ints ran at 7-9 GB/s, and the row product over the
 * {@code 60000 x 784} float {@code fmnist} features, 188 MB, took 0.020-0.023 s: there these
 * products are bound by memory, which is why the vector transpose product streams whole row runs
 * and the GGN product reads the features once, {@link #fusedProduct}.)
 *
 * <p>With at least 24 classes and features the vector path now runs both products on packed
 * panels ({@link Panels}, micro-kernel {@code VectorPanels}: one 8 x 24 outer product). On the
 * 2-vCPU Xeon host of 2026-12-06 (AVX-512, 2.8 GHz; one niced background job), float features, GFLOP/s, the dot
 * and axpy tiles before against the panels, same JMH command:
 * <pre>
 *   B x d x K, product      vector 1t before  after   vector 2t before  after
 *   4096x256x1000 X~ V^T          26.3       44.0            44.8       86.2
 *   4096x256x1000 C^T X~          15.2       30.0            31.8       60.0
 *   4096x512x1000 X~ V^T            -        48.7              -        83.8
 *   4096x512x1000 C^T X~            -        35.3              -        61.3
 * </pre>
 *
 * <p>From 256 classes and 64 features, where {@code Math.fma} runs in hardware, the scalar path
 * runs the same panels (the same packing and tasks) with a plain-loop micro-kernel
 * ({@link ScalarPanels}: 64 x 256 tiles, each entry adding its terms in order with
 * {@code Math.fma}, the vector panels' arithmetic bit for bit). Same host, 2026-12-06, a quieter
 * window (load average about 1.5 with the benchmark itself), float features, GFLOP/s, two runs
 * each, alternating (tuning builds of this code with properties selecting the tiles, the panels
 * with a multiply and an add, and the panels fused):
 * <pre>
 *   B x d x K, product     scalar 1t tiles  panels  fused   scalar 2t tiles  panels  fused
 *   4096x256x1000 X~ V^T     12.5, 13.2  11.4, 15.3  16.5, 14.9   15.5, 22.8  22.8, 23.6  29.3, 25.8
 *   4096x256x1000 C^T X~     12.8, 12.6  13.6, 11.8  14.4, 14.4   23.7, 21.4  23.3, 20.1  25.0, 27.6
 * </pre>
 * against 79.2, 86.1 (row) and 58.0, 62.2 (transpose) for the vector panels on two threads in the
 * same window. The loop is the limit, as it is the tiles': JDK 17's C2 vectorises four terms into
 * one zero-indexed accumulator row per loop (a fifth gained nothing, a sixth or a second
 * accumulator row stopped it vectorising), and on L1-resident rows the multiply-add form ran at
 * 15-19 GFLOP/s in a timed loop where a 4 x 24 Vector API kernel ran at 30-32 (both under load);
 * the same loop ran about 30% faster with {@code -XX:MaxVectorSize=32}.
 *
 * <p>The scalar 1t column of the first table is the earlier register-blocked scalar code. The scalar kernels now
 * run axpy loops that C2 auto-vectorises ({@code ScalarRows.java.template}). Time of one product,
 * scalar over vector, one thread ({@code ProductBenchmark -wi 2 -i 5}, the old and new jars run
 * back to back on 2026-12-06 under heavy load from other builds, load average 12-15 on 2 cores,
 * so +-30%):
 * <pre>
 *   B x d x K      product   storage  old scalar / vector  new scalar / vector
 *   4096x784x10    X~ V^T    double          3.4                  2.3
 *                            float           6.4                  3.3
 *   4096x784x10    C^T X~    double          4.1                  1.9
 *                            float           4.8                  1.9
 *   4096x256x1000  X~ V^T    double          3.4                  2.4
 *                            float           4.3                  1.1
 *   4096x256x1000  C^T X~    double          3.5                  0.9
 *                            float           7.6                  1.3
 * </pre>
 * The float row product stays furthest behind: JDK 17's C2 does not vectorise the float-to-double
 * conversion, which the scalar path does element by element while transposing the features.
 */
public final class HeadKernels {

    private static final Variant SCALAR = new Variant(KernelProvider.scalar());
    private static final Variant VECTOR = KernelProvider.vector().map(Variant::new).orElse(null);
    private static final Variant SELECTED = KernelProvider.get() == KernelProvider.scalar() ? SCALAR : VECTOR;

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
        SELECTED.rowProduct(x, rows, d, v, k, out, par);
    }

    /** As {@link #rowProduct(double[], int, int, double[], int, double[], Parallel)} with float features (double sums). */
    public static void rowProduct(float[] x, int rows, int d, double[] v, int k, double[] out, Parallel par) {
        SELECTED.rowProduct(x, rows, d, v, k, out, par);
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
        SELECTED.transposeProduct(c, x, rows, d, k, out, par);
    }

    /** As {@link #transposeProduct(double[], double[], int, int, int, double[], Parallel)} with float features (double sums). */
    public static void transposeProduct(double[] c, float[] x, int rows, int d, int k, double[] out, Parallel par) {
        SELECTED.transposeProduct(c, x, rows, d, k, out, par);
    }

    /**
     * Whether {@link #fusedProduct} takes {@code d} features and {@code k} classes on the selected
     * kernels: few classes (off the packed panels), at most 65536 parameters.
     */
    public static boolean fuses(int d, int k) {
        return SELECTED.fuses(d, k);
    }

    /** The partial sums a {@link #fusedProduct} over {@code rows} rows needs (each {@code K D} long). */
    public static int fusedBlocks(int rows) {
        return Kernels.fusedBlocks(rows);
    }

    /**
     * {@link #rowProduct}, a per-row map and {@link #transposeProduct} in one read of the features,
     * where {@link #fuses}: for each tile of 64 rows, {@code z = X~ V^T} on the tile (bit for bit
     * the row product's), {@code map.apply(r0, r1)} (rows {@code [r0, r1)} of {@code z} into rows
     * of {@code coef}, which may be {@code z}), then the tile's terms of {@code out = C^T X~}. Each
     * entry of {@code out} is summed per row block (bounds from the row count only) and the blocks
     * in order: the same for any thread count, and the transpose product's sum to rounding.
     *
     * @param x        features, row-major {@code rows x d}; not modified
     * @param v        parameters or a direction, {@code K x (d+1)}; not modified
     * @param z        {@code rows x K}; overwritten with the row product (then as the map leaves it)
     * @param map      called once per row range, from any thread, on disjoint ranges
     * @param coef     {@code rows x K}, the map's output (may be {@code z})
     * @param partials at least {@link #fusedBlocks fusedBlocks(rows)} arrays of {@code K D}; overwritten
     * @param out      {@code K x (d+1)}; overwritten
     */
    public static void fusedProduct(float[] x, int rows, int d, double[] v, int k, double[] z, RowMap map,
                                    double[] coef, double[][] partials, double[] out, Parallel par) {
        SELECTED.fusedProduct(x, rows, d, v, k, z, map, coef, partials, out, par);
    }

    /** As {@link #fusedProduct(float[], int, int, double[], int, double[], RowMap, double[], double[][], double[], Parallel)} with double features. */
    public static void fusedProduct(double[] x, int rows, int d, double[] v, int k, double[] z, RowMap map,
                                    double[] coef, double[][] partials, double[] out, Parallel par) {
        SELECTED.fusedProduct(x, rows, d, v, k, z, map, coef, partials, out, par);
    }

    /** The per-row map of a {@link #fusedProduct}. */
    @FunctionalInterface
    public interface RowMap {
        /** Turns rows {@code [r0, r1)} of the row product into rows of the coefficients. */
        void apply(int r0, int r1);
    }

    /**
     * The feature Gram matrix {@code out[i*rows + l] = x_i . x_l} (without the bias), full
     * symmetric {@code rows x rows}.
     */
    public static void gram(double[] x, int rows, int d, double[] out, Parallel par) {
        SELECTED.gram(x, rows, d, out, par);
    }

    /**
     * As {@link #gram(double[], int, int, double[], Parallel)} with float features: products of
     * two floats are exact in double, and the sums are in double. Widens {@code x} to a temporary
     * double copy ({@code O(rows d)}, small next to the {@code O(rows^2 d)} product).
     */
    public static void gram(float[] x, int rows, int d, double[] out, Parallel par) {
        SELECTED.gram(x, rows, d, out, par);
    }

    /**
     * The weighted second moment of the augmented rows {@code x~_i = [x_i; 1]}:
     * {@code out[j*D + l] = sum_{i<rows} w[i] x~_ij x~_il}, {@code D = d + 1}, full symmetric and
     * exactly symmetric (the feature second moment {@code C} of the class-block preconditioner).
     * Half the multiply-adds of the transpose product it replaces (lower-triangle tiles, mirrored);
     * bit-identical for any thread count.
     *
     * <p>Computed by the plain-loop kernels on every JVM: it runs once per training run, so in
     * a fresh JVM (the first run, what users see) the Vector API path would run it before C2 has
     * compiled the micro-kernel this {@code K = d} shape needs (its compile alone took 1.5-2 s on
     * the loaded development host, the cold call 3-3.5 s against 0.5 s warm), while the plain
     * loops compile in milliseconds and, being half the work, are as fast as the vector path's
     * full product when warm.
     *
     * @param x   features, row-major {@code rows x d} (float values are widened, products in double); not modified
     * @param w   example weights, length at least {@code rows}; not modified
     * @param out {@code D x D}; overwritten
     */
    public static void secondMoment(float[] x, int rows, int d, double[] w, double[] out, Parallel par) {
        SCALAR.secondMoment(x, rows, d, w, out, par);
    }

    /** As {@link #secondMoment(float[], int, int, double[], double[], Parallel)} with double features. */
    public static void secondMoment(double[] x, int rows, int d, double[] w, double[] out, Parallel par) {
        SCALAR.secondMoment(x, rows, d, w, out, par);
    }

    /**
     * As {@link #secondMoment(float[], int, int, double[], double[], Parallel)}, on the selected
     * kernels: for a moment recomputed at every step of a run whose products have already compiled
     * the micro-kernel it shares (the top-competitor curvature's tail moment, at many classes). On
     * the Vector API path with at least 24 features it runs on the packed panels of the products
     * (bit-identical for any thread count; it differs from the plain-loop moment by rounding only).
     * On {@code syn} ({@code 50000 x 256}, {@code K = 1000}) the plain loops were 7% of a fit's profile.
     */
    public static void stepSecondMoment(float[] x, int rows, int d, double[] w, double[] out, Parallel par) {
        SELECTED.secondMoment(x, rows, d, w, out, par);
    }

    /** As {@link #stepSecondMoment(float[], int, int, double[], double[], Parallel)} with double features. */
    public static void stepSecondMoment(double[] x, int rows, int d, double[] w, double[] out, Parallel par) {
        SELECTED.secondMoment(x, rows, d, w, out, par);
    }

    /**
     * {@code v[i] = exp(v[i] - shift)} for {@code i} in {@code [from, to)}; returns their sum.
     * Entries of {@code -infinity} become exactly 0.
     */
    public static double expInPlace(double[] v, int from, int to, double shift) {
        return SELECTED.kernels().expInPlace(v, from, to, shift);
    }

    /**
     * The {@code m} largest of {@code v[0 .. k)} as class indices into {@code top[base .. base + m)},
     * in decreasing value, equal values in increasing index (the same on both paths); {@code groupMax}
     * (at least 64 entries) and {@code index} (at least {@code k}) are scratch.
     */
    public static void topClasses(double[] v, int k, int m, int[] top, int base, double[] groupMax, int[] index) {
        SELECTED.kernels().topClasses(v, k, m, top, base, groupMax, index);
    }

    /**
     * {@code out[s] = sum_(j < n) row[j] v[idx[off + s] ldv + j]} for {@code s < m}: one row's dot
     * products with {@code m} gathered rows of {@code v} (each summed in an order fixed by the
     * kernels; the vector path shares every load of {@code row} among four gathered rows).
     */
    public static void gatherDots(double[] row, int n, double[] v, int ldv, int[] idx, int off, int m,
                                  double[] out) {
        SELECTED.kernels().gatherDots(row, n, v, ldv, idx, off, m, out);
    }

    /** {@code y[yo + j] += alpha x[xo + j]} for {@code j < n} (the vector path fuses each multiply-add). */
    public static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        SELECTED.kernels().axpy(alpha, x, xo, y, yo, n);
    }

    /** {@code sum_(j < n) a[ao + j] b[bo + j]}, summed in an order fixed by the kernels. */
    public static double dot(double[] a, int ao, double[] b, int bo, int n) {
        return SELECTED.kernels().dot(a, ao, b, bo, n);
    }

    /** {@link #gatherDots} of the float row {@code row[ro .. ro + n)}: the bits of its widened copy. */
    public static void gatherDots(float[] row, int ro, int n, double[] v, int ldv, int[] idx, int off, int m,
                                  double[] out) {
        SELECTED.kernels().gatherDots(row, ro, n, v, ldv, idx, off, m, out);
    }

    /** {@link #axpy} of a float row: the bits of its widened copy. */
    public static void axpy(double alpha, float[] x, int xo, double[] y, int yo, int n) {
        SELECTED.kernels().axpy(alpha, x, xo, y, yo, n);
    }

    /**
     * {@code y[0 .. n) += alpha[q] x[xo[q] .. xo[q] + n)} for {@code q = 0 .. count-1} in that order: the bits of
     * {@link #axpy(double, float[], int, double[], int, int)} for each {@code q}, with {@code y} read and written
     * once on the Vector API path (a class's rows in {@code CompetitorCurvature}'s second pass).
     */
    public static void axpyRows(double[] alpha, float[] x, int[] xo, int count, double[] y, int n) {
        SELECTED.kernels().axpyRows(alpha, x, xo, count, y, n);
    }

    /** {@link #dot} of a float row: the bits of its widened copy. */
    public static double dot(float[] a, int ao, double[] b, int bo, int n) {
        return SELECTED.kernels().dot(a, ao, b, bo, n);
    }

    /**
     * Whether the float-row forms read a row where it lies (the Vector API kernels); if not, a caller
     * making several calls on one float row widens it once and calls the double forms.
     */
    public static boolean floatRowsInPlace() {
        return SELECTED.kernels().floatRowsInPlace();
    }

    /** The kernels in use: {@code "scalar"} or {@code "vector<bits>"}, e.g. {@code "vector512"}. */
    public static String implementation() {
        return SELECTED.name();
    }

    /** The plain-loop kernels, whatever was selected. */
    public static Variant scalar() {
        return SCALAR;
    }

    /** The Vector API kernels, or empty when this JVM lacks {@code jdk.incubator.vector}. */
    public static java.util.Optional<Variant> vector() {
        return java.util.Optional.ofNullable(VECTOR);
    }

    /** The kernels the static methods use. */
    public static Variant selected() {
        return SELECTED;
    }

    /** One implementation of the products, with the same contracts as the static methods. */
    public static final class Variant {
        private final Kernels kernels;

        private Variant(Kernels kernels) {
            this.kernels = kernels;
        }

        Kernels kernels() {
            return kernels;
        }

        /** {@code "scalar"} or {@code "vector<bits>"}. */
        public String name() {
            return kernels.name();
        }

        /** See {@link HeadKernels#rowProduct(double[], int, int, double[], int, double[], Parallel)}. */
        public void rowProduct(double[] x, int rows, int d, double[] v, int k, double[] out, Parallel par) {
            check(x.length, rows, d, v.length, k, out.length, (long) rows * k);
            kernels.rowProduct(x, rows, d, v, k, out, par);
        }

        /** See {@link HeadKernels#rowProduct(float[], int, int, double[], int, double[], Parallel)}. */
        public void rowProduct(float[] x, int rows, int d, double[] v, int k, double[] out, Parallel par) {
            check(x.length, rows, d, v.length, k, out.length, (long) rows * k);
            kernels.rowProduct(x, rows, d, v, k, out, par);
        }

        /** See {@link HeadKernels#transposeProduct(double[], double[], int, int, int, double[], Parallel)}. */
        public void transposeProduct(double[] c, double[] x, int rows, int d, int k, double[] out, Parallel par) {
            check(x.length, rows, d, out.length, k, c.length, (long) rows * k);
            kernels.transposeProduct(c, x, rows, d, k, out, par);
        }

        /** See {@link HeadKernels#transposeProduct(double[], float[], int, int, int, double[], Parallel)}. */
        public void transposeProduct(double[] c, float[] x, int rows, int d, int k, double[] out, Parallel par) {
            check(x.length, rows, d, out.length, k, c.length, (long) rows * k);
            kernels.transposeProduct(c, x, rows, d, k, out, par);
        }

        /** See {@link HeadKernels#fuses(int, int)}. */
        public boolean fuses(int d, int k) {
            return kernels.fuses(d, k);
        }

        /** See {@link HeadKernels#fusedProduct(float[], int, int, double[], int, double[], RowMap, double[], double[][], double[], Parallel)}. */
        public void fusedProduct(float[] x, int rows, int d, double[] v, int k, double[] z, RowMap map,
                                 double[] coef, double[][] partials, double[] out, Parallel par) {
            checkFused(x.length, rows, d, v.length, k, z.length, coef.length, partials, out.length);
            kernels.fusedProduct(null, x, rows, d, v, k, z, map, coef, partials, out, par);
        }

        /** See {@link HeadKernels#fusedProduct(double[], int, int, double[], int, double[], RowMap, double[], double[][], double[], Parallel)}. */
        public void fusedProduct(double[] x, int rows, int d, double[] v, int k, double[] z, RowMap map,
                                 double[] coef, double[][] partials, double[] out, Parallel par) {
            checkFused(x.length, rows, d, v.length, k, z.length, coef.length, partials, out.length);
            kernels.fusedProduct(x, null, rows, d, v, k, z, map, coef, partials, out, par);
        }

        private void checkFused(int xLength, int rows, int d, int vLength, int k, int zLength, int coefLength,
                                double[][] partials, int outLength) {
            check(xLength, rows, d, vLength, k, zLength, (long) rows * k);
            check(xLength, rows, d, outLength, k, coefLength, (long) rows * k);
            if (!kernels.fuses(d, k)) {
                throw new IllegalArgumentException("no fused product of " + d + " features and " + k + " classes on the "
                        + kernels.name() + " kernels (see fuses)");
            }
            int blocks = Kernels.fusedBlocks(rows);
            if (partials.length < blocks) {
                throw new IllegalArgumentException(blocks + " partial sums needed, got " + partials.length);
            }
            for (int b = 0; b < blocks; b++) {
                if (partials[b].length < k * (d + 1)) {
                    throw new IllegalArgumentException("partial sum " + b + " has " + partials[b].length
                            + " entries, needs " + k * (d + 1));
                }
            }
        }

        /** See {@link HeadKernels#secondMoment(float[], int, int, double[], double[], Parallel)}. */
        public void secondMoment(float[] x, int rows, int d, double[] w, double[] out, Parallel par) {
            checkMoment(x.length, rows, d, w.length, out.length);
            kernels.secondMoment(null, x, rows, d, w, out, par);
        }

        /** See {@link HeadKernels#secondMoment(double[], int, int, double[], double[], Parallel)}. */
        public void secondMoment(double[] x, int rows, int d, double[] w, double[] out, Parallel par) {
            checkMoment(x.length, rows, d, w.length, out.length);
            kernels.secondMoment(x, null, rows, d, w, out, par);
        }

        /** See {@link HeadKernels#topClasses}. */
        public void topClasses(double[] v, int k, int m, int[] top, int base, double[] groupMax, int[] index) {
            if (m < 1 || m > k || k > v.length || base + m > top.length || groupMax.length < Kernels.TOP_GROUPS
                    || index.length < k) {
                throw new IllegalArgumentException("topClasses: m = " + m + ", k = " + k + ", lengths " + v.length
                        + ", " + top.length + ", " + groupMax.length + ", " + index.length);
            }
            kernels.topClasses(v, k, m, top, base, groupMax, index);
        }

        /** See {@link HeadKernels#expInPlace(double[], int, int, double)}. */
        public double expInPlace(double[] v, int from, int to, double shift) {
            java.util.Objects.checkFromToIndex(from, to, v.length);
            return kernels.expInPlace(v, from, to, shift);
        }

        /** See {@link HeadKernels#gram(double[], int, int, double[], Parallel)}. */
        public void gram(double[] x, int rows, int d, double[] out, Parallel par) {
            checkGram(x.length, rows, d, out.length);
            kernels.gram(x, rows, d, out, par);
        }

        /** See {@link HeadKernels#gram(float[], int, int, double[], Parallel)}. */
        public void gram(float[] x, int rows, int d, double[] out, Parallel par) {
            checkGram(x.length, rows, d, out.length);
            double[] wide = new double[rows * d];
            for (int t = 0; t < wide.length; t++) {
                wide[t] = x[t];
            }
            kernels.gram(wide, rows, d, out, par);
        }

        private static void check(int xLength, int rows, int d, int paramLength, int k, int rowsByKLength, long rowsByK) {
            if (rows < 0 || d < 0 || k < 0 || (long) rows * d > xLength || (long) k * (d + 1) > paramLength
                    || rowsByK > rowsByKLength) {
                throw new IllegalArgumentException("array too short for rows=" + rows + ", d=" + d + ", K=" + k);
            }
        }

        private static void checkMoment(int xLength, int rows, int d, int wLength, int outLength) {
            if (rows < 0 || d < 0 || (long) rows * d > xLength || rows > wLength
                    || (long) (d + 1) * (d + 1) > outLength) {
                throw new IllegalArgumentException("array too short for rows=" + rows + ", d=" + d
                        + " (x needs rows*d, w rows and out (d+1)^2 entries)");
            }
        }

        private static void checkGram(int xLength, int rows, int d, int outLength) {
            if (rows < 0 || d < 0 || (long) rows * d > xLength || (long) rows * rows > outLength) {
                throw new IllegalArgumentException("array too short for rows=" + rows + ", d=" + d);
            }
        }
    }
}
