package io.github.fastgn.internal.linalg;

/**
 * Plain-Java kernels: the fallback when the Vector API is not available, and the reference the
 * vector path is tested against.
 *
 * <p>With at least {@value ScalarPanels#NR} classes and {@value ScalarPanels#MIN} features (and
 * hardware FMA) the row and transpose products run on the packed panels shared with the vector
 * path ({@link Panels}, micro-kernel {@link ScalarPanels}). Below, they are plain axpy loops over small scratch rows indexed from
 * 0, which JDK 17's C2 auto-vectorises (see {@code ScalarRows.java.template}: the dot tiles
 * transpose a block of features, the transpose tiles copy a strip of examples; an earlier version
 * register-blocked scalar dot products and was 2-4x slower, because C2 vectorises neither a
 * reduction nor a loop over two offset arrays). The Cholesky
 * pieces are stride-1 loops. The dot and axpy tiles for double and float rows/features are
 * expanded at build time from one template ({@code src/main/templates/.../ScalarRows.java.template}
 * into the generated {@code ScalarRowsDouble} and {@code ScalarRowsFloat}; see
 * {@code lib/core/pom.xml}). Exponentials use {@link Exp#exp}, the same bits as the vector path.
 */
final class ScalarKernels extends Kernels {

    ScalarKernels() {
        super(new Panels(new ScalarPanels()));
    }

    @Override
    String name() {
        return "scalar";
    }

    /**
     * No: the plain loops are bound by their arithmetic, not by reading the features, and their
     * transpose tiles copy the rows they read anyway. Fused, the products of {@code 8192 x 784},
     * {@code K = 10} (float features, two threads, 75th percentile of 30 calls, 2026-12-06) took
     * 1.13 times as long as apart, on {@code 60000 x 784 x 10} 1.02 times.
     */
    @Override
    boolean fusedReadsPay() {
        return false;
    }

    /** Widest column tile of the transpose product: longer axpy loops amortise C2's pre- and post-loops. */
    static final int MAX_COLUMN_TILE = 256;
    /** Tiles the transpose product is cut into at least (work for two threads, balanced). */
    static final int MIN_TILES = 4;

    /**
     * Column tiles of equal width (a multiple of 8), at most {@link #MAX_COLUMN_TILE} wide and
     * enough of them for {@link #MIN_TILES} tiles: d = 784, K = 10 runs as 4 tiles of 200, 200,
     * 200, 184 columns (96-column tiles, 9 of them, left one thread idle for the last and were
     * measured slower here). The thread count is not used: with these tiles the transpose product
     * took 0.8-0.9 of the row product's time on {@code 60000 x 784}, {@code K = 10} (2026-12-06).
     */
    @Override
    int columnTile(int d, int kTiles, int threads) {
        int tiles = Math.max((d + MAX_COLUMN_TILE - 1) / MAX_COLUMN_TILE, (MIN_TILES + kTiles - 1) / kTiles);
        int width = (d + tiles - 1) / tiles;
        return (width + 7) & ~7;
    }

    // ------------------------------------------------------------------ dot and axpy tiles
    // (one template, src/main/templates/.../ScalarRows.java.template, expanded for double and float)

    @Override
    void dotTile(double[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        ScalarRowsDouble.dotTile(a, b, ldb, n, bias, out, ldo, r0, r1, c0, c1);
    }

    @Override
    void dotTile(float[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        ScalarRowsFloat.dotTile(a, b, ldb, n, bias, out, ldo, r0, r1, c0, c1);
    }

    @Override
    void axpyTile(double[] coef, double[] x, int r0, int r1, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1, boolean add) {
        ScalarRowsDouble.axpyTile(coef, x, r0, r1, d, k, out, ldo, c0, c1, j0, j1, add);
    }

    @Override
    void axpyTile(double[] coef, float[] x, int r0, int r1, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1, boolean add) {
        ScalarRowsFloat.axpyTile(coef, x, r0, r1, d, k, out, ldo, c0, c1, j0, j1, add);
    }

    // ------------------------------------------------------------------ Cholesky pieces

    @Override
    void trsmPanel(double[] a, int n, int kb, int nb, double[] p, int ldp, int i0, int i1) {
        int w = i1 - i0;
        for (int j = 0; j < nb; j++) {
            int pj = j * ldp + i0;
            int lj = (kb + j) * n + kb;
            for (int m = 0; m < j; m++) {
                double l = a[lj + m];
                int pm = m * ldp + i0;
                for (int t = 0; t < w; t++) {
                    p[pj + t] -= l * p[pm + t];
                }
            }
            double diag = a[lj + j];
            for (int t = 0; t < w; t++) {
                p[pj + t] /= diag;
            }
        }
    }

    @Override
    void syrkTile(double[] a, int n, double[] p, int ldp, int nb, int off, int r0, int r1, int l0, int l1) {
        for (int i = r0; i < r1; i++) {
            int end = Math.min(l1, i + 1);
            if (end <= l0) {
                continue;
            }
            int ai = i * n;
            int w = end - l0;
            for (int m = 0; m < nb; m++) {
                int pm = m * ldp - off;
                double f = p[pm + i];
                int pl = pm + l0;
                int al = ai + l0;
                for (int t = 0; t < w; t++) {
                    a[al + t] -= f * p[pl + t];
                }
            }
        }
    }

    @Override
    double expInPlace(double[] v, int from, int to, double shift) {
        return Exp.expInPlace(v, from, to, shift);
    }

    @Override
    int atLeast(double[] v, int k, double tau, int[] out) {
        int count = 0;
        for (int c = 0; c < k; c++) {
            if (v[c] >= tau) {
                out[count++] = c;
            }
        }
        return count;
    }

    /**
     * Each gathered row's {@link #dot} (the same four partial sums, added in the same order, so the
     * same bits), four gathered rows at a time sharing each load of {@code row}: 20 loads for 16
     * multiply-adds instead of 32. On {@code syn}'s shape (256 features, 16 of 1000 rows gathered,
     * 50,000 calls, one thread) 0.096-0.137 s against 0.157-0.260 s one row at a time; a remainder
     * of fewer than four rows one at a time.
     */
    @Override
    void gatherDots(double[] row, int n, double[] v, int ldv, int[] idx, int off, int m, double[] out) {
        int s = 0;
        for (; s + 3 < m; s += 4) {
            int o0 = idx[off + s] * ldv;
            int o1 = idx[off + s + 1] * ldv;
            int o2 = idx[off + s + 2] * ldv;
            int o3 = idx[off + s + 3] * ldv;
            double a0 = 0;
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            double b0 = 0;
            double b1 = 0;
            double b2 = 0;
            double b3 = 0;
            double c0 = 0;
            double c1 = 0;
            double c2 = 0;
            double c3 = 0;
            double d0 = 0;
            double d1 = 0;
            double d2 = 0;
            double d3 = 0;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                double r0 = row[j];
                double r1 = row[j + 1];
                double r2 = row[j + 2];
                double r3 = row[j + 3];
                a0 += r0 * v[o0 + j];
                a1 += r1 * v[o0 + j + 1];
                a2 += r2 * v[o0 + j + 2];
                a3 += r3 * v[o0 + j + 3];
                b0 += r0 * v[o1 + j];
                b1 += r1 * v[o1 + j + 1];
                b2 += r2 * v[o1 + j + 2];
                b3 += r3 * v[o1 + j + 3];
                c0 += r0 * v[o2 + j];
                c1 += r1 * v[o2 + j + 1];
                c2 += r2 * v[o2 + j + 2];
                c3 += r3 * v[o2 + j + 3];
                d0 += r0 * v[o3 + j];
                d1 += r1 * v[o3 + j + 1];
                d2 += r2 * v[o3 + j + 2];
                d3 += r3 * v[o3 + j + 3];
            }
            for (; j < n; j++) {
                double r = row[j];
                a0 += r * v[o0 + j];
                b0 += r * v[o1 + j];
                c0 += r * v[o2 + j];
                d0 += r * v[o3 + j];
            }
            out[s] = (a0 + a1) + (a2 + a3);
            out[s + 1] = (b0 + b1) + (b2 + b3);
            out[s + 2] = (c0 + c1) + (c2 + c3);
            out[s + 3] = (d0 + d1) + (d2 + d3);
        }
        for (; s < m; s++) {
            out[s] = dot(row, 0, v, idx[off + s] * ldv, n);
        }
    }

    @Override
    void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        if (xo == 0 && yo == 0) {
            axpyFromZero(alpha, x, y, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            y[yo + j] += alpha * x[xo + j];
        }
    }

    /** A zero-based double copy of a float row, per thread, for the float-row forms. */
    private static final ThreadLocal<double[]> WIDENED = ThreadLocal.withInitial(() -> new double[0]);

    /** {@code x[xo .. xo + n)} widened into this thread's zero-based row (valid until its next use). */
    private static double[] widened(float[] x, int xo, int n) {
        double[] row = WIDENED.get();
        if (row.length < n) {
            row = new double[n];
            WIDENED.set(row);
        }
        for (int j = 0; j < n; j++) {
            row[j] = x[xo + j];
        }
        return row;
    }

    @Override
    void gatherDots(float[] row, int ro, int n, double[] v, int ldv, int[] idx, int off, int m, double[] out) {
        gatherDots(widened(row, ro, n), n, v, ldv, idx, off, m, out);
    }

    @Override
    void axpy(double alpha, float[] x, int xo, double[] y, int yo, int n) {
        axpy(alpha, widened(x, xo, n), 0, y, yo, n);
    }

    @Override
    double dot(float[] a, int ao, double[] b, int bo, int n) {
        return dot(widened(a, ao, n), 0, b, bo, n);
    }

    /** The plain loops vectorise only over zero-based double rows: the float-row forms widen a copy. */
    @Override
    boolean floatRowsInPlace() {
        return false;
    }

    /**
     * {@code y[j] += alpha x[j]}: the same loop indexed from 0, which C2 runs on SIMD lanes (the one
     * above, at offsets into arrays that might alias, it runs one element at a time). The same
     * multiply and add per element, so the same bits. The top-competitor curvature passes its rows
     * this way: on {@code syn}'s {@code d = 256} this loop took 82-103 ns a call against 210-295 ns
     * at an offset (plain {@code java}, 2,000,000 calls into 1000 rows, 2026-12-07); a scalar
     * {@code syn} fit went from 58.8 and 64.8 s to 56.7 and 63.7 s (alternating, the same bits).
     */
    private static void axpyFromZero(double alpha, double[] x, double[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += alpha * x[j];
        }
    }

    /** Four partial sums ({@code j mod 4}) added in a fixed order. */
    @Override
    double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[ao + j] * b[bo + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    void csrRowSums(int[] ptr, int[] idx, double[] val, int r0, int r1, double[] vt, int k, double[] bias,
                    double[] out) {
        ScalarRowsDouble.csrRowSums(ptr, idx, val, r0, r1, vt, k, bias, out);
    }

    @Override
    void csrRowSums(int[] ptr, int[] idx, float[] val, int r0, int r1, double[] vt, int k, double[] bias,
                    double[] out) {
        ScalarRowsFloat.csrRowSums(ptr, idx, val, r0, r1, vt, k, bias, out);
    }

    @Override
    void csrScatter(double[] coef, int[] ptr, int[] slots, double[] val, int n, int k, int q, int parts, int shift,
                    double[] acc) {
        ScalarRowsDouble.csrScatter(coef, ptr, slots, val, n, k, q, parts, shift, acc);
    }

    @Override
    void csrScatter(double[] coef, int[] ptr, int[] slots, float[] val, int n, int k, int q, int parts, int shift,
                    double[] acc) {
        ScalarRowsFloat.csrScatter(coef, ptr, slots, val, n, k, q, parts, shift, acc);
    }
}
