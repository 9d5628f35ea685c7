package io.github.fastgn.internal.linalg;

import static io.github.fastgn.internal.linalg.VectorKernels.L;
import static io.github.fastgn.internal.linalg.VectorKernels.S;

import jdk.incubator.vector.DoubleVector;

import java.util.Arrays;

/**
 * The row and transpose products of {@link VectorKernels} for many classes, on packed panels: one
 * outer-product micro-kernel ({@value #MR} x {@code 3 L} fused multiply-adds a step, 24 vector
 * accumulators) that both products share, fed by operands copied (and widened to double) into
 * contiguous panels first, the way BLIS-style GEMMs are built.
 *
 * <p>Why: the dot-tile and axpy-tile kernels ({@code VectorRows.java.template}) read their operands
 * where they lie: a 4 x 3 tile of row dot products loads 7 vectors (about 27 bytes) per vector
 * fused multiply-add, from rows too long to stay in L1, and the axpy tiles broadcast from rows
 * {@code 8 K} bytes apart. On the {@code syn} shape ({@code 4096 x 256 x 1000}, float features,
 * AVX-512, one thread) they ran at 23-27 GFLOP/s (row) and 15-19 GFLOP/s (transpose), and the
 * two products were 44% of a {@code syn} fit's profile. The packed micro-kernel loads about 11
 * bytes per vector fused multiply-add, from panels that stay in L1 or L2; alone, on L1-resident
 * panels, it ran at about 78 GFLOP/s on one thread (a timed loop outside JMH, same machine; the
 * double peak of two 512-bit FMA units at 2.8 GHz would be 89.6).
 *
 * <p>Arithmetic, the same whichever tile, edge or thread computes an element:
 * <ul>
 *   <li>row product {@code out[i K + c] = b_c + sum_j x_ij v_cj}: the bias first, then the
 *       features in order {@code j = 0, 1, ..}, each one fused multiply-add;</li>
 *   <li>transpose product {@code out[c D + j] = sum_i coef_ic x_ij}: the examples in order, each
 *       one fused multiply-add (as the axpy tiles do, so the two paths agree bit for bit).</li>
 * </ul>
 * Padding lanes (classes or features past the end, rows past the last) are zeros and never stored.
 * Used only with 512-bit vectors ({@code L = 8}, 32 registers): with fewer registers the 24
 * accumulators would spill.
 */
final class VectorPanels {

    /** Rows of the micro-tile: rows of X (row product) or classes (transpose product). */
    static final int MR = 8;
    /** Columns of the micro-tile: classes (row product) or features (transpose product). */
    static final int NR = 3 * L;
    /** Rows of X a row-product task packs and reuses over its panels. */
    static final int ROW_TILE = 64;
    /** Bytes of packed parameter panels one row-product task walks (kept in L2). */
    static final int PANEL_BLOCK_BYTES = 1 << 19;
    /** Examples per packed chunk of the transpose product. */
    static final int CHUNK = 128;
    /** Classes per transpose task (a multiple of {@link #MR}); a task takes every column. */
    static final int CLASS_TILE = 128;

    private VectorPanels() {
    }

    // packing buffers, by role: the calling thread's parameter panels and biases, each task's rows,
    // columns, coefficient group and edge tile
    private static final int PARAMETERS = 0;
    private static final int BIASES = 1;
    private static final int ROWS = 2;
    private static final int COLUMNS = 3;
    private static final int GROUP = 4;
    private static final int TILE = 5;

    /**
     * Each thread's packing buffers, kept between products and grown when a larger one is needed
     * (as BLIS keeps its packing buffers): a product inside CG would otherwise allocate the
     * parameter panels ({@code 8 K d} bytes, 2 MB on {@code syn}: a humongous G1 allocation) and
     * every task's panels anew. A thread keeps at most the largest product's panels (e.g. 4 MB of
     * parameters for {@code K = 1000}, {@code d = 512}). No buffer is used by two products at once:
     * the parameters and biases only on the calling thread, while the tasks that read them run; the
     * others only inside one task, which runs to its end on one thread.
     */
    private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[6][0]);

    /** This thread's buffer for {@code role}, at least {@code length} long (contents left over). */
    private static double[] buffer(int role, int length) {
        double[][] b = BUFFERS.get();
        if (b[role].length < length) {
            b[role] = new double[length];
        }
        return b[role];
    }

    /** Whether the panel products suit {@code k} classes and {@code d} features on this species. */
    static boolean suits(int d, int k) {
        return L == 8 && k >= NR && d >= NR;
    }

    /**
     * {@code out[i*k + c] = v[c*dd + d] + sum_j x[i*d + j] v[c*dd + j]} for every row and class
     * ({@code dd = d + 1}); features from {@code xd} or, when it is null, {@code xf}.
     */
    static void rowProduct(double[] xd, float[] xf, int rows, int d, double[] v, int k, double[] out,
                           Parallel par) {
        int dd = d + 1;
        int panels = (k + NR - 1) / NR;
        // the parameters once, as panels [p][j][NR] (padding classes zero), and the biases [p][NR]
        double[] wp = buffer(PARAMETERS, panels * d * NR);
        double[] bp = buffer(BIASES, panels * NR);
        for (int c = k; c < panels * NR; c++) {
            int p = c / NR;
            int lane = c - p * NR;
            for (int j = 0; j < d; j++) {
                wp[p * d * NR + lane + j * NR] = 0.0;
            }
            bp[p * NR + lane] = 0.0;
        }
        for (int c = 0; c < k; c++) {
            int p = c / NR;
            int lane = c - p * NR;
            int base = p * d * NR + lane;
            int vo = c * dd;
            for (int j = 0; j < d; j++) {
                wp[base + j * NR] = v[vo + j];
            }
            bp[p * NR + lane] = v[vo + d];
        }
        int perBlock = Math.max(1, PANEL_BLOCK_BYTES / (8 * d * NR));
        int blocks = (panels + perBlock - 1) / perBlock;
        int rowTiles = (rows + ROW_TILE - 1) / ROW_TILE;
        int tasks = rowTiles * blocks;
        long work = (long) rows * d * k;
        par.forRange(tasks, work < Kernels.PARALLEL_WORK ? tasks : 1, (lo, hi) -> {
            double[] xp = buffer(ROWS, ROW_TILE * d);
            double[] t = buffer(TILE, MR * NR);
            int packed = -1;
            for (int task = lo; task < hi; task++) {
                int rt = task / blocks;
                int r0 = rt * ROW_TILE;
                int r1 = Math.min(rows, r0 + ROW_TILE);
                if (packed != rt) {
                    packRows(xd, xf, d, r0, r1, xp);
                    packed = rt;
                }
                int p0 = (task % blocks) * perBlock;
                int p1 = Math.min(panels, p0 + perBlock);
                for (int p = p0; p < p1; p++) {
                    int c0 = p * NR;
                    int width = Math.min(NR, k - c0);
                    for (int i0 = r0; i0 < r1; i0 += MR) {
                        int height = Math.min(MR, r1 - i0);
                        if (height == MR && width == NR) {
                            kernel(xp, (i0 - r0) * d, MR, wp, p * d * NR, d, bp, c0, 0, out, i0 * k + c0, k);
                        } else {
                            kernel(xp, (i0 - r0) * d, MR, wp, p * d * NR, d, bp, c0, 0, t, 0, NR);
                            for (int r = 0; r < height; r++) {
                                System.arraycopy(t, r * NR, out, (i0 + r) * k + c0, width);
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * Rows {@code [r0, r1)} of the features as blocks of {@link #MR} rows, each block
     * {@code [j][MR]} (row {@code r} of block {@code b} at {@code xp[b MR d + j MR + r]}), rows
     * past {@code r1} zero.
     */
    private static void packRows(double[] xd, float[] xf, int d, int r0, int r1, double[] xp) {
        for (int i0 = r0; i0 < r1; i0 += MR) {
            int base = (i0 - r0) * d;
            int height = Math.min(MR, r1 - i0);
            for (int r = 0; r < height; r++) {
                int xo = (i0 + r) * d;
                for (int j = 0; j < d; j++) {
                    xp[base + j * MR + r] = xd != null ? xd[xo + j] : xf[xo + j];
                }
            }
            for (int r = height; r < MR; r++) {
                for (int j = 0; j < d; j++) {
                    xp[base + j * MR + r] = 0.0;
                }
            }
        }
    }

    /**
     * {@code out[c*dd + j] = sum_i coef[i*k + c] x~_ij} for every class and column {@code j <= d}
     * ({@code dd = d + 1}, {@code x~_id = 1}: the bias column sums the coefficients), summed in
     * order of {@code i}; features from {@code xd} or, when it is null, {@code xf}.
     */
    static void transposeProduct(double[] coef, double[] xd, float[] xf, int rows, int d, int k, double[] out,
                                 Parallel par) {
        transposeTiles(coef, xd, xf, rows, d, k, out, false, par);
    }

    /**
     * The lower triangle (in whole strips) and the bias column of {@code sum_i coef_i x~_i^T}, the
     * features as {@code d} classes: {@link Kernels#momentLowerTriangle}.
     */
    static void momentLowerTriangle(double[] coef, double[] xd, float[] xf, int rows, int d, double[] out,
                                    Parallel par) {
        transposeTiles(coef, xd, xf, rows, d, d, out, true, par);
    }

    /**
     * The transpose product in tasks of {@link #CLASS_TILE} classes, each over all rows in chunks
     * of {@link #CHUNK}: the chunk's columns packed once into strips of {@link #NR} (column
     * {@code d} is the bias's ones), the coefficients read where they lie ({@link #MR} consecutive
     * classes of a row; a last, partial group is packed with zeros). With {@code lower}, a task of
     * classes {@code [c0, c1)} computes only the columns {@code j < c1} and the bias column (the
     * lower triangle of a square product, in whole strips).
     */
    private static void transposeTiles(double[] coef, double[] xd, float[] xf, int rows, int d, int k,
                                       double[] out, boolean lower, Parallel par) {
        int dd = d + 1;
        int classTiles = (k + CLASS_TILE - 1) / CLASS_TILE;
        int allStrips = (dd + NR - 1) / NR;
        long work = (long) rows * dd * k;
        par.forRange(classTiles, work < Kernels.PARALLEL_WORK ? classTiles : 1, (lo, hi) -> {
            double[] cp = buffer(GROUP, MR * CHUNK);
            double[] xq = buffer(COLUMNS, allStrips * NR * CHUNK);
            double[] t = buffer(TILE, MR * NR);
            for (int task = lo; task < hi; task++) {
                int c0 = task * CLASS_TILE;
                int c1 = Math.min(k, c0 + CLASS_TILE);
                int columns = lower ? Math.min(d, c1) : dd;
                int strips = (columns + NR - 1) / NR;
                for (int c = c0; c < c1; c++) {
                    Arrays.fill(out, c * dd, c * dd + dd, 0.0);
                }
                int groups = (c1 - c0 + MR - 1) / MR;
                for (int i0 = 0; i0 < rows; i0 += CHUNK) {
                    int kc = Math.min(CHUNK, rows - i0);
                    packColumns(xd, xf, d, i0, kc, strips, xq);
                    for (int g = 0; g < groups; g++) {
                        int cg = c0 + g * MR;
                        int height = Math.min(MR, c1 - cg);
                        double[] a = coef;
                        int ao = i0 * k + cg;
                        int lda = k;
                        if (height < MR) {
                            packGroup(coef, k, i0, kc, cg, height, cp);
                            a = cp;
                            ao = 0;
                            lda = MR;
                        }
                        for (int s = 0; s < strips; s++) {
                            int js = s * NR;
                            int width = Math.min(NR, columns - js);
                            int bo = s * NR * kc;
                            int oo = cg * dd + js;
                            if (height == MR && width == NR) {
                                kernel(a, ao, lda, xq, bo, kc, out, oo, dd, out, oo, dd);
                            } else {
                                for (int r = 0; r < height; r++) {
                                    System.arraycopy(out, oo + r * dd, t, r * NR, width);
                                }
                                kernel(a, ao, lda, xq, bo, kc, t, 0, NR, t, 0, NR);
                                for (int r = 0; r < height; r++) {
                                    System.arraycopy(t, r * NR, out, oo + r * dd, width);
                                }
                            }
                        }
                    }
                }
                if (lower) {
                    Kernels.biasColumn(coef, rows, k, out, dd, d, c0, c1);
                }
            }
        });
    }

    /** Classes {@code [cg, cg + height)} of examples {@code [i0, i0 + kc)} as {@code [i][MR]}, the missing classes zero. */
    private static void packGroup(double[] coef, int k, int i0, int kc, int cg, int height, double[] cp) {
        for (int i = 0; i < kc; i++) {
            int co = (i0 + i) * k + cg;
            int po = i * MR;
            for (int r = 0; r < MR; r++) {
                cp[po + r] = r < height ? coef[co + r] : 0.0;
            }
        }
    }

    /**
     * Columns of examples {@code [i0, i0 + kc)} as {@code strips} strips of {@link #NR}, each
     * {@code [i][NR]}: the features, then the bias's 1 at column {@code d}, then zeros.
     */
    private static void packColumns(double[] xd, float[] xf, int d, int i0, int kc, int strips, double[] xq) {
        for (int s = 0; s < strips; s++) {
            int js = s * NR;
            int width = Math.max(0, Math.min(NR, d - js));
            int base = s * NR * kc;
            for (int i = 0; i < kc; i++) {
                int xo = (i0 + i) * d + js;
                int po = base + i * NR;
                if (xd != null) {
                    for (int c = 0; c < width; c++) {
                        xq[po + c] = xd[xo + c];
                    }
                } else {
                    for (int c = 0; c < width; c++) {
                        xq[po + c] = xf[xo + c];
                    }
                }
                for (int c = width; c < NR; c++) {
                    xq[po + c] = js + c == d ? 1.0 : 0.0;
                }
            }
        }
    }

    /**
     * The micro-kernel: {@code dst[dso + r ldd + c] = src[so + r lds + c] + sum_(s < kc) a[ao + s lda + r] b[bo + s NR + c]}
     * for {@code r < MR}, {@code c < NR}, each lane starting from its {@code src} value and adding
     * one fused multiply-add per {@code s}, in order ({@code lds = 0} starts every row from the same values).
     */
    static void kernel(double[] a, int ao, int lda, double[] b, int bo, int kc, double[] src, int so, int lds,
                       double[] dst, int dso, int ldd) {
        DoubleVector t00 = DoubleVector.fromArray(S, src, so), t01 = DoubleVector.fromArray(S, src, so + L),
                t02 = DoubleVector.fromArray(S, src, so + 2 * L);
        DoubleVector t10 = DoubleVector.fromArray(S, src, so + lds), t11 = DoubleVector.fromArray(S, src, so + lds + L),
                t12 = DoubleVector.fromArray(S, src, so + lds + 2 * L);
        DoubleVector t20 = DoubleVector.fromArray(S, src, so + 2 * lds), t21 = DoubleVector.fromArray(S, src, so + 2 * lds + L),
                t22 = DoubleVector.fromArray(S, src, so + 2 * lds + 2 * L);
        DoubleVector t30 = DoubleVector.fromArray(S, src, so + 3 * lds), t31 = DoubleVector.fromArray(S, src, so + 3 * lds + L),
                t32 = DoubleVector.fromArray(S, src, so + 3 * lds + 2 * L);
        DoubleVector t40 = DoubleVector.fromArray(S, src, so + 4 * lds), t41 = DoubleVector.fromArray(S, src, so + 4 * lds + L),
                t42 = DoubleVector.fromArray(S, src, so + 4 * lds + 2 * L);
        DoubleVector t50 = DoubleVector.fromArray(S, src, so + 5 * lds), t51 = DoubleVector.fromArray(S, src, so + 5 * lds + L),
                t52 = DoubleVector.fromArray(S, src, so + 5 * lds + 2 * L);
        DoubleVector t60 = DoubleVector.fromArray(S, src, so + 6 * lds), t61 = DoubleVector.fromArray(S, src, so + 6 * lds + L),
                t62 = DoubleVector.fromArray(S, src, so + 6 * lds + 2 * L);
        DoubleVector t70 = DoubleVector.fromArray(S, src, so + 7 * lds), t71 = DoubleVector.fromArray(S, src, so + 7 * lds + L),
                t72 = DoubleVector.fromArray(S, src, so + 7 * lds + 2 * L);
        for (int s = 0; s < kc; s++) {
            int po = ao + s * lda;
            int qo = bo + s * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, b, qo);
            DoubleVector b1 = DoubleVector.fromArray(S, b, qo + L);
            DoubleVector b2 = DoubleVector.fromArray(S, b, qo + 2 * L);
            DoubleVector f = DoubleVector.broadcast(S, a[po]);
            t00 = f.fma(b0, t00);
            t01 = f.fma(b1, t01);
            t02 = f.fma(b2, t02);
            f = DoubleVector.broadcast(S, a[po + 1]);
            t10 = f.fma(b0, t10);
            t11 = f.fma(b1, t11);
            t12 = f.fma(b2, t12);
            f = DoubleVector.broadcast(S, a[po + 2]);
            t20 = f.fma(b0, t20);
            t21 = f.fma(b1, t21);
            t22 = f.fma(b2, t22);
            f = DoubleVector.broadcast(S, a[po + 3]);
            t30 = f.fma(b0, t30);
            t31 = f.fma(b1, t31);
            t32 = f.fma(b2, t32);
            f = DoubleVector.broadcast(S, a[po + 4]);
            t40 = f.fma(b0, t40);
            t41 = f.fma(b1, t41);
            t42 = f.fma(b2, t42);
            f = DoubleVector.broadcast(S, a[po + 5]);
            t50 = f.fma(b0, t50);
            t51 = f.fma(b1, t51);
            t52 = f.fma(b2, t52);
            f = DoubleVector.broadcast(S, a[po + 6]);
            t60 = f.fma(b0, t60);
            t61 = f.fma(b1, t61);
            t62 = f.fma(b2, t62);
            f = DoubleVector.broadcast(S, a[po + 7]);
            t70 = f.fma(b0, t70);
            t71 = f.fma(b1, t71);
            t72 = f.fma(b2, t72);
        }
        t00.intoArray(dst, dso);
        t01.intoArray(dst, dso + L);
        t02.intoArray(dst, dso + 2 * L);
        t10.intoArray(dst, dso + ldd);
        t11.intoArray(dst, dso + ldd + L);
        t12.intoArray(dst, dso + ldd + 2 * L);
        t20.intoArray(dst, dso + 2 * ldd);
        t21.intoArray(dst, dso + 2 * ldd + L);
        t22.intoArray(dst, dso + 2 * ldd + 2 * L);
        t30.intoArray(dst, dso + 3 * ldd);
        t31.intoArray(dst, dso + 3 * ldd + L);
        t32.intoArray(dst, dso + 3 * ldd + 2 * L);
        t40.intoArray(dst, dso + 4 * ldd);
        t41.intoArray(dst, dso + 4 * ldd + L);
        t42.intoArray(dst, dso + 4 * ldd + 2 * L);
        t50.intoArray(dst, dso + 5 * ldd);
        t51.intoArray(dst, dso + 5 * ldd + L);
        t52.intoArray(dst, dso + 5 * ldd + 2 * L);
        t60.intoArray(dst, dso + 6 * ldd);
        t61.intoArray(dst, dso + 6 * ldd + L);
        t62.intoArray(dst, dso + 6 * ldd + 2 * L);
        t70.intoArray(dst, dso + 7 * ldd);
        t71.intoArray(dst, dso + 7 * ldd + L);
        t72.intoArray(dst, dso + 7 * ldd + 2 * L);
    }
}
