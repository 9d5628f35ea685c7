package io.github.fastgn.optim;

import java.util.List;

/**
 * The outcome of an optimizer run on given features. Immutable: the weights are copied in and
 * {@link #weights()} returns a fresh copy on every call (keep it in a local when reading it in a
 * loop); the history is an unmodifiable list.
 *
 * @param weights        final parameters {@code [W | b]}, row-major {@code K x (d+1)}
 * @param objective      final objective on the full training data
 * @param gradientNorm   norm of its gradient (at the returned weights, on the full training data)
 * @param iterations     iterations run (including rejected steps)
 * @param epochs         epochs of the mini-batch stream (mini-batch mode; equals iterations in full batch)
 * @param dataPasses     passes over the training features: the feature rows the run's products read
 *                       (logits, gradients, curvature and line products, on all rows, a sample or a
 *                       batch) divided by the number of training rows, so one read of every row is one
 *                       pass and a read of a sample of {@code m} rows counts {@code m / n}
 * @param solver         the resolved solver name
 * @param stopReason     why the run stopped
 * @param history        one record per iteration
 * @param elapsedSeconds wall-clock time of the run
 */
public record TrainingResult(double[] weights, double objective, double gradientNorm, int iterations, int epochs,
                             double dataPasses, String solver, StopReason stopReason, List<IterationRecord> history,
                             double elapsedSeconds) {

    public TrainingResult {
        weights = weights.clone();
        history = List.copyOf(history);
    }

    /**
     * Whether the run converged ({@link StopReason#CONVERGED}): its estimate of the optimality gap
     * reached the tolerance. False for every other stop reason, budgets and stalls included.
     */
    public boolean converged() {
        return stopReason == StopReason.CONVERGED;
    }

    /** A copy of the final parameters {@code [W | b]}. */
    @Override
    public double[] weights() {
        return weights.clone();
    }
}
