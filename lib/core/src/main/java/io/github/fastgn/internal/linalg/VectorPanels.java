package io.github.fastgn.internal.linalg;

import static io.github.fastgn.internal.linalg.VectorKernels.L;
import static io.github.fastgn.internal.linalg.VectorKernels.S;

import jdk.incubator.vector.DoubleVector;

/**
 * The micro-kernel of {@link VectorKernels}' products on packed panels ({@link Panels}): an outer
 * product of {@value #MR} x {@code 3 L} fused multiply-adds a step, 24 vector accumulators, 8
 * broadcasts and 3 vector loads, that both products share.
 *
 * <p>Why panels: the dot-tile and axpy-tile kernels ({@code VectorRows.java.template}) read their
 * operands where they lie: a 4 x 3 tile of row dot products loads 7 vectors (about 27 bytes) per
 * vector fused multiply-add, from rows too long to stay in L1, and the axpy tiles broadcast from
 * rows {@code 8 K} bytes apart. On the {@code syn} shape ({@code 4096 x 256 x 1000}, float
 * features, AVX-512, one thread) they ran at 23-27 GFLOP/s (row) and 15-19 GFLOP/s (transpose),
 * and the two products were 44% of a {@code syn} fit's profile. The packed micro-kernel loads about
 * 11 bytes per vector fused multiply-add, from panels that stay in L1 or L2; alone, on L1-resident
 * panels, it ran at about 78 GFLOP/s on one thread (a timed loop outside JMH, same machine; the
 * double peak of two 512-bit FMA units at 2.8 GHz would be 89.6).
 *
 * <p>Each entry starts from its {@code src} value and adds one fused multiply-add per step, in
 * order (as the axpy tiles do, so the transpose products of the two agree bit for bit). Used only
 * with 512-bit vectors ({@code L = 8}, 32 registers): with fewer registers the 24 accumulators
 * would spill.
 */
final class VectorPanels extends PanelKernel {

    /** Rows of the micro-tile. */
    static final int MR = 8;
    /** Columns of the micro-tile. */
    static final int NR = 3 * L;

    VectorPanels() {
        super(MR, NR);
    }

    /** Whether this species has the panel kernel (512-bit vectors). */
    static boolean available() {
        return L == 8;
    }

    /** Always the whole {@value #MR} x {@code NR} tile (its edge tiles go through {@link Panels}' scratch tile). */
    @Override
    boolean partialTiles() {
        return false;
    }

    /**
     * The whole tile, {@code height} and {@code width} ignored: 24 vector accumulators, each lane
     * starting from its {@code src} value and adding one fused multiply-add per {@code s}, in order.
     */
    @Override
    void multiply(double[] a, int ao, int lda, double[] b, int bo, int kc, int height, int width,
                  double[] src, int so, int lds, double[] dst, int dso, int ldd) {
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
