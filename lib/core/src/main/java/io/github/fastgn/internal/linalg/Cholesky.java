package io.github.fastgn.internal.linalg;

/**
 * In-place Cholesky factorisation {@code M = L L^T} of a symmetric positive-definite matrix held
 * row-major in a flat array, and the triangular solves that use it.
 *
 * <p><b>Algorithm.</b> Below order {@value #BLOCKED_MIN}: the unblocked inner-product
 * (Cholesky-Crout) form. Above: blocked right-looking, panels of {@value #NB} columns. Each step
 * factors the diagonal block (Crout), solves the panel below it in a transposed copy
 * ({@code P := L11^{-1} P}, parallel over fixed row ranges) and subtracts {@code P^T P} from the
 * trailing lower triangle, parallel over fixed tiles, through the same kernels as
 * {@link HeadKernels} (Vector API register blocks of 4 rows x 3 vectors when available, plain
 * loops otherwise). Every entry is updated in a fixed order, so the factor is bit-identical for
 * any thread count; the two kernel paths differ by rounding only.
 *
 * <p><b>Why by hand.</b> Measured speed. The row systems are rebuilt every iteration and Commons
 * Math's {@code CholeskyDecomposition} copies into {@code double[][]}, allocates a new factor per
 * call and runs the classic scalar column algorithm. JMH ({@code io.github.fastgn.bench.CholeskyBenchmark},
 * profile {@code bench}), 2-vCPU AMD Zen 5 host (AVX-512), JDK 17, measured in a quiet window
 * (load &lt; 2) on 2026-11-25, GFLOP/s = {@code n^3/3} / time:
 * <pre>
 *   n     previous Crout  Commons Math  blocked scalar 1t  blocked vector 1t  blocked vector 2t
 *   512        1.9            1.5             4.8               16.0               16.0 (steps run serially)
 *   1437       1.9            2.4             5.2               34.3               40.1
 *   4096       2.0            2.0             5.4               42.1               68.2
 * </pre>
 * At n = 4096 that is 0.34 s instead of 11.6 s (previous) or 11.3 s (Commons Math); at
 * n = 1437, 25 ms instead of 0.5 s.
 */
public final class Cholesky {

    private Cholesky() {
    }

    /** Below this order the unblocked inner-product form is used as it is. */
    static final int BLOCKED_MIN = 192;
    /** From this order {@link #factor(double[], int)} uses every core (measured: slower on two below ~1000). */
    static final int PARALLEL_MIN = 1024;
    /** Multiply-adds of a step's trailing update below which the step stays on the calling thread. */
    private static final long STEP_PARALLEL_WORK = 1L << 24;
    /** Columns per panel of the blocked form. */
    static final int NB = 96;
    /** Rows per task of the panel solve and per tile of the trailing update. */
    private static final int ROW_TILE = 96;
    /** Columns per tile of the trailing update (a multiple of 24: 3 vectors of 8). */
    private static final int COL_TILE = 192;

    /**
     * Overwrites the lower triangle of {@code a} ({@code n x n}, row-major) with {@code L}; the
     * strict upper triangle is never written and its contents (even NaN) never affect the result
     * (vector loads may cross the diagonal, but those lanes are discarded). From order
     * {@value #PARALLEL_MIN} every core is used ({@link Parallel#common()}); the result does not
     * depend on it.
     *
     * @throws NotPositiveDefiniteException if a pivot is not positive (the matrix is not SPD to
     *                                      working precision)
     */
    public static void factor(double[] a, int n) {
        factor(a, n, n >= PARALLEL_MIN ? Parallel.common() : Parallel.SERIAL);
    }

    /** As {@link #factor(double[], int)} on the given threads; bit-identical for any thread count. */
    public static void factor(double[] a, int n, Parallel par) {
        factor(a, n, par, KernelProvider.get());
    }

    /**
     * As {@link #factor(double[], int, Parallel)} on the given kernels (benchmarks and
     * cross-checks; see {@link HeadKernels#scalar()} and {@link HeadKernels#vector()}).
     */
    public static void factor(double[] a, int n, Parallel par, HeadKernels.Variant kernels) {
        factor(a, n, par, kernels.kernels());
    }

    static void factor(double[] a, int n, Parallel par, Kernels kernels) {
        factor(a, n, par, kernels, STEP_PARALLEL_WORK);
    }

    /** @param stepParallelWork the trailing-update size from which a step is split over {@code par} (tests use 0) */
    static void factor(double[] a, int n, Parallel par, Kernels kernels, long stepParallelWork) {
        if (a.length < (long) n * n) {
            throw new IllegalArgumentException("array of " + a.length + " is too short for n = " + n);
        }
        if (n < BLOCKED_MIN) {
            factorUnblocked(a, n, 0, n);
            return;
        }
        // right-looking: factor the diagonal block, solve the panel below it, update the trailing
        // lower triangle; p holds the panel transposed (row j = column kb + j of the rows below)
        double[] p = new double[NB * (n - Math.min(NB, n))];
        for (int kbLoop = 0; kbLoop < n; kbLoop += NB) {
            int kb = kbLoop;
            int nb = Math.min(NB, n - kb);
            factorUnblocked(a, n, kb, nb);
            int off = kb + nb;
            int m = n - off;
            if (m == 0) {
                break;
            }
            int rowTasks = (m + ROW_TILE - 1) / ROW_TILE;
            // fork/join wake-ups cost more than they save on a small trailing matrix
            Parallel stepPar = (long) m * m * nb / 2 >= stepParallelWork ? par : Parallel.SERIAL;
            stepPar.forRange(rowTasks, 1, (lo, hi) -> {
                int i0 = lo * ROW_TILE;
                int i1 = Math.min(m, hi * ROW_TILE);
                for (int i = i0; i < i1; i++) {
                    int ai = (off + i) * n + kb;
                    for (int j = 0; j < nb; j++) {
                        p[j * m + i] = a[ai + j];
                    }
                }
                kernels.trsmPanel(a, n, kb, nb, p, m, i0, i1);
                for (int i = i0; i < i1; i++) {
                    int ai = (off + i) * n + kb;
                    for (int j = 0; j < nb; j++) {
                        a[ai + j] = p[j * m + i];
                    }
                }
            });
            // trailing update over lower-triangle tiles (row tile r, column tile c <= its diagonal)
            int[] firstTile = new int[rowTasks + 1];
            for (int r = 0; r < rowTasks; r++) {
                int lastRow = Math.min(m, (r + 1) * ROW_TILE) - 1;
                firstTile[r + 1] = firstTile[r] + lastRow / COL_TILE + 1;
            }
            stepPar.forRange(firstTile[rowTasks], 1, (lo, hi) -> {
                int r = 0;
                while (firstTile[r + 1] <= lo) {
                    r++;
                }
                for (int t = lo; t < hi; t++) {
                    while (firstTile[r + 1] <= t) {
                        r++;
                    }
                    int c = t - firstTile[r];
                    int r0 = off + r * ROW_TILE;
                    int l0 = off + c * COL_TILE;
                    kernels.syrkTile(a, n, p, m, nb, off, r0, Math.min(n, r0 + ROW_TILE), l0, Math.min(n, l0 + COL_TILE));
                }
            });
        }
    }

    /**
     * Inner-product (Cholesky-Crout) factorisation of the diagonal block {@code [k0, k0+nb)},
     * whose entries already hold {@code A - L L^T} over the columns before {@code k0}.
     */
    private static void factorUnblocked(double[] a, int n, int k0, int nb) {
        for (int i = k0; i < k0 + nb; i++) {
            int ri = i * n;
            for (int j = k0; j <= i; j++) {
                int rj = j * n;
                double s = a[ri + j];
                double s1 = 0;
                int k = k0;
                for (; k + 1 < j; k += 2) {
                    s -= a[ri + k] * a[rj + k];
                    s1 -= a[ri + k + 1] * a[rj + k + 1];
                }
                for (; k < j; k++) {
                    s -= a[ri + k] * a[rj + k];
                }
                s += s1;
                if (j < i) {
                    a[ri + j] = s / a[rj + j];
                } else {
                    if (!(s > 0.0)) {
                        throw new NotPositiveDefiniteException(i, s);
                    }
                    a[ri + i] = Math.sqrt(s);
                }
            }
        }
    }

    /** Solves {@code L L^T x = b} in place ({@code b} becomes {@code x}) with a factor from {@link #factor}. */
    public static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[ri + k] * b[k];
            }
            b[i] = s / l[ri + i];
        }
        // L^T x = y by columns of L^T, i.e. rows of L: stride-1 updates instead of strided dots
        for (int i = n - 1; i >= 0; i--) {
            int ri = i * n;
            double xi = b[i] / l[ri + i];
            b[i] = xi;
            for (int k = 0; k < i; k++) {
                b[k] -= xi * l[ri + k];
            }
        }
    }

    /** Thrown when a matrix that should be symmetric positive definite is not. */
    public static final class NotPositiveDefiniteException extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        NotPositiveDefiniteException(int row, double pivot) {
            super("matrix is not positive definite: pivot " + pivot + " at row " + row);
        }
    }
}
