package io.github.fastgn.internal.optim;

import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scaffold every {@link HeadOptimizer} run shares: the clock, the {@link StopRules} (with the
 * convergence test {@link #convergedAt}), the history, the listeners, logging (with the
 * convergence warning of a run that ends before its tolerance), and the final divergence check. An optimizer creates one per
 * run and drives it:
 *
 * <pre>{@code
 * run.started(maxIterations, description);
 * while ((reason = run.stopBefore(g, g0, it)) == null) {
 *     ... one iteration: a step, and from it an estimate of the gap f - f* ...
 *     run.record(it, epoch, f, g, ...);
 *     if ((reason = run.convergedAt(gap, fBefore)) != null) break;
 *     if (accepted && (reason = run.afterAccepted(fBefore, f)) != null) break;
 * }
 * return run.finish(weights, f, g, it, epochs, passes, reason);
 * }</pre>
 *
 * Not thread safe; callbacks arrive on the training thread.
 */
public final class TrainingRun {

    private final String solver;
    private final StopRules rules;
    private final Logger log;
    private final List<TrainingListener> listeners;
    private final List<IterationRecord> history = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private int stalled;

    /**
     * @param solver    the name reported to listeners and in the result (the resolved solver, or the method)
     * @param listeners observers of this run (copied)
     * @param rules     when to stop
     * @param log       where progress is logged (FINE: start, epochs, finish; FINER: every iteration)
     */
    public TrainingRun(String solver, List<TrainingListener> listeners, StopRules rules, Logger log) {
        this.solver = solver;
        this.rules = rules;
        this.log = log;
        this.listeners = List.copyOf(listeners);
    }

    public String solver() {
        return solver;
    }

    public StopRules rules() {
        return rules;
    }

    /** Seconds since this run was created. */
    public double elapsed() {
        return (System.nanoTime() - startNanos) * 1e-9;
    }

    /** Logs the start ({@code description} is only built if FINE is on) and tells the listeners. */
    public void started(int maxIterations, Supplier<String> description) {
        if (log.isLoggable(Level.FINE)) {
            log.fine(description.get());
        }
        for (TrainingListener l : listeners) {
            l.trainingStarted(solver, maxIterations);
        }
    }

    /**
     * Why the run stops before iteration {@code it + 1}, or null to go on: an interrupt of the
     * training thread (checked first; the flag is left set), a listener's
     * {@link TrainingListener#stopRequested() stop request}, an exactly zero gradient (converged),
     * the iteration budget, the time budget. The gap test of {@link #convergedAt} needs the step an
     * optimizer computes in the iteration, so it is checked there. Optimizers call it at every step boundary, so an interrupt or a stop
     * request is honoured within one step.
     *
     * <p>A non-finite gradient norm ({@code g} or {@code g0}) never counts as converged: it is
     * checked before everything else, so {@link StopReason#CONVERGED} is only ever
     * returned for finite {@code g} and {@code g0}. Later in the run ({@code it > 0}) it is
     * divergence: {@link StopReason#DIVERGED} (and {@link #finish} still throws if the parameters or
     * the objective are not finite).
     *
     * @throws IllegalArgumentException at the start ({@code it == 0}) if {@code g} or {@code g0} is
     *                                  not finite: the features' magnitudes cannot be represented by
     *                                  the objective
     */
    public StopReason stopBefore(double g, double g0, int it) {
        if (!Double.isFinite(g) || !Double.isFinite(g0)) {
            if (it == 0) {
                throw notRepresentable("gradient norm", Double.isFinite(g) ? g0 : g);
            }
            return StopReason.DIVERGED;
        }
        if (Thread.currentThread().isInterrupted()) {
            return StopReason.INTERRUPTED;
        }
        for (TrainingListener l : listeners) {
            if (l.stopRequested()) {
                return StopReason.STOPPED_BY_LISTENER;
            }
        }
        if (g == 0 && !Double.isNaN(rules.tolerance())) {
            return StopReason.CONVERGED; // a stationary point of a convex objective: the optimum
        }
        if (it >= rules.maxIterations()) {
            return StopReason.MAX_ITERATIONS;
        }
        return outOfTime() ? StopReason.TIME_LIMIT : null;
    }

    /**
     * Checks the objective at the starting point.
     *
     * @throws IllegalArgumentException if {@code objective} is not finite: the features' magnitudes
     *                                  cannot be represented by the objective
     */
    public static void requireFiniteStart(double objective) {
        requireFiniteStart("objective", objective);
    }

    /**
     * Checks a quantity the run derives from the starting point before its first step (the
     * curvature's scale that sets the first damping, say).
     *
     * @throws IllegalArgumentException as {@link #requireFiniteStart}, naming {@code what}
     */
    public static void requireFiniteStart(String what, double value) {
        if (!Double.isFinite(value)) {
            throw notRepresentable(what, value);
        }
    }

    private static IllegalArgumentException notRepresentable(String what, double value) {
        return new IllegalArgumentException("the " + what + " at the starting point is " + value
                + ": the features' magnitudes (or the starting point's) cannot be represented by the objective in"
                + " double precision; train with standardize=true, or rescale the features (e.g. divide them by"
                + " their largest magnitude), or start from smaller weights (a null start is zero)");
    }

    /**
     * The convergence test: {@link StopReason#CONVERGED} if the tolerance is on and
     * {@code gapEstimate}, the optimizer's estimate of {@code f - f*} at a point with objective
     * {@code objective}, is at most {@code tolerance max(|objective|, MIN_NORMAL)}; else null.
     *
     * <p>The estimate is half the Newton decrement of the optimizer's curvature model {@code M},
     * {@code g^T M^-1 g / 2}, read off the step it solved anyway (ALGORITHM.md §3, "Stopping"): it
     * is invariant to a rescaling of the features and does not depend on the starting point. A NaN
     * estimate (no trustworthy one at this step) never converges.
     */
    public StopReason convergedAt(double gapEstimate, double objective) {
        double tol = rules.tolerance();
        return tol >= 0 && gapEstimate >= 0 && Double.isFinite(objective)
                && gapEstimate <= tol * Math.max(Math.abs(objective), Double.MIN_NORMAL)
                ? StopReason.CONVERGED : null;
    }

    /** Whether the time budget is spent. */
    public boolean outOfTime() {
        return rules.maxSeconds() > 0 && elapsed() > rules.maxSeconds();
    }

    /**
     * The rules checked after an accepted step from objective {@code before} to {@code after}:
     * {@link StopReason#TARGET_REACHED}, then {@link StopReason#STALLED}; null to go on.
     * Call it once per accepted step (it counts stalling steps).
     */
    public StopReason afterAccepted(double before, double after) {
        boolean stall = rules.stallSteps() > 0 && countStall(before, after);
        if (after <= rules.targetObjective()) {
            return StopReason.TARGET_REACHED;
        }
        return stall ? StopReason.STALLED : null;
    }

    private boolean countStall(double before, double after) {
        stalled = before - after <= rules.stallDecrease() * Math.max(Math.abs(after), rules.stallFloor())
                ? stalled + 1 : 0;
        return stalled >= rules.stallSteps();
    }

    /** Records an iteration: keeps it in the history, logs it (FINER) and tells the listeners. */
    public IterationRecord record(int iteration, int epoch, double objective, double gradientNorm, double lambda,
                                  double alpha, int cgIterations, double guardRatio, boolean guardBound,
                                  boolean accepted) {
        IterationRecord r = new IterationRecord(iteration, epoch, objective, gradientNorm, lambda, alpha, cgIterations,
                guardRatio, guardBound, accepted, elapsed());
        history.add(r);
        if (log.isLoggable(Level.FINER)) {
            log.finer(r.toLine());
        }
        for (TrainingListener l : listeners) {
            l.iterationFinished(r);
        }
        return r;
    }

    /** A pass over the data has finished (mini-batch): logs it (FINE) and tells the listeners. */
    public void epochFinished(int epoch, double objective, double gradientNorm) {
        for (TrainingListener l : listeners) {
            l.epochFinished(epoch, objective, gradientNorm);
        }
        if (log.isLoggable(Level.FINE)) {
            log.fine(String.format(Locale.ROOT, "epoch %d: objective %.10e, |grad| %.3e", epoch, objective,
                    gradientNorm));
        }
    }

    /** The iterations recorded so far (an unmodifiable copy). */
    public List<IterationRecord> history() {
        return List.copyOf(history);
    }

    /**
     * Builds the result (with a copy of {@code weights}), logs it and tells the listeners.
     *
     * @param dataPasses the run's passes over the training features ({@link TrainingResult#dataPasses()})
     *
     * @throws ArithmeticException if the parameters or the objective are not finite: the run diverged
     */
    public TrainingResult finish(double[] weights, double objective, double gradientNorm, int iterations, int epochs,
                                 double dataPasses, StopReason reason) {
        if (!allFinite(weights) || !Double.isFinite(objective)) {
            throw new ArithmeticException("training diverged: the parameters are not finite after " + iterations
                    + " iterations; lower the initial step (raise initialDamping, or the learning rate for a"
                    + " first-order method) or enable the guard");
        }
        TrainingResult result = new TrainingResult(weights, objective, gradientNorm, iterations, epochs, dataPasses,
                solver, reason, history, elapsed());
        if (reason == StopReason.INTERRUPTED) {
            Thread.currentThread().interrupt(); // re-asserted: the caller still sees the interrupt
        }
        warnIfNotConverged(result);
        if (log.isLoggable(Level.FINE)) {
            log.fine(String.format(Locale.ROOT, "finished after %d iterations (%s): objective %.12e,"
                    + " |grad| %.3e, %.1f passes over the data, %.3f s", iterations, reason, objective, gradientNorm,
                    dataPasses, result.elapsedSeconds()));
        }
        for (TrainingListener l : listeners) {
            l.trainingFinished(result);
        }
        return result;
    }

    /**
     * The convergence warning, once per run: a run that asked for a tolerance ({@code > 0}) and
     * ended on a budget, a stall or the damping limit before reaching it, or any run that diverged,
     * logs a {@code WARNING} naming the reason, the final objective and gradient norm, and what to
     * change. A run stopped on request (interrupt, listener, target objective) or without a
     * tolerance ({@code 0}: run the whole budget, as asked) logs this at FINE only, unless it
     * stalled or hit the damping limit at its first step (badly scaled features, say): that run did
     * not run its budget, and it warns.
     */
    private void warnIfNotConverged(TrainingResult result) {
        StopReason reason = result.stopReason();
        if (reason == StopReason.CONVERGED) {
            return;
        }
        boolean requested = reason == StopReason.INTERRUPTED || reason == StopReason.STOPPED_BY_LISTENER
                || reason == StopReason.TARGET_REACHED;
        // a stall or a damping limit at the first step did not run the budget, whatever the tolerance
        boolean atStart = (reason == StopReason.STALLED || reason == StopReason.DAMPING_LIMIT)
                && result.iterations() <= 1;
        boolean warn = reason == StopReason.DIVERGED || atStart || !requested && rules.tolerance() > 0;
        Level level = warn ? Level.WARNING : Level.FINE;
        if (log.isLoggable(level)) {
            log.log(level, String.format(Locale.ROOT, "%s did not converge: stopped by %s after %d iterations"
                            + " (objective %.12e, |grad| %.3e, tolerance %s)%s", solver, reason,
                    result.iterations(), result.objective(), result.gradientNorm(), rules.tolerance(),
                    warn ? advice(reason) : ""));
        }
    }

    private static String advice(StopReason reason) {
        switch (reason) {
            case MAX_ITERATIONS:
                return "; raise maxIterations, or train in full batch with a second-order solver";
            case TIME_LIMIT:
                return "; raise maxSeconds";
            case DIVERGED:
                return "; take shorter steps: for FGN and Newton turn the guard on, raise initialDamping or"
                        + " batchSize, or standardise the features; for a first-order method lower its learning rate";
            case DAMPING_LIMIT:
                return "; a step was rejected at maxDamping: standardise the features, or raise maxDamping";
            default:
                return "; the objective stopped decreasing in floating point before the tolerance was certified:"
                        + " standardise the features, or loosen the tolerance";
        }
    }

    /** Whether every entry is finite. */
    public static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The Euclidean norm. */
    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** The dot product over {@code a}'s length. */
    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
