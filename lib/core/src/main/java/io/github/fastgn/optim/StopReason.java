package io.github.fastgn.optim;

/**
 * Why an optimizer run stopped.
 *
 * <p>Every optimizer checks its stop rules at each step boundary (before every iteration), so
 * {@link #INTERRUPTED} and {@link #STOPPED_BY_LISTENER} take effect within one step: the run
 * returns its current iterate (finite; never a model with non-finite weights) with its history
 * so far.
 *
 * <p>Only {@link #CONVERGED} means near the optimum. A run that ends on a budget
 * ({@link #MAX_ITERATIONS}, {@link #TIME_LIMIT}), stalls ({@link #STALLED}), hits
 * {@link #DAMPING_LIMIT} or {@link #DIVERGED} before its tolerance logs one {@code WARNING} on the
 * optimizer's logger.
 */
public enum StopReason {
    /**
     * Converged: the run's estimate of its optimality gap {@code f - f*} fell to
     * {@code tolerance * |f|} (half the Newton decrement of the solver's own curvature model, see
     * {@link FgnOptions#tolerance()}), or the gradient is exactly zero. The only reason for which
     * {@link TrainingResult#converged()} is true.
     */
    CONVERGED,
    /**
     * Progress stalled: FGN's relative decrease stayed below 1e-10 for 3 accepted steps in a row;
     * L-BFGS's fell below 1e-15 once, or its line search failed on a steepest-descent direction.
     */
    STALLED,
    /** A step was rejected with the damping already at its maximum. */
    DAMPING_LIMIT,
    /** The iteration budget ran out before the run converged. */
    MAX_ITERATIONS,
    /**
     * The objective reached the requested target ({@link FgnOptions#targetObjective()}, or
     * {@code FirstOrderOptions.targetObjective()} for L-BFGS and the first-order baselines).
     */
    TARGET_REACHED,
    /** The wall-clock budget ran out before the run converged. */
    TIME_LIMIT,
    /**
     * The objective became non-finite or exceeded its divergence threshold (first-order
     * baselines, which have no step rejection), or the gradient norm became non-finite after the
     * start (any solver); the result holds the last finite iterate. A mini-batch FGN or Newton run
     * whose full objective ends above its start also stops with it, and returns the best point the
     * full objective saw (the start or an epoch's point).
     */
    DIVERGED,
    /**
     * The training thread was interrupted ({@link Thread#interrupt()}, e.g. a notebook's interrupt
     * button). The run returns its current iterate instead of throwing, and the thread's interrupt
     * flag is left set so the caller still sees the interrupt.
     */
    INTERRUPTED,
    /** A {@link TrainingListener} asked the run to stop ({@link TrainingListener#stopRequested()}). */
    STOPPED_BY_LISTENER
}
