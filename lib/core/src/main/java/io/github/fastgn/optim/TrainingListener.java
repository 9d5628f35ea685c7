package io.github.fastgn.optim;

/**
 * Observes a training run. Callbacks arrive on the training thread; keep them cheap. Every
 * method has an empty default, so a listener overrides only what it needs.
 *
 * <p>An exception thrown by a callback ends the run: it propagates unchanged to the caller of
 * {@code optimize} or {@code fit} (no result is returned). One listener may observe several runs,
 * one after another; it is told of each by {@link #trainingStarted} and {@link #trainingFinished}.
 */
public interface TrainingListener {

    /**
     * Training is about to start.
     *
     * @param solver        the resolved solver name
     * @param maxIterations the iteration budget (for progress displays)
     */
    default void trainingStarted(String solver, int maxIterations) {
    }

    /** An iteration has finished (accepted or rejected). */
    default void iterationFinished(IterationRecord record) {
    }

    /**
     * A pass over the training data has finished (mini-batch mode only).
     *
     * @param epoch        1-based epoch number
     * @param objective    objective on the full training data
     * @param gradientNorm norm of its gradient
     */
    default void epochFinished(int epoch, double objective, double gradientNorm) {
    }

    /**
     * Polled at every step boundary (before each iteration, on the training thread): return
     * {@code true} to stop the run, which then returns its current iterate with
     * {@link StopReason#STOPPED_BY_LISTENER}. Keep it cheap (e.g. read a volatile flag set from
     * another thread, or a condition computed in {@link #iterationFinished}).
     */
    default boolean stopRequested() {
        return false;
    }

    /** Training has finished. */
    default void trainingFinished(TrainingResult result) {
    }
}
