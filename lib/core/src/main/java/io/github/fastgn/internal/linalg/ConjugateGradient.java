package io.github.fastgn.internal.linalg;

import java.util.Arrays;

/**
 * Preconditioned conjugate gradients for {@code M x = b} with {@code M} symmetric positive
 * definite, following Barrett et al., <i>Templates for the Solution of Linear Systems</i> (1994),
 * figure 2.5, with a diagonal (Jacobi) preconditioner.
 *
 * <p><b>Iteration.</b> One iteration is one application of {@code M}. <b>Stopping.</b> The caller
 * supplies the test through {@link ResidualTest}, evaluated on the <i>updated</i> residual
 * {@code r_k = b - M x_k} (recursively updated, which can drift from the true residual after
 * many iterations; Strakos and Tichy 2002) every {@code checkEvery} iterations and at the last.
 * The FGN row-space solvers use this to stop on the parameter-space residual
 * {@code ||A^T r_k||}, not on {@code ||r_k||} (ALGORITHM.md §3, step 3): a badly misclassified example
 * makes one row residual huge and a row-residual test stops far too early.
 *
 * <p>Commons Math's {@code ConjugateGradient} has the same algorithm but only the test
 * {@code ||r|| <= delta ||b||} and allocates a vector per operation, so it is used only as an
 * independent reference in the tests. Work arrays are allocated once per dimension and reused.
 */
public final class ConjugateGradient {

    /** Decides whether the current iterate is accurate enough. */
    @FunctionalInterface
    public interface ResidualTest {
        /**
         * @param iteration the number of operator applications so far
         * @param x         the current iterate (read only)
         * @param residual  the current residual {@code b - M x} (read only) in its first {@code n} values; it may
         *                  be longer (work vectors are kept across solves of different sizes)
         * @return true to stop
         */
        boolean converged(int iteration, double[] x, double[] residual);
    }

    /** The outcome of one solve. */
    public record Result(int iterations, boolean converged, boolean breakdown) {
    }

    private double[] r = new double[0];
    private double[] z = new double[0];
    private double[] p = new double[0];
    private double[] mp = new double[0];

    /**
     * Solves {@code M x = b}, starting from the contents of {@code x} (use zeros for a cold start).
     *
     * @param m             the operator
     * @param b             right-hand side; not modified
     * @param x             start on entry, solution on exit
     * @param inverseDiag   Jacobi preconditioner {@code 1/diag(M)}, or null for none
     * @param maxIterations the iteration limit (at least 1)
     * @param checkEvery    evaluate {@code test} every this many iterations (at least 1)
     * @param test          the stopping test
     */
    public Result solve(LinearOperator m, double[] b, double[] x, double[] inverseDiag, int maxIterations,
                        int checkEvery, ResidualTest test) {
        return solve(m, b, x, inverseDiag == null ? null : new LinearOperator() {
            @Override
            public int dimension() {
                return m.dimension();
            }

            @Override
            public void apply(double[] in, double[] out) {
                for (int i = 0; i < m.dimension(); i++) {
                    out[i] = inverseDiag[i] * in[i];
                }
            }
        }, maxIterations, checkEvery, test);
    }

    /**
     * As {@link #solve(LinearOperator, double[], double[], double[], int, int, ResidualTest)} with a
     * general symmetric positive definite preconditioner: {@code inversePreconditioner} applies
     * {@code P^{-1}} (null for none).
     */
    public Result solve(LinearOperator m, double[] b, double[] x, LinearOperator inversePreconditioner,
                        int maxIterations, int checkEvery, ResidualTest test) {
        int n = m.dimension();
        ensure(n);
        // r = b - M x
        boolean zeroStart = true;
        for (int i = 0; i < n; i++) {
            if (x[i] != 0.0) {
                zeroStart = false;
                break;
            }
        }
        if (zeroStart) {
            System.arraycopy(b, 0, r, 0, n);
        } else {
            m.apply(x, mp);
            for (int i = 0; i < n; i++) {
                r[i] = b[i] - mp[i];
            }
        }
        int applied = zeroStart ? 0 : 1;
        if (test.converged(applied, x, r)) {
            return new Result(applied, true, false);
        }
        precondition(inversePreconditioner, r, z, n);
        System.arraycopy(z, 0, p, 0, n);
        double rz = dot(r, z, n);
        for (int it = 1; it <= maxIterations; it++) {
            m.apply(p, mp);
            applied++;
            double pmp = dot(p, mp, n);
            if (!(pmp > 0.0) || !(rz > 0.0)) {
                // rz == 0 means an exact solution; pmp <= 0 means M is not positive definite
                return new Result(applied, rz == 0.0, !(rz == 0.0));
            }
            double alpha = rz / pmp;
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * mp[i];
            }
            if (it == maxIterations || it % checkEvery == 0) {
                if (test.converged(applied, x, r)) {
                    return new Result(applied, true, false);
                }
            }
            precondition(inversePreconditioner, r, z, n);
            double rzNew = dot(r, z, n);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int i = 0; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
        return new Result(applied, false, false);
    }

    /**
     * Work vectors of at least {@code n} values (every loop reads and writes their first {@code n}
     * only), kept across solves: a solver whose dimension changes from solve to solve (CG on the
     * stored columns of each new curvature sample) reuses them while they are long enough instead
     * of allocating four new vectors of millions of values every step.
     */
    private void ensure(int n) {
        if (r.length < n) {
            r = new double[n];
            z = new double[n];
            p = new double[n];
            mp = new double[n];
        } else {
            Arrays.fill(mp, 0, n, 0.0);
        }
    }

    private static void precondition(LinearOperator inverse, double[] r, double[] z, int n) {
        if (inverse == null) {
            System.arraycopy(r, 0, z, 0, n);
        } else {
            inverse.apply(r, z);
        }
    }

    static double dot(double[] a, double[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
