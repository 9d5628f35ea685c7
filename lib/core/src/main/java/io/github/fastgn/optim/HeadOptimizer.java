package io.github.fastgn.optim;

import io.github.fastgn.data.LabelledData;

/**
 * Trains a linear softmax head {@code z = W x + b} on fixed features: minimises
 * {@code sum_i c_i CE(z_i, y_i) / sum_i c_i + l2/2 ||W||^2} (bias not penalised). FGN, Newton and
 * every first-order baseline implement this, so runners and notebooks can swap methods.
 */
public interface HeadOptimizer {

    /** A short name for tables and legends ("FGN", "Adam", ...). */
    String name();

    /**
     * Adds a listener for the following runs; returns this.
     *
     * @throws IllegalArgumentException if {@code listener} is null
     */
    HeadOptimizer addListener(TrainingListener listener);

    /**
     * Runs the optimizer on the features as given (no standardisation) from {@code start}. Neither
     * the data nor {@code start} is modified.
     *
     * <p>Stopping a run: every implementation checks, at each step boundary, whether the calling
     * thread was interrupted and whether a listener {@link TrainingListener#stopRequested() asks to
     * stop}. An interrupted run does not throw: it returns its current (finite) iterate with
     * {@link StopReason#INTERRUPTED} and leaves the thread's interrupt flag set; a listener's request
     * gives {@link StopReason#STOPPED_BY_LISTENER}. Either takes effect within one step.
     *
     * @param data  the examples (shape, labels, values and weights were checked when it was built)
     * @param start initial {@code [W | b]} ({@code k x (d+1)}, row-major, finite), or null for zeros
     * @throws IllegalArgumentException if {@code data} is null or {@code start} has the wrong length or a
     *                                  non-finite entry
     */
    TrainingResult optimize(LabelledData data, double[] start);

    /** {@link #optimize(LabelledData, double[])} from zero weights. */
    default TrainingResult optimize(LabelledData data) {
        return optimize(data, null);
    }
}
