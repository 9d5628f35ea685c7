package io.github.fastgn.internal.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The micro-kernel of {@link ScalarKernels}' products on packed panels ({@link Panels}): plain
 * loops of {@code Math.fma} that JDK 17's C2 auto-vectorises. Each entry starts from its
 * {@code src} value and adds one fused multiply-add per step, in order: the arithmetic of the
 * Vector API kernel ({@code VectorPanels}), so the two paths' panel products agree bit for bit.
 *
 * <p>C2 vectorises a stride-1 loop only when the arrays it stores to and loads from are indexed
 * alike (all from 0 by the loop variable here; an offset into a packed panel is an invariant it
 * cannot tell apart from the stored row, and the loop stays scalar: measured about 2.5x slower).
 * So the kernel keeps its {@value #MR} accumulator rows in zero-indexed scratch rows of
 * {@value #NR} columns, copies four steps of the packed panel at a time into four more, and updates
 * each accumulator row from them in one loop,
 * {@code t[c] = fma(f3, x3[c], fma(f2, x2[c], fma(f1, x1[c], fma(f0, x0[c], t[c]))))} (a fifth step
 * vectorised no faster, a sixth or a second accumulator row in the loop stopped C2 vectorising).
 * The copies are one load and store per panel entry per {@value #MR} accumulator rows. A tile may
 * be partial ({@link #partialTiles}): only its rows and columns are computed, so the wide tile
 * costs nothing at the edges.
 *
 * <p>Fused rather than a multiply then an add: JMH, {@code 4096 x 256 x 1000} float, alternating
 * in one session (load about 1.5), two runs each, GFLOP/s, one and two threads: row product 16.5,
 * 14.9 and 29.3, 25.8 fused against 15.3, 14.5 and 23.3, 26.6; transpose 14.4, 14.4 and 25.0,
 * 27.6 against 9.8, 13.1 and 21.0, 17.3. {@code Math.fma} is a fast instruction only where the
 * JVM uses the CPU's FMA (HotSpot's {@code UseFMA}, read as Lucene reads it); elsewhere it is a
 * slow software routine, and {@link #suits} keeps the products on the dot and axpy tiles.
 */
final class ScalarPanels extends PanelKernel {

    /**
     * Rows of the micro-tile: the four copied panel rows (8 KB) stay in L1 while 64 accumulator
     * rows (128 KB, in L2: one load and one store per four multiply-adds) pass over them. JMH,
     * {@code 4096 x 256 x 1000} float, one thread, one session (load about 2; the multiply-then-add
     * form): row and transpose product 13.3 and 10.9 GFLOP/s with 8 rows, 12.4 and 11.3 with 16, 13.9 and 13.7 with 32,
     * 14.9 and 14.1 with 64, 14.4 and 12.9 with 128.
     */
    static final int MR = 64;
    /** Columns of the micro-tile: long loops amortise C2's pre- and post-loops. */
    static final int NR = 256;
    /**
     * Features below which the products stay on the dot and axpy tiles; classes below {@link #NR}
     * stay there too (a row product's loops would be shorter than a tile, and a transpose product
     * of fewer than two 128-class tasks would run on one thread). JMH, float features, one thread,
     * panels (8-row tiles, multiply then add) against tiles in one session under load: {@code 4096 x 64 x 64} row product 6.4 against
     * 10.8 GFLOP/s, transpose 8.8 against 5.4; {@code 4096 x 128 x 100} 8.2 against 8.0 and 11.6
     * against 7.5.
     */
    static final int MIN = 64;

    /** Each thread's accumulator rows and four panel rows (a tile runs to its end on one thread). */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[MR + 4][NR]);

    ScalarPanels() {
        super(MR, NR);
    }

    @Override
    boolean suits(int d, int k) {
        return k >= NR && d >= MIN && HardwareFma.PRESENT;
    }

    /** Whether {@code Math.fma} runs on the CPU's FMA here, read once, on first use. */
    private static final class HardwareFma {

        static final boolean PRESENT = read();

        private HardwareFma() {
        }

        /** HotSpot's {@code UseFMA}; false when it cannot be read (another JVM, no jdk.management). */
        private static boolean read() {
            try {
                return "true".equals(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .getVMOption("UseFMA").getValue());
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }

    @Override
    boolean partialTiles() {
        return true;
    }

    @Override
    void multiply(double[] a, int ao, int lda, double[] b, int bo, int kc, int height, int width,
                  double[] src, int so, int lds, double[] dst, int dso, int ldd) {
        double[][] w = SCRATCH.get();
        for (int r = 0; r < height; r++) {
            System.arraycopy(src, so + r * lds, w[r], 0, width);
        }
        double[] x0 = w[MR];
        double[] x1 = w[MR + 1];
        double[] x2 = w[MR + 2];
        double[] x3 = w[MR + 3];
        int s = 0;
        for (; s + 3 < kc; s += 4) {
            int q = bo + s * NR;
            System.arraycopy(b, q, x0, 0, width);
            System.arraycopy(b, q + NR, x1, 0, width);
            System.arraycopy(b, q + 2 * NR, x2, 0, width);
            System.arraycopy(b, q + 3 * NR, x3, 0, width);
            int p = ao + s * lda;
            for (int r = 0; r < height; r++) {
                axpy4(w[r], a[p + r], x0, a[p + lda + r], x1, a[p + 2 * lda + r], x2, a[p + 3 * lda + r], x3, width);
            }
        }
        for (; s < kc; s++) {
            System.arraycopy(b, bo + s * NR, x0, 0, width);
            int p = ao + s * lda;
            for (int r = 0; r < height; r++) {
                axpy1(w[r], a[p + r], x0, width);
            }
        }
        for (int r = 0; r < height; r++) {
            System.arraycopy(w[r], 0, dst, dso + r * ldd, width);
        }
    }

    /** Four fused multiply-adds into {@code t[c]}, in order, for {@code c < n} (vectorised by C2). */
    private static void axpy4(double[] t, double f0, double[] x0, double f1, double[] x1,
                              double f2, double[] x2, double f3, double[] x3, int n) {
        for (int c = 0; c < n; c++) {
            t[c] = Math.fma(f3, x3[c], Math.fma(f2, x2[c], Math.fma(f1, x1[c], Math.fma(f0, x0[c], t[c]))));
        }
    }

    /** {@code t[c] = fma(f, x[c], t[c])} for {@code c < n}. */
    private static void axpy1(double[] t, double f, double[] x, int n) {
        for (int c = 0; c < n; c++) {
            t[c] = Math.fma(f, x[c], t[c]);
        }
    }
}
