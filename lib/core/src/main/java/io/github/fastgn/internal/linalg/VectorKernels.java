package io.github.fastgn.internal.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
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
 *   <li>The dot and axpy tiles exist for double and for float rows/features; both are expanded
 *       at build time from one template, {@code src/main/templates/.../VectorRows.java.template},
 *       into the generated {@code VectorRowsDouble} and {@code VectorRowsFloat} (see
 *       {@code lib/core/pom.xml}); this class delegates to them.</li>
 *   <li>Cholesky trailing update: 4 rows x 3 vectors from the transposed panel, the same way.</li>
 * </ul>
 * Float features are loaded as half-width float vectors and widened to double ({@code F2D}), so
 * all products and sums are in double.
 */
final class VectorKernels extends Kernels {

    static final VectorSpecies<Double> S = species();
    static final int L = S.length();
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));
    /** Rows of exponentials shorter than this run the scalar loop ({@link #expInPlace}). */
    static final int SHORT_ROW = 4 * L;
    /**
     * Examples per pass of an axpy tile over one strip of 3 vectors: as many rows as the L2
     * streamer follows at once, so that a tile's next strip finds its rows' next lines on the way.
     * 128 (a strip of 128 rows kept in L1) ran the {@code 60000 x 784}, {@code K = 10} transpose
     * product 1.6-2x slower than the row product reading the same features; 32 with half-row tiles
     * ({@link #columnTile}), 1.13-1.24x.
     */
    static final int ROW_CHUNK = 32;
    /** Narrowest column tile of the transpose product when the rows are long (the tiles it replaced). */
    static final int MIN_COLUMN_TILE = 12 * 8;

    /**
     * One column tile per thread, each as wide as that makes it (a multiple of the vector length;
     * narrower than {@link #MIN_COLUMN_TILE} only to make two tiles of a short row): each task
     * reads a long contiguous run of every row, which the hardware prefetchers stream, where the
     * 96-column tiles this replaces read 384 bytes of each 3136-byte row and waited on memory.
     * Float features, two threads, 2-core Xeon host, 2026-12-06, the transpose product's time (75th
     * percentile of 30 calls in one JVM) before and after, and over the row product's:
     * <pre>
     *   rows x d x K        96-column tiles, 128-row chunks    these tiles, 32-row chunks
     *   60000 x  784 x 10      0.0449 s   1.93                  0.0241 s   1.19
     *    8192 x  784 x 10      0.0052 s   1.53                  0.0041 s   1.08
     *   60000 x  256 x 10      0.0137 s   1.56                  0.0111 s   1.35
     *   30000 x 2048 x 12      0.0938 s   2.58                  0.0475 s   1.11
     *  100000 x  100 x  3      0.0088 s   1.47                  0.0065 s   1.76
     * </pre>
     * On one thread, 60000 x 784 x 10: 0.0813 s against 0.0395 s. Chunks of 16 rows (1.33) and of
     * 64 (1.27), and 4 tiles on two threads (1.48), did worse on the first shape. JMH
     * ({@code ProductBenchmark}, {@code op=transpose}, float, GFLOP/s, two runs of each jar
     * alternating, 2026-12-07): {@code 4096x784x10} two threads 31.9 and 31.7 before, 42.9 and
     * 30.1 after, one thread 16.5 and 14.8 before, 28.9 and 28.5 after; {@code 4096x2048x10} two
     * threads 25.3 and 18.6 before, 39.9 and 36.1 after, one thread 12.4 and 10.6 before, 25.8
     * and 27.2 after.
     */
    @Override
    int columnTile(int d, int kTiles, int threads) {
        int tiles = Math.max(1, Math.min((threads + kTiles - 1) / kTiles, Math.max(2, d / MIN_COLUMN_TILE)));
        return ((d + tiles - 1) / tiles + L - 1) / L * L;
    }

    /**
     * Yes: the few-class products run at the speed the features are read. On the row and transpose
     * products of {@code 8192 x 784}, {@code K = 10} (float features, two threads, 75th percentile
     * of 40 calls, 2026-12-06) the fused product took 0.0061 s against 0.0085 s apart (0.72); on
     * {@code 60000 x 784 x 10} 0.0498 s against 0.0704 s (0.71); on {@code 8192 x 256 x 10} 0.71.
     * JMH ({@code FusedProductBenchmark}, median of 5 iterations, 2026-12-07): 7.8 against 11.1 ms
     * (0.706) and 50.9 against 69.1 ms (0.737) on the first two shapes.
     */
    @Override
    boolean fusedReadsPay() {
        return true;
    }

    /** The preferred species, or a narrower one if {@code -Dfastgn.vector.bits} asks for it (tuning). */
    private static VectorSpecies<Double> species() {
        int bits = Integer.getInteger("fastgn.vector.bits", 0);
        if (bits >= 128 && bits < DoubleVector.SPECIES_PREFERRED.vectorBitSize()) {
            return VectorSpecies.of(double.class, VectorShape.forBitSize(bits));
        }
        return DoubleVector.SPECIES_PREFERRED;
    }

    VectorKernels() {
        // the packed-panel products with the 8 x 24 micro-kernel, on 512-bit vectors only
        super(VectorPanels.available() ? new Panels(new VectorPanels()) : null);
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

    /** {@code L} doubles from {@code a[off]} (the template's load for double rows). */
    static DoubleVector load(double[] a, int off) {
        return DoubleVector.fromArray(S, a, off);
    }

    /** {@code L} floats from {@code a[off]}, widened to double. */
    static DoubleVector load(float[] a, int off) {
        return (DoubleVector) FloatVector.fromArray(F, a, off).convertShape(VectorOperators.F2D, S, 0);
    }

    // ------------------------------------------------------------------ dot and axpy tiles
    // (one template, src/main/templates/.../VectorRows.java.template, expanded for double and float)

    @Override
    void dotTile(double[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        VectorRowsDouble.dotTile(a, b, ldb, n, bias, out, ldo, r0, r1, c0, c1);
    }

    @Override
    void dotTile(float[] a, double[] b, int ldb, int n, boolean bias, double[] out, int ldo,
                 int r0, int r1, int c0, int c1) {
        VectorRowsFloat.dotTile(a, b, ldb, n, bias, out, ldo, r0, r1, c0, c1);
    }

    @Override
    void axpyTile(double[] coef, double[] x, int r0, int r1, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1, boolean add) {
        VectorRowsDouble.axpyTile(coef, x, r0, r1, d, k, out, ldo, c0, c1, j0, j1, add);
    }

    @Override
    void axpyTile(double[] coef, float[] x, int r0, int r1, int d, int k, double[] out, int ldo,
                  int c0, int c1, int j0, int j1, boolean add) {
        VectorRowsFloat.axpyTile(coef, x, r0, r1, d, k, out, ldo, c0, c1, j0, j1, add);
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

    /** A lane-wide compare per group of {@code L} classes; the scalar test only within groups that hold one. */
    @Override
    int atLeast(double[] v, int k, double tau, int[] out) {
        int count = 0;
        int end = S.loopBound(k);
        int c = 0;
        for (; c < end; c += L) {
            if (DoubleVector.fromArray(S, v, c).compare(VectorOperators.GE, tau).anyTrue()) {
                for (int t = c; t < c + L; t++) {
                    if (v[t] >= tau) {
                        out[count++] = t;
                    }
                }
            }
        }
        for (; c < k; c++) {
            if (v[c] >= tau) {
                out[count++] = c;
            }
        }
        return count;
    }

    /**
     * {@link Exp#exp}, lane-wise: the same constants and the same sequence of operations, each
     * exactly rounded (vector {@code fma}, add, multiply, min/max, integer add and shifts), so
     * every lane gets the bits the scalar path gets, in every JIT tier. The sum keeps one partial
     * sum per lane, adds the lanes in lane order, then the tail in order. (The steps are written
     * out in the loop rather than in a helper taking and returning vectors: a helper too large
     * to inline would box its vectors on every call.)
     *
     * <p>Rows shorter than {@link #SHORT_ROW} entries (K = 10) take the scalar loop, the same
     * bits and their sum in order: there the lanes save a few nanoseconds a row, while in a fresh
     * JVM the lane-wise loop runs interpreted and in C1 (boxing every vector) for the first
     * tens of thousands of rows until C2 has compiled it, seconds of a first run's first step.
     */
    @Override
    double expInPlace(double[] v, int from, int to, double shift) {
        if (to - from < SHORT_ROW) {
            return Exp.expInPlace(v, from, to, shift);
        }
        int end = from + S.loopBound(to - from);
        DoubleVector lo = DoubleVector.broadcast(S, Exp.LO), hi = DoubleVector.broadcast(S, Exp.HI);
        DoubleVector log2e = DoubleVector.broadcast(S, Exp.LOG2E), shifter = DoubleVector.broadcast(S, Exp.SHIFTER);
        DoubleVector nln2hi = DoubleVector.broadcast(S, Exp.NLN2_HI), nln2lo = DoubleVector.broadcast(S, Exp.NLN2_LO);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector acc = DoubleVector.zero(S);
        int i = from;
        for (; i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, v, i).sub(shift).max(lo).min(hi);
            DoubleVector t = x.fma(log2e, shifter);
            DoubleVector kd = t.sub(shifter);
            DoubleVector r = kd.fma(nln2hi, x);
            r = kd.fma(nln2lo, r);
            DoubleVector p = DoubleVector.broadcast(S, Exp.C13).fma(r, DoubleVector.broadcast(S, Exp.C12));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C11));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C10));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C9));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C8));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C7));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C6));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C5));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C4));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C3));
            p = p.fma(r, DoubleVector.broadcast(S, Exp.C2));
            p = p.fma(r, one);
            p = p.fma(r, one);
            LongVector k = ((LongVector) t.viewAsIntegralLanes()).sub(Exp.SHIFTER_BITS);
            LongVector k1 = k.lanewise(VectorOperators.ASHR, 1);
            LongVector k2 = k.sub(k1);
            DoubleVector s1 = (DoubleVector) k1.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector s2 = (DoubleVector) k2.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector e = p.mul(s1).mul(s2);
            e.intoArray(v, i);
            acc = acc.add(e);
        }
        double sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            double e = Exp.exp(v[i] - shift);
            v[i] = e;
            sum += e;
        }
        return sum;
    }

    /**
     * Four gathered rows at a time share each load of {@code row} (one vector accumulator each,
     * fused multiply-adds, lanes added in lane order, then the tail in order); a remainder of
     * fewer than four rows one at a time.
     */
    @Override
    void gatherDots(double[] row, int n, double[] v, int ldv, int[] idx, int off, int m, double[] out) {
        VectorRowsDouble.gatherDots(row, 0, n, v, ldv, idx, off, m, out);
    }

    @Override
    void gatherDots(float[] row, int ro, int n, double[] v, int ldv, int[] idx, int off, int m, double[] out) {
        VectorRowsFloat.gatherDots(row, ro, n, v, ldv, idx, off, m, out);
    }

    @Override
    void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        VectorRowsDouble.axpy(alpha, x, xo, y, yo, n);
    }

    @Override
    void axpy(double alpha, float[] x, int xo, double[] y, int yo, int n) {
        VectorRowsFloat.axpy(alpha, x, xo, y, yo, n);
    }

    @Override
    void axpyRows(double[] alpha, float[] x, int[] xo, int count, double[] y, int n) {
        VectorRowsFloat.axpyRows(alpha, x, xo, count, y, n);
    }

    @Override
    double dot(double[] a, int ao, double[] b, int bo, int n) {
        return VectorRowsDouble.dot(a, ao, b, bo, n);
    }

    @Override
    double dot(float[] a, int ao, double[] b, int bo, int n) {
        return VectorRowsFloat.dot(a, ao, b, bo, n);
    }

    /** The float-row forms widen each lane as they load it: a row is read where it lies. */
    @Override
    boolean floatRowsInPlace() {
        return true;
    }

    @Override
    void csrRowSums(int[] ptr, int[] idx, double[] val, int r0, int r1, double[] vt, int k, double[] bias,
                    double[] out) {
        VectorRowsDouble.csrRowSums(ptr, idx, val, r0, r1, vt, k, bias, out);
    }

    @Override
    void csrRowSums(int[] ptr, int[] idx, float[] val, int r0, int r1, double[] vt, int k, double[] bias,
                    double[] out) {
        VectorRowsFloat.csrRowSums(ptr, idx, val, r0, r1, vt, k, bias, out);
    }

    @Override
    void csrScatter(double[] coef, int[] ptr, int[] slots, double[] val, int n, int k, int q, int parts, int shift,
                    double[] acc) {
        VectorRowsDouble.csrScatter(coef, ptr, slots, val, n, k, q, parts, shift, acc);
    }

    @Override
    void csrScatter(double[] coef, int[] ptr, int[] slots, float[] val, int n, int k, int q, int parts, int shift,
                    double[] acc) {
        VectorRowsFloat.csrScatter(coef, ptr, slots, val, n, k, q, parts, shift, acc);
    }
}
