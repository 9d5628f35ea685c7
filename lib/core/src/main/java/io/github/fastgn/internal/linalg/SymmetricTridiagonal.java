package io.github.fastgn.internal.linalg;

/**
 * A symmetric matrix reduced to tridiagonal form by Householder reflections,
 * {@code M = Q T Q^T} with {@code Q} orthogonal and {@code T} symmetric tridiagonal, and the
 * solves with {@code T + t I} at any shift {@code t}.
 *
 * <p><b>What it is for.</b> Every shifted matrix {@code M + t I} is {@code Q (T + t I) Q^T}, so
 * one reduction ({@code 4 n^3 / 3} multiply-adds, once) serves every shift: applying
 * {@code (M + t_c I)^-1} to many right-hand sides, each at its own shift, costs two products with
 * {@code Q} (dense matrix products that read {@code Q} once for all of them) and an {@code O(n)}
 * tridiagonal solve per right-hand side. A Cholesky factor per shift costs {@code n^3 / 3} per
 * shift and reads its own {@code n x n} factor per right-hand side. The full eigendecomposition
 * would serve as well but costs several times more: on the development host (2026-12-07, timed
 * loops, vector kernels, two threads) Commons Math's {@code EigenDecomposition} took 1.5-2.0 s at
 * {@code n = 785}, this reduction 0.18-0.22 s (0.43 s in a fresh JVM), and 1.1 s at {@code n = 1537};
 * JMH {@code ClassBlockBenchmark} measures it with the class-block preconditioner's application.
 *
 * <p><b>Algorithm.</b> The unblocked reduction of LAPACK's {@code dsytd2} on the full square:
 * for {@code j = 0 .. n-3}, the reflector {@code H_j = I - tau v v^T} that maps row {@code j}'s
 * entries right of the diagonal to {@code alpha e_1}, applied from both sides to the trailing
 * block as the rank-two update {@code A -= v w^T + w v^T} with {@code p = tau A v},
 * {@code w = p - (tau p.v / 2) v}; each row's update is followed by its product with the next
 * reflector (the next step's {@code p}) while the row is in cache, so a step reads the trailing
 * block once (0.18-0.22 s at {@code n = 785} against 0.23-0.26 s with a separate pass). {@code Q^T = H_{n-3} ... H_0} is accumulated from the last
 * reflector back, each one touching only the trailing rows and columns. Every row is updated by
 * one task in a fixed order (the kernels' {@code dot} and {@code axpy}), so the result is
 * bit-identical for any thread count; the two kernel paths differ by rounding only. Householder
 * reduction is backward stable, and for a positive semi-definite {@code M} and {@code t > 0} the
 * solve with {@code T + t I} is an {@code L D L^T} elimination of a positive-definite
 * tridiagonal matrix, stable without pivoting.
 */
public final class SymmetricTridiagonal {

    /** Trailing rows below which a step's row loops stay on the calling thread. */
    private static final int PARALLEL_ROWS = 128;

    private final int n;
    private final double[] diagonal;
    /** {@code T[j][j+1] = T[j+1][j]}, {@code j < n - 1}. */
    private final double[] offDiagonal;
    /** {@code Q^T}, row-major: row {@code j} is column {@code j} of {@code Q}. */
    private final double[] qt;
    /**
     * Scratch of {@link #solveShifted}: the right-hand sides with a zero bias column ({@code r x (n + 1)}),
     * {@code Q^T b} ({@code n x r}, solved in place) and {@code Q y} ({@code r x (n + 1)}).
     */
    private double[] padded = new double[0];
    private double[] image = new double[0];
    private double[] back = new double[0];

    private SymmetricTridiagonal(int n, double[] diagonal, double[] offDiagonal, double[] qt) {
        this.n = n;
        this.diagonal = diagonal;
        this.offDiagonal = offDiagonal;
        this.qt = qt;
    }

    /**
     * Reduces the symmetric {@code n x n} matrix {@code m} (row-major, both triangles; only read).
     *
     * @param par threads for the row loops of the larger steps; the result does not depend on them
     */
    public static SymmetricTridiagonal of(double[] m, int n, Parallel par) {
        return of(m, n, par, KernelProvider.get());
    }

    static SymmetricTridiagonal of(double[] m, int n, Parallel par, Kernels kernels) {
        if (n < 1 || m.length < (long) n * n) {
            throw new IllegalArgumentException("need an n x n matrix with n >= 1, got n = " + n
                    + " and " + m.length + " entries");
        }
        double[] a = java.util.Arrays.copyOf(m, n * n);
        double[] diagonal = new double[n];
        double[] offDiagonal = new double[Math.max(0, n - 1)];
        double[] tau = new double[n];
        double[] p = new double[n];
        double[] next = new double[n];
        // whether p holds tau_j A22 v_j for this step (taken by the last step's fused update)
        boolean ready = false;
        for (int j = 0; j + 2 < n; j++) {
            int s = j + 1;
            int len = n - s;
            int rj = j * n + s;
            if (!ready && reflect(a, n, j, diagonal, offDiagonal, tau, kernels) != 0) {
                double t = tau[j];
                rows(par, len, (lo, hi) -> {
                    for (int i = s + lo; i < s + hi; i++) {
                        p[i] = t * kernels.dot(a, i * n + s, a, rj, len);
                    }
                });
            }
            ready = false;
            double t = tau[j];
            if (t == 0) {
                continue; // nothing to annihilate: the trailing block is unchanged
            }
            double half = 0.5 * t * kernels.dot(p, s, a, rj, len);
            // w = p - half v, into p
            kernels.axpy(-half, a, rj, p, s, len);
            // A22 -= v w^T + w v^T row by row; row s first, so the next reflector can be read from it and
            // each later row's product with it (the next step's p) taken while the row is in cache
            update(a, n, s, s, rj, p, kernels);
            boolean more = j + 3 < n;
            double tn = more ? reflect(a, n, s, diagonal, offDiagonal, tau, kernels) : 0;
            int rn = s * n + s + 1;
            rows(par, len - 1, (lo, hi) -> {
                for (int i = s + 1 + lo; i < s + 1 + hi; i++) {
                    update(a, n, s, i, rj, p, kernels);
                    if (more) {
                        next[i] = tn * kernels.dot(a, i * n + s + 1, a, rn, len - 1);
                    }
                }
            });
            if (more) {
                System.arraycopy(next, s + 1, p, s + 1, len - 1);
                ready = true;
            }
        }
        if (n >= 2) {
            diagonal[n - 2] = a[(n - 2) * n + n - 2];
            offDiagonal[n - 2] = a[(n - 2) * n + n - 1];
        }
        diagonal[n - 1] = a[(n - 1) * n + n - 1];
        return new SymmetricTridiagonal(n, diagonal, offDiagonal, accumulate(a, tau, n, par, kernels));
    }

    /**
     * The reflector of row {@code j}: maps its entries right of the diagonal, {@code x}, to
     * {@code alpha e_1} ({@code alpha = -sign(x_0) |x|}); stores {@code v = x - alpha e_1} over them
     * ({@code v.v = 2 |x| (|x| + |x_0|)}), the diagonal entry and {@code alpha}; returns
     * {@code tau = 2 / v.v}, 0 when {@code x = 0}.
     */
    private static double reflect(double[] a, int n, int j, double[] diagonal, double[] offDiagonal, double[] tau,
                                  Kernels kernels) {
        int rj = j * n + j + 1;
        int len = n - j - 1;
        double norm = Math.sqrt(kernels.dot(a, rj, a, rj, len));
        diagonal[j] = a[j * n + j];
        if (norm == 0) {
            offDiagonal[j] = 0;
            tau[j] = 0;
            return 0;
        }
        double x0 = a[rj];
        double alpha = x0 >= 0 ? -norm : norm;
        a[rj] = x0 - alpha;
        offDiagonal[j] = alpha;
        tau[j] = 1.0 / (norm * (norm + Math.abs(x0)));
        return tau[j];
    }

    /** Row {@code i} of the trailing block from column {@code s}: {@code -= v_i w + w_i v} ({@code v} at {@code rj}, {@code w} in {@code p}). */
    private static void update(double[] a, int n, int s, int i, int rj, double[] p, Kernels kernels) {
        int ri = i * n + s;
        int len = n - s;
        kernels.axpy(-a[rj + (i - s)], p, s, a, ri, len);
        kernels.axpy(-p[i], a, rj, a, ri, len);
    }

    /**
     * {@code Q^T = H_{n-3} ... H_0}, built as {@code M := M H_j} from {@code M = I} for
     * {@code j = n-3} down to 0: {@code M} is the identity outside rows and columns
     * {@code > j} then, so each step updates only the trailing block, row by row
     * ({@code row -= tau (row . v) v}).
     */
    private static double[] accumulate(double[] a, double[] tau, int n, Parallel par, Kernels kernels) {
        double[] q = new double[n * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1.0;
        }
        for (int j = n - 3; j >= 0; j--) {
            double t = tau[j];
            if (t == 0) {
                continue;
            }
            int s = j + 1;
            int len = n - s;
            int rj = j * n + s;
            rows(par, len, (lo, hi) -> {
                for (int i = s + lo; i < s + hi; i++) {
                    int ri = i * n + s;
                    kernels.axpy(-t * kernels.dot(q, ri, a, rj, len), a, rj, q, ri, len);
                }
            });
        }
        return q;
    }

    private static void rows(Parallel par, int len, Parallel.RangeBody body) {
        if (len < PARALLEL_ROWS || par.threads() == 1) {
            body.run(0, len);
        } else {
            par.forRange(len, 32, body);
        }
    }

    /** The order {@code n}. */
    public int order() {
        return n;
    }

    /** {@code Q^T} ({@code n x n}, row-major; row {@code j} is column {@code j} of {@code Q}); not a copy. */
    public double[] transposedRotation() {
        return qt;
    }

    /** The diagonal of {@code T} (a copy). */
    public double[] diagonal() {
        return diagonal.clone();
    }

    /** The off-diagonal of {@code T}, {@code T[j][j+1]} for {@code j < n - 1} (a copy). */
    public double[] offDiagonal() {
        return offDiagonal.clone();
    }

    /**
     * The elimination of {@code T + t_c I} for {@code c < r} right-hand sides at once, each at its
     * own shift: the pivots' reciprocals and the multipliers, laid out as {@link #solve} reads them.
     *
     * @param shifts {@code t_c}; each must make {@code T + t_c I} positive definite (any
     *               {@code t_c > 0} for a positive semi-definite matrix)
     */
    public Elimination eliminate(double[] shifts, int r) {
        double[] inverse = new double[n * r];
        double[] multiplier = new double[n * r];
        for (int c = 0; c < r; c++) {
            double pivot = diagonal[0] + shifts[c];
            inverse[c] = 1.0 / pivot;
        }
        for (int j = 1; j < n; j++) {
            double b = offDiagonal[j - 1];
            double dj = diagonal[j];
            int o = j * r;
            int prev = o - r;
            for (int c = 0; c < r; c++) {
                // l_j = b / pivot_{j-1}; pivot_j = d_j + t - l_j b
                double l = b * inverse[prev + c];
                multiplier[o + c] = l;
                inverse[o + c] = 1.0 / (dj + shifts[c] - l * b);
            }
        }
        return new Elimination(r, inverse, multiplier);
    }

    /**
     * Solves {@code (T + t_c I) y_c = s_c p_c} in place for every column {@code c} of {@code p}
     * ({@code n x r} row-major: entry {@code j} of right-hand side {@code c} at {@code p[j r + c]}).
     * The loops run over the columns innermost, contiguous, so plain loops that C2 vectorises.
     *
     * @param scale {@code s_c}
     */
    public void solve(Elimination e, double[] scale, double[] p) {
        int r = e.columns;
        double[] inv = e.inverse;
        double[] mult = e.multiplier;
        // forward: z_j = s p_j - l_j z_{j-1}
        for (int c = 0; c < r; c++) {
            p[c] *= scale[c];
        }
        for (int j = 1; j < n; j++) {
            int o = j * r;
            int prev = o - r;
            for (int c = 0; c < r; c++) {
                p[o + c] = scale[c] * p[o + c] - mult[o + c] * p[prev + c];
            }
        }
        // backward: y_j = z_j / pivot_j - l_{j+1} y_{j+1}  (L^T has l_{j+1} at (j, j+1))
        int last = (n - 1) * r;
        for (int c = 0; c < r; c++) {
            p[last + c] *= inv[last + c];
        }
        for (int j = n - 2; j >= 0; j--) {
            int o = j * r;
            int next = o + r;
            for (int c = 0; c < r; c++) {
                p[o + c] = p[o + c] * inv[o + c] - mult[next + c] * p[next + c];
            }
        }
    }

    /**
     * {@code out_c = s_c (M + t_c I)^-1 in_c = s_c Q (T + t_c I)^-1 Q^T in_c} for the {@code r} rows
     * {@code c} of {@code in} ({@code r x n}, row-major; only read; {@code r} the elimination's
     * columns): {@code Q^T} applied to every row at once (the head's row product with the rows of
     * {@code Q^T} as features), the tridiagonal solves, {@code Q} applied to every row at once (the
     * head's transpose product). Both products sum each entry in a fixed order, so the threads change
     * no result. Uses this instance's scratch: not for concurrent calls on one instance.
     */
    public void solveShifted(Elimination e, double[] scale, double[] in, double[] out, Parallel par) {
        int r = e.columns;
        int ld = n + 1;
        if (padded.length < r * ld) {
            padded = new double[r * ld];
            image = new double[n * r];
            back = new double[r * ld];
        }
        for (int c = 0; c < r; c++) {
            System.arraycopy(in, c * n, padded, c * ld, n); // the bias column stays 0
        }
        // image[j r + c] = (Q^T in_c)_j: the rows of Q^T as features, the right-hand sides as parameters
        HeadKernels.rowProduct(qt, n, n, padded, r, image, par);
        solve(e, scale, image);
        // back[c (n + 1) + i] = (Q y_c)_i: the solves as coefficients of the rows of Q^T (the last column, their sum, unused)
        HeadKernels.transposeProduct(image, qt, n, n, r, back, par);
        for (int c = 0; c < r; c++) {
            System.arraycopy(back, c * ld, out, c * n, n);
        }
    }

    /** The pivots and multipliers of {@code T + t_c I} for a set of shifts ({@link #eliminate}). */
    public static final class Elimination {
        private final int columns;
        private final double[] inverse;
        private final double[] multiplier;

        private Elimination(int columns, double[] inverse, double[] multiplier) {
            this.columns = columns;
            this.inverse = inverse;
            this.multiplier = multiplier;
        }

        /** The number of right-hand sides it serves. */
        public int columns() {
            return columns;
        }
    }
}
