package io.github.fastgn.optim;

/**
 * One optimizer iteration, as delivered to {@link TrainingListener}s and kept in the history.
 *
 * @param iteration      1-based iteration number (rejected steps count)
 * @param epoch          passes over the training data completed before this step (0 in full batch
 *                       until the first step, which is one pass)
 * @param objective      objective after the iteration: on the full data in full-batch mode, on the
 *                       step's mini-batch in mini-batch mode
 * @param gradientNorm   Euclidean norm of the gradient of that objective after the iteration
 * @param lambda         damping used for this step's solve
 * @param alpha          accepted step length (0 when rejected)
 * @param cgIterations   operator applications of the solve (0 for direct solvers)
 * @param guardRatio     {@code r = tau / rho_a}: the trial step's length relative to the
 *                       Ghosts-of-Softmax radius, {@code alpha0 * maxSpread / pi} ({@code NaN} if
 *                       the direction does not move any logit spread)
 * @param guardBound     whether the guard capped the step
 * @param accepted       whether the step was taken
 * @param elapsedSeconds wall-clock time since training started
 */
public record IterationRecord(int iteration, int epoch, double objective, double gradientNorm, double lambda,
                              double alpha, int cgIterations, double guardRatio, boolean guardBound,
                              boolean accepted, double elapsedSeconds) {

    /** A compact one-line form for logs and consoles. */
    public String toLine() {
        return String.format(java.util.Locale.ROOT,
                "it %4d  ep %3d  f %.10e  |g| %.3e  lambda %.2e  alpha %.3f  cg %3d  r %.3f%s%s  %.2fs",
                iteration, epoch, objective, gradientNorm, lambda, alpha, cgIterations, guardRatio,
                guardBound ? " guard" : "", accepted ? "" : " rejected", elapsedSeconds);
    }
}
