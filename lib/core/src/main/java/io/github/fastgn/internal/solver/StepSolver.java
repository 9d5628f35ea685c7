package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.CompetitorCurvature;
import io.github.fastgn.internal.head.HeadBatch;

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

    /** What this solver can do; the optimizer consults this instead of the solver's name. */
    Capabilities capabilities();

    /** The curvature this solver inverts. */
    default Curvature curvature() {
        return capabilities().curvature();
    }

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

    /**
     * Solves {@code (G~ + Lambda) s = -h} with the curvature of every row truncated to each row's
     * top classes ({@link CompetitorCurvature}); only solvers whose capabilities declare
     * {@link Capabilities#everyRowTruncated()} do.
     *
     * @throws UnsupportedOperationException for the other solvers
     */
    default SolveReport solve(CompetitorCurvature rows, Damping damping, double[] h, double[] s, double tolerance) {
        throw new UnsupportedOperationException(name() + " solves on a batch of rows, not on a top-competitor"
                + " curvature");
    }

    /** The curvature a solver inverts. */
    enum Curvature {
        /** The Fast Gauss-Newton curvature {@code G_FGN = A^T A} (kept true-vs-rest term). */
        FGN,
        /** The full generalised Gauss-Newton matrix, for a linear head the exact Hessian. */
        FULL
    }

    /**
     * What a solver declares about itself, so that callers need not recognise it by name.
     *
     * @param curvature     the curvature it inverts (FGN or the full GGN)
     * @param warmStartable whether it uses the entry value of {@code s} as a starting guess, so
     *                      that passing the previous step helps (parameter-space CG); a solver
     *                      that is not warm-startable is always given zeros
     * @param exact         a direct (factorisation) solve, exact up to rounding; false for an
     *                      iterative solve to a tolerance
     * @param weightFloor   the smallest FGN example weight {@code u_i} the solver tolerates, the
     *                      floor given to {@link HeadBatch}: a factorisation copes with a tiny
     *                      weight, CG needs it bounded away from 0 (SPEC 3, step 1)
     * @param sparseRows    whether it solves on a batch of sparse rows ({@link HeadBatch#hasFeatureRows()}
     *                      false) through the storage-neutral products only; a solver that needs
     *                      dense feature rows (a {@code d x d} or {@code K D x K D} structure built
     *                      from them) declares false, so {@code auto} never picks it for sparse data
     *                      and an explicit choice is refused with a clear message
     * @param everyRowTruncated whether it takes its curvature from every row of the data with each
     *                      row's distribution truncated to its top classes ({@link CompetitorCurvature},
     *                      the solve of that type) instead of from a batch
     */
    record Capabilities(Curvature curvature, boolean warmStartable, boolean exact, double weightFloor,
                        boolean sparseRows, boolean everyRowTruncated) {

        /** Weight floor of direct solvers. */
        public static final double DIRECT_WEIGHT_FLOOR = 1e-300;
        /** Weight floor of iterative solvers. */
        public static final double ITERATIVE_WEIGHT_FLOOR = 1e-12;

        public Capabilities {
            if (curvature == null) {
                throw new IllegalArgumentException("curvature must not be null");
            }
            if (!(weightFloor > 0)) {
                throw new IllegalArgumentException("weightFloor must be > 0, got " + weightFloor);
            }
        }

        /** A solver that takes sparse rows. */
        public Capabilities(Curvature curvature, boolean warmStartable, boolean exact, double weightFloor) {
            this(curvature, warmStartable, exact, weightFloor, true, false);
        }

        /** A solver of a batch's curvature. */
        public Capabilities(Curvature curvature, boolean warmStartable, boolean exact, double weightFloor,
                            boolean sparseRows) {
            this(curvature, warmStartable, exact, weightFloor, sparseRows, false);
        }

        /** A direct solve: exact, not warm-startable, the tiny weight floor; takes sparse rows. */
        public static Capabilities direct(Curvature curvature) {
            return new Capabilities(curvature, false, true, DIRECT_WEIGHT_FLOOR);
        }

        /** An iterative solve, warm-startable or not, with the CG weight floor; takes sparse rows. */
        public static Capabilities iterative(Curvature curvature, boolean warmStartable) {
            return new Capabilities(curvature, warmStartable, false, ITERATIVE_WEIGHT_FLOOR);
        }

        /** These capabilities for a solver that needs dense feature rows. */
        public Capabilities denseRowsOnly() {
            return new Capabilities(curvature, warmStartable, exact, weightFloor, false, everyRowTruncated);
        }

        /** These capabilities for a solver of the top-competitor curvature of every row. */
        public Capabilities truncatedEveryRow() {
            return new Capabilities(curvature, warmStartable, exact, weightFloor, sparseRows, true);
        }
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
