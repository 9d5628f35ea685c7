package io.github.fastgn.internal.optim;

/**
 * When a {@link TrainingRun} stops, shared by FGN, Newton, L-BFGS and the first-order baselines.
 * Build with {@link #of} and the {@code with...} methods; every rule but the iteration budget can
 * be switched off.
 *
 * @param tolerance         the convergence test: the run has converged once its estimate of the
 *                          optimality gap {@code f - f*} is at most {@code tolerance max(|f|, MIN_NORMAL)}
 *                          ({@link TrainingRun#convergedAt}), or the gradient is exactly zero;
 *                          {@code NaN} switches the rule off (0 converges only at a zero gradient)
 * @param maxIterations     iteration budget (rejected steps count)
 * @param maxSeconds        wall-clock budget in seconds; 0 for none
 * @param stallDecrease     an accepted step "stalls" when the decrease
 *                          {@code f_before - f_after <= stallDecrease max(|f_after|, stallFloor)}
 * @param stallFloor        the floor of that scale
 * @param stallSteps        stop after this many stalling accepted steps in a row; 0 switches the
 *                          rule off
 * @param targetObjective   stop once an accepted step reaches an objective at or below this;
 *                          {@code -infinity} switches the rule off
 */
public record StopRules(double tolerance, int maxIterations, double maxSeconds, double stallDecrease,
                        double stallFloor, int stallSteps, double targetObjective) {

    public StopRules {
        if (maxIterations < 0 || maxSeconds < 0 || stallSteps < 0 || Double.isNaN(targetObjective)) {
            throw new IllegalArgumentException("invalid stop rules: " + maxIterations + " iterations, "
                    + maxSeconds + " s, " + stallSteps + " stall steps, target " + targetObjective);
        }
    }

    /** A gap tolerance ({@code NaN}: none), an iteration and a time budget; no stall or target rule. */
    public static StopRules of(double tolerance, int maxIterations, double maxSeconds) {
        return new StopRules(tolerance, maxIterations, maxSeconds, 0, 0, 0, Double.NEGATIVE_INFINITY);
    }

    /** These rules with the stall rule {@code (decrease, floor, steps)}. */
    public StopRules withStall(double decrease, double floor, int steps) {
        return new StopRules(tolerance, maxIterations, maxSeconds, decrease, floor, steps, targetObjective);
    }

    /** These rules with a target objective ({@code -infinity}: none). */
    public StopRules withTarget(double target) {
        return new StopRules(tolerance, maxIterations, maxSeconds, stallDecrease, stallFloor, stallSteps,
                target);
    }
}
