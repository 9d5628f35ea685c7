package io.github.fastgn.optim;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Logs every {@code interval}-th iteration, each epoch and the end of training through
 * {@code java.util.logging} at a chosen level, in the spirit of Tribuo's {@code loggingInterval}.
 */
public final class LoggingListener implements TrainingListener {

    private static final Logger LOG = Logger.getLogger(LoggingListener.class.getName());

    private final int interval;
    private final Level level;

    /**
     * @param interval log every this many iterations (at least 1)
     * @param level    the level to log at
     */
    public LoggingListener(int interval, Level level) {
        if (interval < 1) {
            throw new IllegalArgumentException("interval must be at least 1, got " + interval);
        }
        this.interval = interval;
        this.level = level;
    }

    @Override
    public void trainingStarted(String solver, int maxIterations) {
        LOG.log(level, "training with solver " + solver + ", at most " + maxIterations + " iterations");
    }

    @Override
    public void iterationFinished(IterationRecord record) {
        if (record.iteration() % interval == 0 && LOG.isLoggable(level)) {
            LOG.log(level, record.toLine());
        }
    }

    @Override
    public void epochFinished(int epoch, double objective, double gradientNorm) {
        if (LOG.isLoggable(level)) {
            LOG.log(level, String.format(java.util.Locale.ROOT, "epoch %d: objective %.10e, |grad| %.3e", epoch,
                    objective, gradientNorm));
        }
    }

    @Override
    public void trainingFinished(TrainingResult result) {
        if (LOG.isLoggable(level)) {
            LOG.log(level, String.format(java.util.Locale.ROOT,
                    "finished: %d iterations (%s), objective %.12e, |grad| %.3e, %.3f s", result.iterations(),
                    result.stopReason(), result.objective(), result.gradientNorm(), result.elapsedSeconds()));
        }
    }
}
