package io.github.fastgn.optim;

import java.util.List;

/**
 * The outcome of an optimizer run on given features.
 *
 * @param weights        final parameters {@code [W | b]}, row-major {@code K x (d+1)}
 * @param objective      final objective on the full training data
 * @param gradientNorm   norm of its gradient
 * @param iterations     iterations run (including rejected steps)
 * @param epochs         passes over the data (mini-batch mode; equals iterations in full batch)
 * @param solver         the resolved solver name
 * @param stopReason     why the run stopped
 * @param history        one record per iteration
 * @param elapsedSeconds wall-clock time of the run
 */
public record TrainingResult(double[] weights, double objective, double gradientNorm, int iterations, int epochs,
                             String solver, StopReason stopReason, List<IterationRecord> history,
                             double elapsedSeconds) {

    public TrainingResult {
        history = List.copyOf(history);
    }
}
