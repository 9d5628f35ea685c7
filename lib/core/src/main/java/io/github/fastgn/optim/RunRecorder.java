package io.github.fastgn.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * The bookkeeping every {@link HeadOptimizer} run shares: the clock, the history and the
 * listeners. Optimizers create one per run.
 */
public final class RunRecorder {

    private final List<TrainingListener> listeners;
    private final List<IterationRecord> history = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    public RunRecorder(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Seconds since this recorder was created. */
    public double elapsed() {
        return (System.nanoTime() - startNanos) * 1e-9;
    }

    public void started(String solver, int maxIterations) {
        for (TrainingListener l : listeners) {
            l.trainingStarted(solver, maxIterations);
        }
    }

    /** Keeps the record and passes it to the listeners. */
    public void record(IterationRecord r) {
        history.add(r);
        for (TrainingListener l : listeners) {
            l.iterationFinished(r);
        }
    }

    public void epochFinished(int epoch, double objective, double gradientNorm) {
        for (TrainingListener l : listeners) {
            l.epochFinished(epoch, objective, gradientNorm);
        }
    }

    /** Builds the result, tells the listeners, and returns it. */
    public TrainingResult finish(double[] weights, double objective, double gradientNorm, int iterations, int epochs,
                                 String solver, StopReason reason) {
        TrainingResult result = new TrainingResult(weights.clone(), objective, gradientNorm, iterations, epochs, solver,
                reason, history, elapsed());
        for (TrainingListener l : listeners) {
            l.trainingFinished(result);
        }
        return result;
    }
}
