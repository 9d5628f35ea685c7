package io.github.fastgn.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Kernels on the incubating Vector API ({@code jdk.incubator.vector}, Java 16+), register-blocked
 * for the preferred species (512 bits, 8 doubles, on AVX-512 hardware).
 *
 * <p>This class is only loaded, reflectively, by {@link KernelProvider} after it has checked that
 * the module is in the boot layer; nothing else may refer to it, so the library loads on a JVM
 * started without {@code --add-modules jdk.incubator.vector}.
 *
 * <ul>
 *   <li>Dot tiles (row product, Gram): 4 feature rows x 3 parameter rows = 12 vector
 *       accumulators over the features, lanes added in lane order at the end (the JIT's
 *       {@code reduceLanes(ADD)} on x86 and the Java fallback both add lane 0, 1, .. in turn).</li>
 *   <li>Axpy tiles (transpose product): 8, 5 or 4 classes x 3 vectors of features (24, 15 or 12
 *       accumulators; K = 10 runs as 5 + 5, K = 1000 as 125 x 8) held in registers over a chunk
 *       of examples, one broadcast per coefficient; each lane sums over examples in order,
 *       exactly as {@code Math.fma} would. (A 4 x 5 dot block and packing the feature strip were
 *       tried and measured slower.)</li>
 *   <li>Cholesky trailing update: 4 rows x 3 vectors from the transposed panel, the same way.</li>
 * </ul>
 * Float features are loaded as half-width float vectors and widened to double ({@code F2D}), so
 * all products and sums are in double.
 */
final class VectorKernels extends Kernels {

    private static final VectorSpecies<Double> S = species();
    private static final int L = S.length();
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    /** Examples per pass of an axpy tile: the feature strip (chunk x 3 vectors) stays in L1. */
    private static final int ROW_CHUNK = 128;

    /** The preferred species, or a narrower one if {@code -Dfastgn.vector.bits} asks for it (tuning). */
    private static VectorSpecies<Double> species() {
        int bits = Integer.getInteger("fastgn.vector.bits", 0);
        if (bits >= 128 && bits < DoubleVector.SPECIES_PREFERRED.vectorBitSize()) {
            return VectorSpecies.of(double.class, VectorShape.forBitSize(bits));
        }
        return DoubleVector.SPECIES_PREFERRED;
    }

    VectorKernels() {
        if (F.length() != L) {
            throw new IllegalStateException("no float species with " + L + " lanes");
        }
    }

    /** Bits of the preferred vector shape. */
    static int vectorBitSize() {
        return S.vectorBitSize();
    }

    @Override
    String name() {
        return "vector" + S.vectorBitSize();
    }

    private static DoubleVector load(float[] a, int off) {
        return (DoubleVector) FloatVector.fromArray(F, a, off).convertShape(VectorOperators.F2D, S, 0);
    }

    // ------------------------------------------------------------------ dot tiles (double rows)

    @Override
    void dotTile(double[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            int c = c0;
            for (; c + 2 < c1; c += 3) {
                dot43(a, i * n, b, c * ldb, ldb, n, bias, out, i * ldo + c, ldo);
            }
            for (; c < c1; c++) {
                dot41(a, i * n, b, c * ldb, n, bias, out, i * ldo + c, ldo);
            }
        }
        for (; i < r1; i++) {
            for (int c = c0; c < c1; c++) {
                out[i * ldo + c] = dot11(a, i * n, b, c * ldb, n, bias);
            }
        }
    }

    private static void dot43(double[] a, int ao, double[] b, int bo, int ldb, int n, boolean bias,
                              double[] out, int oo, int ldo) {
        int nv = S.loopBound(n);
        int a1 = ao + n, a2 = a1 + n, a3 = a2 + n;
        int b1 = bo + ldb, b2 = b1 + ldb;
        DoubleVector s00 = DoubleVector.zero(S), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
        DoubleVector s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
        for (int j = 0; j < nv; j += L) {
            DoubleVector w0 = DoubleVector.fromArray(S, b, bo + j);
            DoubleVector w1 = DoubleVector.fromArray(S, b, b1 + j);
            DoubleVector w2 = DoubleVector.fromArray(S, b, b2 + j);
            DoubleVector x = DoubleVector.fromArray(S, a, ao + j);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            s02 = x.fma(w2, s02);
            x = DoubleVector.fromArray(S, a, a1 + j);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            s12 = x.fma(w2, s12);
            x = DoubleVector.fromArray(S, a, a2 + j);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            s22 = x.fma(w2, s22);
            x = DoubleVector.fromArray(S, a, a3 + j);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
            s32 = x.fma(w2, s32);
        }
        out[oo] = finish(s00, a, ao, b, bo, nv, n, bias);
        out[oo + 1] = finish(s01, a, ao, b, b1, nv, n, bias);
        out[oo + 2] = finish(s02, a, ao, b, b2, nv, n, bias);
        oo += ldo;
        out[oo] = finish(s10, a, a1, b, bo, nv, n, bias);
        out[oo + 1] = finish(s11, a, a1, b, b1, nv, n, bias);
        out[oo + 2] = finish(s12, a, a1, b, b2, nv, n, bias);
        oo += ldo;
        out[oo] = finish(s20, a, a2, b, bo, nv, n, bias);
        out[oo + 1] = finish(s21, a, a2, b, b1, nv, n, bias);
        out[oo + 2] = finish(s22, a, a2, b, b2, nv, n, bias);
        oo += ldo;
        out[oo] = finish(s30, a, a3, b, bo, nv, n, bias);
        out[oo + 1] = finish(s31, a, a3, b, b1, nv, n, bias);
        out[oo + 2] = finish(s32, a, a3, b, b2, nv, n, bias);
    }

    private static void dot41(double[] a, int ao, double[] b, int bo, int n, boolean bias,
                              double[] out, int oo, int ldo) {
        int nv = S.loopBound(n);
        int a1 = ao + n, a2 = a1 + n, a3 = a2 + n;
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j < nv; j += L) {
            DoubleVector w = DoubleVector.fromArray(S, b, bo + j);
            s0 = DoubleVector.fromArray(S, a, ao + j).fma(w, s0);
            s1 = DoubleVector.fromArray(S, a, a1 + j).fma(w, s1);
            s2 = DoubleVector.fromArray(S, a, a2 + j).fma(w, s2);
            s3 = DoubleVector.fromArray(S, a, a3 + j).fma(w, s3);
        }
        out[oo] = finish(s0, a, ao, b, bo, nv, n, bias);
        out[oo + ldo] = finish(s1, a, a1, b, bo, nv, n, bias);
        out[oo + 2 * ldo] = finish(s2, a, a2, b, bo, nv, n, bias);
        out[oo + 3 * ldo] = finish(s3, a, a3, b, bo, nv, n, bias);
    }

    private static double dot11(double[] a, int ao, double[] b, int bo, int n, boolean bias) {
        int nv = S.loopBound(n);
        DoubleVector s = DoubleVector.zero(S);
        for (int j = 0; j < nv; j += L) {
            s = DoubleVector.fromArray(S, a, ao + j).fma(DoubleVector.fromArray(S, b, bo + j), s);
        }
        return finish(s, a, ao, b, bo, nv, n, bias);
    }

    private static double finish(DoubleVector acc, double[] a, int ao, double[] b, int bo, int nv, int n, boolean bias) {
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (int j = nv; j < n; j++) {
            s = Math.fma(a[ao + j], b[bo + j], s);
        }
        return bias ? s + b[bo + n] : s;
    }

    // ------------------------------------------------------------------ dot tiles (float rows)

    @Override
    void dotTile(float[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            int c = c0;
            for (; c + 2 < c1; c += 3) {
                dot43(a, i * n, b, c * ldb, ldb, n, bias, out, i * ldo + c, ldo);
            }
            for (; c < c1; c++) {
                dot41(a, i * n, b, c * ldb, n, bias, out, i * ldo + c, ldo);
            }
        }
        for (; i < r1; i++) {
            for (int c = c0; c < c1; c++) {
                out[i * ldo + c] = dot11(a, i * n, b, c * ldb, n, bias);
            }
        }
    }

    private static void dot43(float[] a, int ao, double[] b, int bo, int ldb, int n, boolean bias,
                              double[] out, int oo, int ldo) {
        int nv = S.loopBound(n);
        int a1 = ao + n, a2 = a1 + n, a3 = a2 + n;
        int b1 = bo + ldb, b2 = b1 + ldb;
        DoubleVector s00 = DoubleVector.zero(S), s01 = s00, s02 = s00, s10 = s00, s11 = s00, s12 = s00;
        DoubleVector s20 = s00, s21 = s00, s22 = s00, s30 = s00, s31 = s00, s32 = s00;
        for (int j = 0; j < nv; j += L) {
            DoubleVector w0 = DoubleVector.fromArray(S, b, bo + j);
            DoubleVector w1 = DoubleVector.fromArray(S, b, b1 + j);
            DoubleVector w2 = DoubleVector.fromArray(S, b, b2 + j);
            DoubleVector x = load(a, ao + j);
            s00 = x.fma(w0, s00);
            s01 = x.fma(w1, s01);
            s02 = x.fma(w2, s02);
            x = load(a, a1 + j);
            s10 = x.fma(w0, s10);
            s11 = x.fma(w1, s11);
            s12 = x.fma(w2, s12);
            x = load(a, a2 + j);
            s20 = x.fma(w0, s20);
            s21 = x.fma(w1, s21);
            s22 = x.fma(w2, s22);
            x = load(a, a3 + j);
            s30 = x.fma(w0, s30);
            s31 = x.fma(w1, s31);
            s32 = x.fma(w2, s32);
        }
        out[oo] = finish(s00, a, ao, b, bo, nv, n, bias);
        out[oo + 1] = finish(s01, a, ao, b, b1, nv, n, bias);
        out[oo + 2] = finish(s02, a, ao, b, b2, nv, n, bias);
        oo += ldo;
        out[oo] = finish(s10, a, a1, b, bo, nv, n, bias);
        out[oo + 1] = finish(s11, a, a1, b, b1, nv, n, bias);
        out[oo + 2] = finish(s12, a, a1, b, b2, nv, n, bias);
        oo += ldo;
        out[oo] = finish(s20, a, a2, b, bo, nv, n, bias);
        out[oo + 1] = finish(s21, a, a2, b, b1, nv, n, bias);
        out[oo + 2] = finish(s22, a, a2, b, b2, nv, n, bias);
        oo += ldo;
        out[oo] = finish(s30, a, a3, b, bo, nv, n, bias);
        out[oo + 1] = finish(s31, a, a3, b, b1, nv, n, bias);
        out[oo + 2] = finish(s32, a, a3, b, b2, nv, n, bias);
    }

    private static void dot41(float[] a, int ao, double[] b, int bo, int n, boolean bias,
                              double[] out, int oo, int ldo) {
        int nv = S.loopBound(n);
        int a1 = ao + n, a2 = a1 + n, a3 = a2 + n;
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        for (int j = 0; j < nv; j += L) {
            DoubleVector w = DoubleVector.fromArray(S, b, bo + j);
            s0 = load(a, ao + j).fma(w, s0);
            s1 = load(a, a1 + j).fma(w, s1);
            s2 = load(a, a2 + j).fma(w, s2);
            s3 = load(a, a3 + j).fma(w, s3);
        }
        out[oo] = finish(s0, a, ao, b, bo, nv, n, bias);
        out[oo + ldo] = finish(s1, a, a1, b, bo, nv, n, bias);
        out[oo + 2 * ldo] = finish(s2, a, a2, b, bo, nv, n, bias);
        out[oo + 3 * ldo] = finish(s3, a, a3, b, bo, nv, n, bias);
    }

    private static double dot11(float[] a, int ao, double[] b, int bo, int n, boolean bias) {
        int nv = S.loopBound(n);
        DoubleVector s = DoubleVector.zero(S);
        for (int j = 0; j < nv; j += L) {
            s = load(a, ao + j).fma(DoubleVector.fromArray(S, b, bo + j), s);
        }
        return finish(s, a, ao, b, bo, nv, n, bias);
    }

    private static double finish(DoubleVector acc, float[] a, int ao, double[] b, int bo, int nv, int n, boolean bias) {
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (int j = nv; j < n; j++) {
            s = Math.fma(a[ao + j], b[bo + j], s);
        }
        return bias ? s + b[bo + n] : s;
    }

    // ------------------------------------------------------------------ axpy tiles (double features)

    @Override
    void axpyTile(double[] coef, double[] x, int rows, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1) {
        for (int c = c0; c < c1; c++) {
            java.util.Arrays.fill(out, c * ldo + j0, c * ldo + j1, 0.0);
        }
        int w3 = 3 * L;
        for (int i0 = 0; i0 < rows; i0 += ROW_CHUNK) {
            int i1 = Math.min(rows, i0 + ROW_CHUNK);
            int j = j0;
            for (; j + w3 <= j1; j += w3) {
                int c = c0;
                for (; c1 - c >= 8 && c1 - c != 10; c += 8) {
                    axpy83(coef, k, c, x, d, j, i0, i1, out, c * ldo + j, ldo);
                }
                for (; c + 4 < c1; c += 5) {
                    axpy53(coef, k, c, x, d, j, i0, i1, out, c * ldo + j, ldo);
                }
                for (; c + 3 < c1; c += 4) {
                    axpy43(coef, k, c, x, d, j, i0, i1, out, c * ldo + j, ldo);
                }
                for (; c < c1; c++) {
                    axpy13(coef, k, c, x, d, j, i0, i1, out, c * ldo + j);
                }
            }
            for (; j + L <= j1; j += L) {
                for (int c = c0; c < c1; c++) {
                    axpy11(coef, k, c, x, d, j, i0, i1, out, c * ldo + j);
                }
            }
            for (; j < j1; j++) {
                for (int c = c0; c < c1; c++) {
                    int o = c * ldo + j;
                    double s = out[o];
                    for (int i = i0; i < i1; i++) {
                        s = Math.fma(coef[i * k + c], x[i * d + j], s);
                    }
                    out[o] = s;
                }
            }
        }
    }

    private static void axpy43(double[] coef, int k, int c, double[] x, int d, int j, int i0, int i1,
                               double[] out, int o0, int ldo) {
        int o1 = o0 + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
        DoubleVector s00 = DoubleVector.fromArray(S, out, o0), s01 = DoubleVector.fromArray(S, out, o0 + L),
                s02 = DoubleVector.fromArray(S, out, o0 + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, out, o1), s11 = DoubleVector.fromArray(S, out, o1 + L),
                s12 = DoubleVector.fromArray(S, out, o1 + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, out, o2), s21 = DoubleVector.fromArray(S, out, o2 + L),
                s22 = DoubleVector.fromArray(S, out, o2 + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, out, o3), s31 = DoubleVector.fromArray(S, out, o3 + L),
                s32 = DoubleVector.fromArray(S, out, o3 + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            int co = i * k + c;
            DoubleVector x0 = DoubleVector.fromArray(S, x, xo);
            DoubleVector x1 = DoubleVector.fromArray(S, x, xo + L);
            DoubleVector x2 = DoubleVector.fromArray(S, x, xo + 2 * L);
            DoubleVector f = DoubleVector.broadcast(S, coef[co]);
            s00 = f.fma(x0, s00);
            s01 = f.fma(x1, s01);
            s02 = f.fma(x2, s02);
            f = DoubleVector.broadcast(S, coef[co + 1]);
            s10 = f.fma(x0, s10);
            s11 = f.fma(x1, s11);
            s12 = f.fma(x2, s12);
            f = DoubleVector.broadcast(S, coef[co + 2]);
            s20 = f.fma(x0, s20);
            s21 = f.fma(x1, s21);
            s22 = f.fma(x2, s22);
            f = DoubleVector.broadcast(S, coef[co + 3]);
            s30 = f.fma(x0, s30);
            s31 = f.fma(x1, s31);
            s32 = f.fma(x2, s32);
        }
        s00.intoArray(out, o0);
        s01.intoArray(out, o0 + L);
        s02.intoArray(out, o0 + 2 * L);
        s10.intoArray(out, o1);
        s11.intoArray(out, o1 + L);
        s12.intoArray(out, o1 + 2 * L);
        s20.intoArray(out, o2);
        s21.intoArray(out, o2 + L);
        s22.intoArray(out, o2 + 2 * L);
        s30.intoArray(out, o3);
        s31.intoArray(out, o3 + L);
        s32.intoArray(out, o3 + 2 * L);
    }

    private static void axpy13(double[] coef, int k, int c, double[] x, int d, int j, int i0, int i1,
                               double[] out, int o) {
        DoubleVector s0 = DoubleVector.fromArray(S, out, o), s1 = DoubleVector.fromArray(S, out, o + L),
                s2 = DoubleVector.fromArray(S, out, o + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            DoubleVector f = DoubleVector.broadcast(S, coef[i * k + c]);
            s0 = f.fma(DoubleVector.fromArray(S, x, xo), s0);
            s1 = f.fma(DoubleVector.fromArray(S, x, xo + L), s1);
            s2 = f.fma(DoubleVector.fromArray(S, x, xo + 2 * L), s2);
        }
        s0.intoArray(out, o);
        s1.intoArray(out, o + L);
        s2.intoArray(out, o + 2 * L);
    }

    private static void axpy11(double[] coef, int k, int c, double[] x, int d, int j, int i0, int i1,
                               double[] out, int o) {
        DoubleVector s = DoubleVector.fromArray(S, out, o);
        for (int i = i0; i < i1; i++) {
            s = DoubleVector.broadcast(S, coef[i * k + c]).fma(DoubleVector.fromArray(S, x, i * d + j), s);
        }
        s.intoArray(out, o);
    }

    // ------------------------------------------------------------------ axpy tiles (float features)

    @Override
    void axpyTile(double[] coef, float[] x, int rows, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1) {
        for (int c = c0; c < c1; c++) {
            java.util.Arrays.fill(out, c * ldo + j0, c * ldo + j1, 0.0);
        }
        int w3 = 3 * L;
        for (int i0 = 0; i0 < rows; i0 += ROW_CHUNK) {
            int i1 = Math.min(rows, i0 + ROW_CHUNK);
            int j = j0;
            for (; j + w3 <= j1; j += w3) {
                int c = c0;
                for (; c1 - c >= 8 && c1 - c != 10; c += 8) {
                    axpy83(coef, k, c, x, d, j, i0, i1, out, c * ldo + j, ldo);
                }
                for (; c + 4 < c1; c += 5) {
                    axpy53(coef, k, c, x, d, j, i0, i1, out, c * ldo + j, ldo);
                }
                for (; c + 3 < c1; c += 4) {
                    axpy43(coef, k, c, x, d, j, i0, i1, out, c * ldo + j, ldo);
                }
                for (; c < c1; c++) {
                    axpy13(coef, k, c, x, d, j, i0, i1, out, c * ldo + j);
                }
            }
            for (; j + L <= j1; j += L) {
                for (int c = c0; c < c1; c++) {
                    axpy11(coef, k, c, x, d, j, i0, i1, out, c * ldo + j);
                }
            }
            for (; j < j1; j++) {
                for (int c = c0; c < c1; c++) {
                    int o = c * ldo + j;
                    double s = out[o];
                    for (int i = i0; i < i1; i++) {
                        s = Math.fma(coef[i * k + c], x[i * d + j], s);
                    }
                    out[o] = s;
                }
            }
        }
    }

    private static void axpy43(double[] coef, int k, int c, float[] x, int d, int j, int i0, int i1,
                               double[] out, int o0, int ldo) {
        int o1 = o0 + ldo, o2 = o1 + ldo, o3 = o2 + ldo;
        DoubleVector s00 = DoubleVector.fromArray(S, out, o0), s01 = DoubleVector.fromArray(S, out, o0 + L),
                s02 = DoubleVector.fromArray(S, out, o0 + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, out, o1), s11 = DoubleVector.fromArray(S, out, o1 + L),
                s12 = DoubleVector.fromArray(S, out, o1 + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, out, o2), s21 = DoubleVector.fromArray(S, out, o2 + L),
                s22 = DoubleVector.fromArray(S, out, o2 + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, out, o3), s31 = DoubleVector.fromArray(S, out, o3 + L),
                s32 = DoubleVector.fromArray(S, out, o3 + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            int co = i * k + c;
            DoubleVector x0 = load(x, xo);
            DoubleVector x1 = load(x, xo + L);
            DoubleVector x2 = load(x, xo + 2 * L);
            DoubleVector f = DoubleVector.broadcast(S, coef[co]);
            s00 = f.fma(x0, s00);
            s01 = f.fma(x1, s01);
            s02 = f.fma(x2, s02);
            f = DoubleVector.broadcast(S, coef[co + 1]);
            s10 = f.fma(x0, s10);
            s11 = f.fma(x1, s11);
            s12 = f.fma(x2, s12);
            f = DoubleVector.broadcast(S, coef[co + 2]);
            s20 = f.fma(x0, s20);
            s21 = f.fma(x1, s21);
            s22 = f.fma(x2, s22);
            f = DoubleVector.broadcast(S, coef[co + 3]);
            s30 = f.fma(x0, s30);
            s31 = f.fma(x1, s31);
            s32 = f.fma(x2, s32);
        }
        s00.intoArray(out, o0);
        s01.intoArray(out, o0 + L);
        s02.intoArray(out, o0 + 2 * L);
        s10.intoArray(out, o1);
        s11.intoArray(out, o1 + L);
        s12.intoArray(out, o1 + 2 * L);
        s20.intoArray(out, o2);
        s21.intoArray(out, o2 + L);
        s22.intoArray(out, o2 + 2 * L);
        s30.intoArray(out, o3);
        s31.intoArray(out, o3 + L);
        s32.intoArray(out, o3 + 2 * L);
    }

    private static void axpy13(double[] coef, int k, int c, float[] x, int d, int j, int i0, int i1,
                               double[] out, int o) {
        DoubleVector s0 = DoubleVector.fromArray(S, out, o), s1 = DoubleVector.fromArray(S, out, o + L),
                s2 = DoubleVector.fromArray(S, out, o + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            DoubleVector f = DoubleVector.broadcast(S, coef[i * k + c]);
            s0 = f.fma(load(x, xo), s0);
            s1 = f.fma(load(x, xo + L), s1);
            s2 = f.fma(load(x, xo + 2 * L), s2);
        }
        s0.intoArray(out, o);
        s1.intoArray(out, o + L);
        s2.intoArray(out, o + 2 * L);
    }

    private static void axpy11(double[] coef, int k, int c, float[] x, int d, int j, int i0, int i1,
                               double[] out, int o) {
        DoubleVector s = DoubleVector.fromArray(S, out, o);
        for (int i = i0; i < i1; i++) {
            s = DoubleVector.broadcast(S, coef[i * k + c]).fma(load(x, i * d + j), s);
        }
        s.intoArray(out, o);
    }

    private static DoubleVector loadD(double[] a, int off) {
        return DoubleVector.fromArray(S, a, off);
    }

    private static void axpy83(double[] coef, int k, int c, double[] x, int d, int j, int i0, int i1,
                               double[] out, int o0, int ldo) {
        int o0x = o0;
        int o1x = o0 + 1 * ldo;
        int o2x = o0 + 2 * ldo;
        int o3x = o0 + 3 * ldo;
        int o4x = o0 + 4 * ldo;
        int o5x = o0 + 5 * ldo;
        int o6x = o0 + 6 * ldo;
        int o7x = o0 + 7 * ldo;
        DoubleVector s00 = DoubleVector.fromArray(S, out, o0x), s01 = DoubleVector.fromArray(S, out, o0x + L), s02 = DoubleVector.fromArray(S, out, o0x + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, out, o1x), s11 = DoubleVector.fromArray(S, out, o1x + L), s12 = DoubleVector.fromArray(S, out, o1x + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, out, o2x), s21 = DoubleVector.fromArray(S, out, o2x + L), s22 = DoubleVector.fromArray(S, out, o2x + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, out, o3x), s31 = DoubleVector.fromArray(S, out, o3x + L), s32 = DoubleVector.fromArray(S, out, o3x + 2 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, out, o4x), s41 = DoubleVector.fromArray(S, out, o4x + L), s42 = DoubleVector.fromArray(S, out, o4x + 2 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, out, o5x), s51 = DoubleVector.fromArray(S, out, o5x + L), s52 = DoubleVector.fromArray(S, out, o5x + 2 * L);
        DoubleVector s60 = DoubleVector.fromArray(S, out, o6x), s61 = DoubleVector.fromArray(S, out, o6x + L), s62 = DoubleVector.fromArray(S, out, o6x + 2 * L);
        DoubleVector s70 = DoubleVector.fromArray(S, out, o7x), s71 = DoubleVector.fromArray(S, out, o7x + L), s72 = DoubleVector.fromArray(S, out, o7x + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            int co = i * k + c;
            DoubleVector x0 = loadD(x, xo);
            DoubleVector x1 = loadD(x, xo + L);
            DoubleVector x2 = loadD(x, xo + 2 * L);
            DoubleVector f;
            f = DoubleVector.broadcast(S, coef[co + 0]);
            s00 = f.fma(x0, s00);
            s01 = f.fma(x1, s01);
            s02 = f.fma(x2, s02);
            f = DoubleVector.broadcast(S, coef[co + 1]);
            s10 = f.fma(x0, s10);
            s11 = f.fma(x1, s11);
            s12 = f.fma(x2, s12);
            f = DoubleVector.broadcast(S, coef[co + 2]);
            s20 = f.fma(x0, s20);
            s21 = f.fma(x1, s21);
            s22 = f.fma(x2, s22);
            f = DoubleVector.broadcast(S, coef[co + 3]);
            s30 = f.fma(x0, s30);
            s31 = f.fma(x1, s31);
            s32 = f.fma(x2, s32);
            f = DoubleVector.broadcast(S, coef[co + 4]);
            s40 = f.fma(x0, s40);
            s41 = f.fma(x1, s41);
            s42 = f.fma(x2, s42);
            f = DoubleVector.broadcast(S, coef[co + 5]);
            s50 = f.fma(x0, s50);
            s51 = f.fma(x1, s51);
            s52 = f.fma(x2, s52);
            f = DoubleVector.broadcast(S, coef[co + 6]);
            s60 = f.fma(x0, s60);
            s61 = f.fma(x1, s61);
            s62 = f.fma(x2, s62);
            f = DoubleVector.broadcast(S, coef[co + 7]);
            s70 = f.fma(x0, s70);
            s71 = f.fma(x1, s71);
            s72 = f.fma(x2, s72);
        }
        s00.intoArray(out, o0x);
        s01.intoArray(out, o0x + 1 * L);
        s02.intoArray(out, o0x + 2 * L);
        s10.intoArray(out, o1x);
        s11.intoArray(out, o1x + 1 * L);
        s12.intoArray(out, o1x + 2 * L);
        s20.intoArray(out, o2x);
        s21.intoArray(out, o2x + 1 * L);
        s22.intoArray(out, o2x + 2 * L);
        s30.intoArray(out, o3x);
        s31.intoArray(out, o3x + 1 * L);
        s32.intoArray(out, o3x + 2 * L);
        s40.intoArray(out, o4x);
        s41.intoArray(out, o4x + 1 * L);
        s42.intoArray(out, o4x + 2 * L);
        s50.intoArray(out, o5x);
        s51.intoArray(out, o5x + 1 * L);
        s52.intoArray(out, o5x + 2 * L);
        s60.intoArray(out, o6x);
        s61.intoArray(out, o6x + 1 * L);
        s62.intoArray(out, o6x + 2 * L);
        s70.intoArray(out, o7x);
        s71.intoArray(out, o7x + 1 * L);
        s72.intoArray(out, o7x + 2 * L);
    }

    private static void axpy83(double[] coef, int k, int c, float[] x, int d, int j, int i0, int i1,
                               double[] out, int o0, int ldo) {
        int o0x = o0;
        int o1x = o0 + 1 * ldo;
        int o2x = o0 + 2 * ldo;
        int o3x = o0 + 3 * ldo;
        int o4x = o0 + 4 * ldo;
        int o5x = o0 + 5 * ldo;
        int o6x = o0 + 6 * ldo;
        int o7x = o0 + 7 * ldo;
        DoubleVector s00 = DoubleVector.fromArray(S, out, o0x), s01 = DoubleVector.fromArray(S, out, o0x + L), s02 = DoubleVector.fromArray(S, out, o0x + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, out, o1x), s11 = DoubleVector.fromArray(S, out, o1x + L), s12 = DoubleVector.fromArray(S, out, o1x + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, out, o2x), s21 = DoubleVector.fromArray(S, out, o2x + L), s22 = DoubleVector.fromArray(S, out, o2x + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, out, o3x), s31 = DoubleVector.fromArray(S, out, o3x + L), s32 = DoubleVector.fromArray(S, out, o3x + 2 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, out, o4x), s41 = DoubleVector.fromArray(S, out, o4x + L), s42 = DoubleVector.fromArray(S, out, o4x + 2 * L);
        DoubleVector s50 = DoubleVector.fromArray(S, out, o5x), s51 = DoubleVector.fromArray(S, out, o5x + L), s52 = DoubleVector.fromArray(S, out, o5x + 2 * L);
        DoubleVector s60 = DoubleVector.fromArray(S, out, o6x), s61 = DoubleVector.fromArray(S, out, o6x + L), s62 = DoubleVector.fromArray(S, out, o6x + 2 * L);
        DoubleVector s70 = DoubleVector.fromArray(S, out, o7x), s71 = DoubleVector.fromArray(S, out, o7x + L), s72 = DoubleVector.fromArray(S, out, o7x + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            int co = i * k + c;
            DoubleVector x0 = load(x, xo);
            DoubleVector x1 = load(x, xo + L);
            DoubleVector x2 = load(x, xo + 2 * L);
            DoubleVector f;
            f = DoubleVector.broadcast(S, coef[co + 0]);
            s00 = f.fma(x0, s00);
            s01 = f.fma(x1, s01);
            s02 = f.fma(x2, s02);
            f = DoubleVector.broadcast(S, coef[co + 1]);
            s10 = f.fma(x0, s10);
            s11 = f.fma(x1, s11);
            s12 = f.fma(x2, s12);
            f = DoubleVector.broadcast(S, coef[co + 2]);
            s20 = f.fma(x0, s20);
            s21 = f.fma(x1, s21);
            s22 = f.fma(x2, s22);
            f = DoubleVector.broadcast(S, coef[co + 3]);
            s30 = f.fma(x0, s30);
            s31 = f.fma(x1, s31);
            s32 = f.fma(x2, s32);
            f = DoubleVector.broadcast(S, coef[co + 4]);
            s40 = f.fma(x0, s40);
            s41 = f.fma(x1, s41);
            s42 = f.fma(x2, s42);
            f = DoubleVector.broadcast(S, coef[co + 5]);
            s50 = f.fma(x0, s50);
            s51 = f.fma(x1, s51);
            s52 = f.fma(x2, s52);
            f = DoubleVector.broadcast(S, coef[co + 6]);
            s60 = f.fma(x0, s60);
            s61 = f.fma(x1, s61);
            s62 = f.fma(x2, s62);
            f = DoubleVector.broadcast(S, coef[co + 7]);
            s70 = f.fma(x0, s70);
            s71 = f.fma(x1, s71);
            s72 = f.fma(x2, s72);
        }
        s00.intoArray(out, o0x);
        s01.intoArray(out, o0x + 1 * L);
        s02.intoArray(out, o0x + 2 * L);
        s10.intoArray(out, o1x);
        s11.intoArray(out, o1x + 1 * L);
        s12.intoArray(out, o1x + 2 * L);
        s20.intoArray(out, o2x);
        s21.intoArray(out, o2x + 1 * L);
        s22.intoArray(out, o2x + 2 * L);
        s30.intoArray(out, o3x);
        s31.intoArray(out, o3x + 1 * L);
        s32.intoArray(out, o3x + 2 * L);
        s40.intoArray(out, o4x);
        s41.intoArray(out, o4x + 1 * L);
        s42.intoArray(out, o4x + 2 * L);
        s50.intoArray(out, o5x);
        s51.intoArray(out, o5x + 1 * L);
        s52.intoArray(out, o5x + 2 * L);
        s60.intoArray(out, o6x);
        s61.intoArray(out, o6x + 1 * L);
        s62.intoArray(out, o6x + 2 * L);
        s70.intoArray(out, o7x);
        s71.intoArray(out, o7x + 1 * L);
        s72.intoArray(out, o7x + 2 * L);
    }

    private static void axpy53(double[] coef, int k, int c, double[] x, int d, int j, int i0, int i1,
                               double[] out, int o0, int ldo) {
        int o1 = o0 + 1 * ldo;
        int o2 = o0 + 2 * ldo;
        int o3 = o0 + 3 * ldo;
        int o4 = o0 + 4 * ldo;
        DoubleVector s00 = DoubleVector.fromArray(S, out, o0), s01 = DoubleVector.fromArray(S, out, o0 + L),
                s02 = DoubleVector.fromArray(S, out, o0 + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, out, o1), s11 = DoubleVector.fromArray(S, out, o1 + L),
                s12 = DoubleVector.fromArray(S, out, o1 + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, out, o2), s21 = DoubleVector.fromArray(S, out, o2 + L),
                s22 = DoubleVector.fromArray(S, out, o2 + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, out, o3), s31 = DoubleVector.fromArray(S, out, o3 + L),
                s32 = DoubleVector.fromArray(S, out, o3 + 2 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, out, o4), s41 = DoubleVector.fromArray(S, out, o4 + L),
                s42 = DoubleVector.fromArray(S, out, o4 + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            int co = i * k + c;
            DoubleVector x0 = loadD(x, xo);
            DoubleVector x1 = loadD(x, xo + 1 * L);
            DoubleVector x2 = loadD(x, xo + 2 * L);
            DoubleVector f;
            f = DoubleVector.broadcast(S, coef[co + 0]);
            s00 = f.fma(x0, s00);
            s01 = f.fma(x1, s01);
            s02 = f.fma(x2, s02);
            f = DoubleVector.broadcast(S, coef[co + 1]);
            s10 = f.fma(x0, s10);
            s11 = f.fma(x1, s11);
            s12 = f.fma(x2, s12);
            f = DoubleVector.broadcast(S, coef[co + 2]);
            s20 = f.fma(x0, s20);
            s21 = f.fma(x1, s21);
            s22 = f.fma(x2, s22);
            f = DoubleVector.broadcast(S, coef[co + 3]);
            s30 = f.fma(x0, s30);
            s31 = f.fma(x1, s31);
            s32 = f.fma(x2, s32);
            f = DoubleVector.broadcast(S, coef[co + 4]);
            s40 = f.fma(x0, s40);
            s41 = f.fma(x1, s41);
            s42 = f.fma(x2, s42);
        }
        s00.intoArray(out, o0);
        s01.intoArray(out, o0 + 1 * L);
        s02.intoArray(out, o0 + 2 * L);
        s10.intoArray(out, o1);
        s11.intoArray(out, o1 + 1 * L);
        s12.intoArray(out, o1 + 2 * L);
        s20.intoArray(out, o2);
        s21.intoArray(out, o2 + 1 * L);
        s22.intoArray(out, o2 + 2 * L);
        s30.intoArray(out, o3);
        s31.intoArray(out, o3 + 1 * L);
        s32.intoArray(out, o3 + 2 * L);
        s40.intoArray(out, o4);
        s41.intoArray(out, o4 + 1 * L);
        s42.intoArray(out, o4 + 2 * L);
    }

    private static void axpy53(double[] coef, int k, int c, float[] x, int d, int j, int i0, int i1,
                               double[] out, int o0, int ldo) {
        int o1 = o0 + 1 * ldo;
        int o2 = o0 + 2 * ldo;
        int o3 = o0 + 3 * ldo;
        int o4 = o0 + 4 * ldo;
        DoubleVector s00 = DoubleVector.fromArray(S, out, o0), s01 = DoubleVector.fromArray(S, out, o0 + L),
                s02 = DoubleVector.fromArray(S, out, o0 + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, out, o1), s11 = DoubleVector.fromArray(S, out, o1 + L),
                s12 = DoubleVector.fromArray(S, out, o1 + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, out, o2), s21 = DoubleVector.fromArray(S, out, o2 + L),
                s22 = DoubleVector.fromArray(S, out, o2 + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, out, o3), s31 = DoubleVector.fromArray(S, out, o3 + L),
                s32 = DoubleVector.fromArray(S, out, o3 + 2 * L);
        DoubleVector s40 = DoubleVector.fromArray(S, out, o4), s41 = DoubleVector.fromArray(S, out, o4 + L),
                s42 = DoubleVector.fromArray(S, out, o4 + 2 * L);
        for (int i = i0; i < i1; i++) {
            int xo = i * d + j;
            int co = i * k + c;
            DoubleVector x0 = load(x, xo);
            DoubleVector x1 = load(x, xo + 1 * L);
            DoubleVector x2 = load(x, xo + 2 * L);
            DoubleVector f;
            f = DoubleVector.broadcast(S, coef[co + 0]);
            s00 = f.fma(x0, s00);
            s01 = f.fma(x1, s01);
            s02 = f.fma(x2, s02);
            f = DoubleVector.broadcast(S, coef[co + 1]);
            s10 = f.fma(x0, s10);
            s11 = f.fma(x1, s11);
            s12 = f.fma(x2, s12);
            f = DoubleVector.broadcast(S, coef[co + 2]);
            s20 = f.fma(x0, s20);
            s21 = f.fma(x1, s21);
            s22 = f.fma(x2, s22);
            f = DoubleVector.broadcast(S, coef[co + 3]);
            s30 = f.fma(x0, s30);
            s31 = f.fma(x1, s31);
            s32 = f.fma(x2, s32);
            f = DoubleVector.broadcast(S, coef[co + 4]);
            s40 = f.fma(x0, s40);
            s41 = f.fma(x1, s41);
            s42 = f.fma(x2, s42);
        }
        s00.intoArray(out, o0);
        s01.intoArray(out, o0 + 1 * L);
        s02.intoArray(out, o0 + 2 * L);
        s10.intoArray(out, o1);
        s11.intoArray(out, o1 + 1 * L);
        s12.intoArray(out, o1 + 2 * L);
        s20.intoArray(out, o2);
        s21.intoArray(out, o2 + 1 * L);
        s22.intoArray(out, o2 + 2 * L);
        s30.intoArray(out, o3);
        s31.intoArray(out, o3 + 1 * L);
        s32.intoArray(out, o3 + 2 * L);
        s40.intoArray(out, o4);
        s41.intoArray(out, o4 + 1 * L);
        s42.intoArray(out, o4 + 2 * L);
    }

    // ------------------------------------------------------------------ Cholesky pieces

    @Override
    void trsmPanel(double[] a, int n, int kb, int nb, double[] p, int ldp, int i0, int i1) {
        // four strips of L columns at a time (four independent FMA chains); each strip's
        // nb x L block stays in L1 while row j reads rows m < j
        int t = i0;
        for (; t + 4 * L <= i1; t += 4 * L) {
            for (int j = 0; j < nb; j++) {
                int lj = (kb + j) * n + kb;
                int pj = j * ldp + t;
                DoubleVector s0 = DoubleVector.fromArray(S, p, pj), s1 = DoubleVector.fromArray(S, p, pj + L),
                        s2 = DoubleVector.fromArray(S, p, pj + 2 * L), s3 = DoubleVector.fromArray(S, p, pj + 3 * L);
                for (int m = 0; m < j; m++) {
                    DoubleVector f = DoubleVector.broadcast(S, -a[lj + m]);
                    int pm = m * ldp + t;
                    s0 = f.fma(DoubleVector.fromArray(S, p, pm), s0);
                    s1 = f.fma(DoubleVector.fromArray(S, p, pm + L), s1);
                    s2 = f.fma(DoubleVector.fromArray(S, p, pm + 2 * L), s2);
                    s3 = f.fma(DoubleVector.fromArray(S, p, pm + 3 * L), s3);
                }
                double diag = a[lj + j];
                s0.div(diag).intoArray(p, pj);
                s1.div(diag).intoArray(p, pj + L);
                s2.div(diag).intoArray(p, pj + 2 * L);
                s3.div(diag).intoArray(p, pj + 3 * L);
            }
        }
        for (; t + L <= i1; t += L) {
            for (int j = 0; j < nb; j++) {
                int lj = (kb + j) * n + kb;
                DoubleVector s = DoubleVector.fromArray(S, p, j * ldp + t);
                for (int m = 0; m < j; m++) {
                    s = DoubleVector.broadcast(S, -a[lj + m]).fma(DoubleVector.fromArray(S, p, m * ldp + t), s);
                }
                s.div(a[lj + j]).intoArray(p, j * ldp + t);
            }
        }
        for (; t < i1; t++) {
            for (int j = 0; j < nb; j++) {
                int lj = (kb + j) * n + kb;
                double s = p[j * ldp + t];
                for (int m = 0; m < j; m++) {
                    s = Math.fma(-a[lj + m], p[m * ldp + t], s);
                }
                p[j * ldp + t] = s / a[lj + j];
            }
        }
    }

    @Override
    void syrkTile(double[] a, int n, double[] p, int ldp, int nb, int off, int r0, int r1, int l0, int l1) {
        int w3 = 3 * L;
        double[] lanes = new double[4 * L];
        int i = r0;
        for (; i + 3 < r1; i += 4) {
            int end = Math.min(l1, i + 4);
            int l = l0;
            // full blocks: columns [l, l + w3) all <= i, so lower for rows i .. i+3
            for (; l + w3 <= end && l + w3 - 1 <= i; l += w3) {
                syrk43(a, n, p, ldp, nb, i - off, l - off, i * n + l);
            }
            // blocks that cross the diagonal or the tile edge: compute whole vectors (lanes past
            // the diagonal read the upper triangle but are discarded), store only [l, min(end, row+1))
            for (; l < end && l + L <= n; l += L) {
                syrk41(a, n, p, ldp, nb, i - off, l - off, i * n + l, lanes);
                for (int r = 0; r < 4; r++) {
                    int stop = Math.min(L, Math.min(end, i + r + 1) - l);
                    for (int t = 0; t < stop; t++) {
                        a[(i + r) * n + l + t] = lanes[r * L + t];
                    }
                }
            }
            for (int r = i; r < i + 4; r++) {
                syrkScalar(a, n, p, ldp, nb, off, r, l, Math.min(l1, r + 1));
            }
        }
        for (; i < r1; i++) {
            int l = l0;
            int end = Math.min(l1, i + 1);
            for (; l + L <= end; l += L) {
                int ar = i * n;
                DoubleVector s = DoubleVector.fromArray(S, a, ar + l);
                for (int m = 0; m < nb; m++) {
                    int pm = m * ldp - off;
                    s = DoubleVector.broadcast(S, -p[pm + i]).fma(DoubleVector.fromArray(S, p, pm + l), s);
                }
                s.intoArray(a, ar + l);
            }
            syrkScalar(a, n, p, ldp, nb, off, i, l, end);
        }
    }

    /** Entries {@code [l, end)} of row {@code r} one by one, with the vector lanes' arithmetic. */
    private static void syrkScalar(double[] a, int n, double[] p, int ldp, int nb, int off, int r, int l, int end) {
        int ar = r * n;
        for (; l < end; l++) {
            double s = a[ar + l];
            for (int m = 0; m < nb; m++) {
                int pm = m * ldp - off;
                s = Math.fma(-p[pm + r], p[pm + l], s);
            }
            a[ar + l] = s;
        }
    }

    /** Rows {@code pi .. pi+3} x one vector of columns; results to {@code lanes}, row-major 4 x L. */
    private static void syrk41(double[] a, int n, double[] p, int ldp, int nb, int pi, int pl, int o0, double[] lanes) {
        DoubleVector s0 = DoubleVector.fromArray(S, a, o0), s1 = DoubleVector.fromArray(S, a, o0 + n),
                s2 = DoubleVector.fromArray(S, a, o0 + 2 * n), s3 = DoubleVector.fromArray(S, a, o0 + 3 * n);
        for (int m = 0; m < nb; m++) {
            int pm = m * ldp;
            DoubleVector x = DoubleVector.fromArray(S, p, pm + pl);
            s0 = DoubleVector.broadcast(S, -p[pm + pi]).fma(x, s0);
            s1 = DoubleVector.broadcast(S, -p[pm + pi + 1]).fma(x, s1);
            s2 = DoubleVector.broadcast(S, -p[pm + pi + 2]).fma(x, s2);
            s3 = DoubleVector.broadcast(S, -p[pm + pi + 3]).fma(x, s3);
        }
        s0.intoArray(lanes, 0);
        s1.intoArray(lanes, L);
        s2.intoArray(lanes, 2 * L);
        s3.intoArray(lanes, 3 * L);
    }

    private static void syrk43(double[] a, int n, double[] p, int ldp, int nb, int pi, int pl, int o0) {
        int o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
        DoubleVector s00 = DoubleVector.fromArray(S, a, o0), s01 = DoubleVector.fromArray(S, a, o0 + L),
                s02 = DoubleVector.fromArray(S, a, o0 + 2 * L);
        DoubleVector s10 = DoubleVector.fromArray(S, a, o1), s11 = DoubleVector.fromArray(S, a, o1 + L),
                s12 = DoubleVector.fromArray(S, a, o1 + 2 * L);
        DoubleVector s20 = DoubleVector.fromArray(S, a, o2), s21 = DoubleVector.fromArray(S, a, o2 + L),
                s22 = DoubleVector.fromArray(S, a, o2 + 2 * L);
        DoubleVector s30 = DoubleVector.fromArray(S, a, o3), s31 = DoubleVector.fromArray(S, a, o3 + L),
                s32 = DoubleVector.fromArray(S, a, o3 + 2 * L);
        for (int m = 0; m < nb; m++) {
            int pm = m * ldp;
            DoubleVector x0 = DoubleVector.fromArray(S, p, pm + pl);
            DoubleVector x1 = DoubleVector.fromArray(S, p, pm + pl + L);
            DoubleVector x2 = DoubleVector.fromArray(S, p, pm + pl + 2 * L);
            DoubleVector f = DoubleVector.broadcast(S, -p[pm + pi]);
            s00 = f.fma(x0, s00);
            s01 = f.fma(x1, s01);
            s02 = f.fma(x2, s02);
            f = DoubleVector.broadcast(S, -p[pm + pi + 1]);
            s10 = f.fma(x0, s10);
            s11 = f.fma(x1, s11);
            s12 = f.fma(x2, s12);
            f = DoubleVector.broadcast(S, -p[pm + pi + 2]);
            s20 = f.fma(x0, s20);
            s21 = f.fma(x1, s21);
            s22 = f.fma(x2, s22);
            f = DoubleVector.broadcast(S, -p[pm + pi + 3]);
            s30 = f.fma(x0, s30);
            s31 = f.fma(x1, s31);
            s32 = f.fma(x2, s32);
        }
        s00.intoArray(a, o0);
        s01.intoArray(a, o0 + L);
        s02.intoArray(a, o0 + 2 * L);
        s10.intoArray(a, o1);
        s11.intoArray(a, o1 + L);
        s12.intoArray(a, o1 + 2 * L);
        s20.intoArray(a, o2);
        s21.intoArray(a, o2 + L);
        s22.intoArray(a, o2 + 2 * L);
        s30.intoArray(a, o3);
        s31.intoArray(a, o3 + L);
        s32.intoArray(a, o3 + 2 * L);
    }

    /**
     * Scalar {@link Math#exp}, as in the scalar kernels. The Vector API's lane-wise {@code EXP} is
     * not used: C2 compiles it to the JDK's vector math library while the interpreter and C1 fall
     * back to {@code Math.exp} per lane, and the two differ in the last bit, so a run's result
     * depended on how warm the JIT was (a trained model differed between the first and a later
     * run in one JVM).
     */
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
