package io.github.fastgn.linalg;

/**
 * Plain-Java kernels: the fallback when the Vector API is not available, and the reference the
 * vector path is tested against.
 *
 * <p>Row products are dot products register-blocked 2 rows x 2 parameter rows, each with two
 * partial sums (even and odd features), so every loaded value is used twice. Transpose products
 * keep 4 classes x 2 features of accumulators in registers over a chunk of examples, summing in
 * example order. (The stride-1 {@code y[o + j] += a * x[xo + j]} form was measured at 1.5-3
 * GFLOP/s: JDK 17's C2 does not vectorise it when both arrays carry an offset.) The Cholesky
 * pieces are stride-1 loops.
 */
final class ScalarKernels extends Kernels {

    /** Examples per pass of a transpose-product tile (the 2-column feature strip stays in L1). */
    private static final int ROW_CHUNK = 64;

    @Override
    String name() {
        return "scalar";
    }

    // ------------------------------------------------------------------ dot tiles

    @Override
    void dotTile(double[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        int n2 = n & ~1;
        int i = r0;
        for (; i + 1 < r1; i += 2) {
            int a0 = i * n;
            int a1 = a0 + n;
            int c = c0;
            for (; c + 1 < c1; c += 2) {
                int b0 = c * ldb;
                int b1 = b0 + ldb;
                double e00 = 0, o00 = 0, e01 = 0, o01 = 0, e10 = 0, o10 = 0, e11 = 0, o11 = 0;
                for (int j = 0; j < n2; j += 2) {
                    double x0 = a[a0 + j], y0 = a[a0 + j + 1];
                    double x1 = a[a1 + j], y1 = a[a1 + j + 1];
                    double v0 = b[b0 + j], w0 = b[b0 + j + 1];
                    double v1 = b[b1 + j], w1 = b[b1 + j + 1];
                    e00 += x0 * v0;
                    o00 += y0 * w0;
                    e01 += x0 * v1;
                    o01 += y0 * w1;
                    e10 += x1 * v0;
                    o10 += y1 * w0;
                    e11 += x1 * v1;
                    o11 += y1 * w1;
                }
                out[i * ldo + c] = finish(e00, o00, a, a0, b, b0, n, bias);
                out[i * ldo + c + 1] = finish(e01, o01, a, a0, b, b1, n, bias);
                out[(i + 1) * ldo + c] = finish(e10, o10, a, a1, b, b0, n, bias);
                out[(i + 1) * ldo + c + 1] = finish(e11, o11, a, a1, b, b1, n, bias);
            }
            for (; c < c1; c++) {
                out[i * ldo + c] = dot(a, a0, b, c * ldb, n, bias);
                out[(i + 1) * ldo + c] = dot(a, a1, b, c * ldb, n, bias);
            }
        }
        for (; i < r1; i++) {
            for (int c = c0; c < c1; c++) {
                out[i * ldo + c] = dot(a, i * n, b, c * ldb, n, bias);
            }
        }
    }

    private static double dot(double[] a, int ao, double[] b, int bo, int n, boolean bias) {
        double e = 0, o = 0;
        int n2 = n & ~1;
        for (int j = 0; j < n2; j += 2) {
            e += a[ao + j] * b[bo + j];
            o += a[ao + j + 1] * b[bo + j + 1];
        }
        return finish(e, o, a, ao, b, bo, n, bias);
    }

    private static double finish(double even, double odd, double[] a, int ao, double[] b, int bo, int n, boolean bias) {
        double s = even + odd;
        if ((n & 1) != 0) {
            s += a[ao + n - 1] * b[bo + n - 1];
        }
        return bias ? s + b[bo + n] : s;
    }

    @Override
    void dotTile(float[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        int n2 = n & ~1;
        int i = r0;
        for (; i + 1 < r1; i += 2) {
            int a0 = i * n;
            int a1 = a0 + n;
            int c = c0;
            for (; c + 1 < c1; c += 2) {
                int b0 = c * ldb;
                int b1 = b0 + ldb;
                double e00 = 0, o00 = 0, e01 = 0, o01 = 0, e10 = 0, o10 = 0, e11 = 0, o11 = 0;
                for (int j = 0; j < n2; j += 2) {
                    double x0 = a[a0 + j], y0 = a[a0 + j + 1];
                    double x1 = a[a1 + j], y1 = a[a1 + j + 1];
                    double v0 = b[b0 + j], w0 = b[b0 + j + 1];
                    double v1 = b[b1 + j], w1 = b[b1 + j + 1];
                    e00 += x0 * v0;
                    o00 += y0 * w0;
                    e01 += x0 * v1;
                    o01 += y0 * w1;
                    e10 += x1 * v0;
                    o10 += y1 * w0;
                    e11 += x1 * v1;
                    o11 += y1 * w1;
                }
                out[i * ldo + c] = finish(e00, o00, a, a0, b, b0, n, bias);
                out[i * ldo + c + 1] = finish(e01, o01, a, a0, b, b1, n, bias);
                out[(i + 1) * ldo + c] = finish(e10, o10, a, a1, b, b0, n, bias);
                out[(i + 1) * ldo + c + 1] = finish(e11, o11, a, a1, b, b1, n, bias);
            }
            for (; c < c1; c++) {
                out[i * ldo + c] = dot(a, a0, b, c * ldb, n, bias);
                out[(i + 1) * ldo + c] = dot(a, a1, b, c * ldb, n, bias);
            }
        }
        for (; i < r1; i++) {
            for (int c = c0; c < c1; c++) {
                out[i * ldo + c] = dot(a, i * n, b, c * ldb, n, bias);
            }
        }
    }

    private static double dot(float[] a, int ao, double[] b, int bo, int n, boolean bias) {
        double e = 0, o = 0;
        int n2 = n & ~1;
        for (int j = 0; j < n2; j += 2) {
            e += a[ao + j] * b[bo + j];
            o += a[ao + j + 1] * b[bo + j + 1];
        }
        return finish(e, o, a, ao, b, bo, n, bias);
    }

    private static double finish(double even, double odd, float[] a, int ao, double[] b, int bo, int n, boolean bias) {
        double s = even + odd;
        if ((n & 1) != 0) {
            s += a[ao + n - 1] * b[bo + n - 1];
        }
        return bias ? s + b[bo + n] : s;
    }

    // ------------------------------------------------------------------ axpy tiles

    @Override
    void axpyTile(double[] coef, double[] x, int rows, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1) {
        for (int c = c0; c < c1; c++) {
            java.util.Arrays.fill(out, c * ldo + j0, c * ldo + j1, 0.0);
        }
        for (int i0 = 0; i0 < rows; i0 += ROW_CHUNK) {
            int i1 = Math.min(rows, i0 + ROW_CHUNK);
            for (int j = j0; j < j1; j += 2) {
                boolean pair = j + 1 < j1;
                int c = c0;
                for (; c + 3 < c1; c += 4) {
                    int o = c * ldo + j;
                    double a0 = out[o], a1 = out[o + ldo], a2 = out[o + 2 * ldo], a3 = out[o + 3 * ldo];
                    double b0 = 0, b1 = 0, b2 = 0, b3 = 0;
                    if (pair) {
                        b0 = out[o + 1];
                        b1 = out[o + ldo + 1];
                        b2 = out[o + 2 * ldo + 1];
                        b3 = out[o + 3 * ldo + 1];
                    }
                    for (int i = i0; i < i1; i++) {
                        int co = i * k + c;
                        int xo = i * d + j;
                        double f0 = coef[co], f1 = coef[co + 1], f2 = coef[co + 2], f3 = coef[co + 3];
                        double x0 = x[xo];
                        double x1 = pair ? x[xo + 1] : 0.0;
                        a0 += f0 * x0;
                        a1 += f1 * x0;
                        a2 += f2 * x0;
                        a3 += f3 * x0;
                        b0 += f0 * x1;
                        b1 += f1 * x1;
                        b2 += f2 * x1;
                        b3 += f3 * x1;
                    }
                    out[o] = a0;
                    out[o + ldo] = a1;
                    out[o + 2 * ldo] = a2;
                    out[o + 3 * ldo] = a3;
                    if (pair) {
                        out[o + 1] = b0;
                        out[o + ldo + 1] = b1;
                        out[o + 2 * ldo + 1] = b2;
                        out[o + 3 * ldo + 1] = b3;
                    }
                }
                for (; c < c1; c++) {
                    int o = c * ldo + j;
                    double a0 = out[o];
                    double b0 = pair ? out[o + 1] : 0.0;
                    for (int i = i0; i < i1; i++) {
                        double f = coef[i * k + c];
                        int xo = i * d + j;
                        a0 += f * x[xo];
                        b0 += f * (pair ? x[xo + 1] : 0.0);
                    }
                    out[o] = a0;
                    if (pair) {
                        out[o + 1] = b0;
                    }
                }
            }
        }
    }

    @Override
    void axpyTile(double[] coef, float[] x, int rows, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1) {
        for (int c = c0; c < c1; c++) {
            java.util.Arrays.fill(out, c * ldo + j0, c * ldo + j1, 0.0);
        }
        for (int i0 = 0; i0 < rows; i0 += ROW_CHUNK) {
            int i1 = Math.min(rows, i0 + ROW_CHUNK);
            for (int j = j0; j < j1; j += 2) {
                boolean pair = j + 1 < j1;
                int c = c0;
                for (; c + 3 < c1; c += 4) {
                    int o = c * ldo + j;
                    double a0 = out[o], a1 = out[o + ldo], a2 = out[o + 2 * ldo], a3 = out[o + 3 * ldo];
                    double b0 = 0, b1 = 0, b2 = 0, b3 = 0;
                    if (pair) {
                        b0 = out[o + 1];
                        b1 = out[o + ldo + 1];
                        b2 = out[o + 2 * ldo + 1];
                        b3 = out[o + 3 * ldo + 1];
                    }
                    for (int i = i0; i < i1; i++) {
                        int co = i * k + c;
                        int xo = i * d + j;
                        double f0 = coef[co], f1 = coef[co + 1], f2 = coef[co + 2], f3 = coef[co + 3];
                        double x0 = x[xo];
                        double x1 = pair ? x[xo + 1] : 0.0;
                        a0 += f0 * x0;
                        a1 += f1 * x0;
                        a2 += f2 * x0;
                        a3 += f3 * x0;
                        b0 += f0 * x1;
                        b1 += f1 * x1;
                        b2 += f2 * x1;
                        b3 += f3 * x1;
                    }
                    out[o] = a0;
                    out[o + ldo] = a1;
                    out[o + 2 * ldo] = a2;
                    out[o + 3 * ldo] = a3;
                    if (pair) {
                        out[o + 1] = b0;
                        out[o + ldo + 1] = b1;
                        out[o + 2 * ldo + 1] = b2;
                        out[o + 3 * ldo + 1] = b3;
                    }
                }
                for (; c < c1; c++) {
                    int o = c * ldo + j;
                    double a0 = out[o];
                    double b0 = pair ? out[o + 1] : 0.0;
                    for (int i = i0; i < i1; i++) {
                        double f = coef[i * k + c];
                        int xo = i * d + j;
                        a0 += f * x[xo];
                        b0 += f * (pair ? x[xo + 1] : 0.0);
                    }
                    out[o] = a0;
                    if (pair) {
                        out[o + 1] = b0;
                    }
                }
            }
        }
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
        double sum = 0;
        for (int i = from; i < to; i++) {
            double e = Math.exp(v[i] - shift);
            v[i] = e;
            sum += e;
        }
        return sum;
    }
}
