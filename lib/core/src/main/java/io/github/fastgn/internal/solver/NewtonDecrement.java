package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Cholesky;

import java.util.Arrays;

/**
 * Half the Newton decrement {@code h^T (M + Lambda)^-1 h / 2} of a solver's curvature model
 * {@code M} at the current point: near the optimum of a convex objective, the estimate of the
 * optimality gap {@code f - f*} that the convergence test compares with {@code tolerance |f|}
 * (ALGORITHM.md §3, "Stopping"). With the FGN curvature ({@code M <= H}) it over-states the exact
 * decrement, with the full GGN (the exact Hessian of a linear head) it is the exact one; the
 * damping {@code Lambda} should be the least the solve tolerates.
 */
public final class NewtonDecrement {

    /** The relative residual the certificate solve is taken to. */
    public static final double FORCING = 1e-6;

    private NewtonDecrement() {
    }

    /**
     * Solves {@code (M + Lambda) x = -h} into {@code scratch} (from zero, to {@link #FORCING}) and
     * returns {@code -h.x / 2}; NaN when the solve cannot vouch for the value: a factorisation that
     * fails, an iterative solve that stops short of its tolerance, or a non-descent result.
     *
     * @param rows    the head at the current point, on the rows that define {@code M}
     * @param scratch {@code K (d+1)} values, overwritten
     */
    public static double half(StepSolver solver, HeadBatch rows, Damping damping, double[] h, double[] scratch) {
        Arrays.fill(scratch, 0.0);
        try {
            if (!solver.solve(rows, damping, h, scratch, FORCING).converged()) {
                return Double.NaN;
            }
        } catch (Cholesky.NotPositiveDefiniteException e) {
            return Double.NaN;
        }
        double hx = 0;
        for (int t = 0; t < h.length; t++) {
            hx += h[t] * scratch[t];
        }
        return hx < 0 ? -0.5 * hx : Double.NaN;
    }
}
