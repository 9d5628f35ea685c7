package io.github.fastgn.solver;

import io.github.fastgn.core.HeadBatch;

/**
 * Computes a damped Gauss-Newton step for a linear softmax head: the solution {@code s} of
 * {@code (G + Lambda) s = -h}, where {@code G} is the FGN curvature {@code A^T A} or the full
 * GGN, on the batch held by a {@link HeadBatch}.
 *
 * <p>Strategies differ in how they solve (row space or parameter space, Cholesky or CG) and
 * in which curvature they use; they are interchangeable in the optimizer. A solver keeps its work
 * buffers between calls and is therefore not thread safe: use one per training run.
 */
public interface StepSolver {

    /** A stable name, as used by configuration ("fgn-row-cholesky", ...). */
    String name();

    /** The curvature this solver inverts. */
    Curvature curvature();

    /**
     * Solves {@code (G + Lambda) s = -h}.
     *
     * @param batch     the head at the current point on the current batch
     * @param damping   {@code Lambda}
     * @param h         gradient of the objective, {@code K x D}; not modified
     * @param s         on entry a starting guess for iterative solvers (zeros for a cold start),
     *                  on exit the step
     * @param tolerance relative tolerance {@code eta} of iterative solvers: they stop once the
     *                  parameter-space residual {@code ||(G + Lambda) s + h|| <= eta ||h||};
     *                  direct solvers ignore it
     * @return what the solve cost
     */
    SolveReport solve(HeadBatch batch, Damping damping, double[] h, double[] s, double tolerance);

    /** The curvature a solver inverts. */
    enum Curvature {
        /** The Fast Gauss-Newton curvature {@code G_FGN = A^T A} (kept true-vs-rest term). */
        FGN,
        /** The full generalised Gauss-Newton matrix, for a linear head the exact Hessian. */
        FULL
    }

    /**
     * The cost of one solve.
     *
     * @param iterations operator applications of an iterative solver (0 for direct solvers)
     * @param converged  whether the tolerance was met (always true for direct solvers)
     */
    record SolveReport(int iterations, boolean converged) {
        public static final SolveReport DIRECT = new SolveReport(0, true);
    }
}
