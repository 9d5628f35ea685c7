package io.github.fastgn.optim;

import io.github.fastgn.internal.optim.TrainingRun;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.solver.StepSolver;

import java.util.logging.Logger;

/**
 * The step-length search of SPEC 3 along a solved step {@code s}: the Ghosts-of-Softmax guard
 * {@code alpha0 = min(1, c pi / max_i spread(dZ_i))}, Armijo backtracking from {@code alpha0}
 * ({@code c1 = 1e-4}, halving, at most 20 trials) on the affine logits of a {@link Line}, and the
 * ratio {@code rho} of actual to predicted decrease, the prediction from the solver's quadratic
 * model (its curvature along the step, plus the L2 term and the FGN-D diagonal).
 */
final class StepSearch {

    private static final Logger LOG = Logger.getLogger(FgnOptimizer.class.getName());

    static final double ARMIJO_C1 = 1e-4;
    static final int MAX_BACKTRACKS = 20;

    private final boolean guard;
    private final double guardScale;
    private final double gamma;
    private final int d;
    private final int k;

    /**
     * @param guard      whether the Ghosts-of-Softmax guard caps the first trial
     * @param guardScale its {@code c}
     * @param gamma      the L2 weight on W
     */
    StepSearch(boolean guard, double guardScale, double gamma, int d, int k) {
        this.guard = guard;
        this.guardScale = guardScale;
        this.gamma = gamma;
        this.d = d;
        this.k = k;
    }

    /**
     * The outcome of a search.
     *
     * @param armijo     whether a step length passed the Armijo test
     * @param alpha      that step length (0 if none)
     * @param alpha0     the first trial (0 if the step was rejected before the search)
     * @param rho        actual over predicted decrease at {@code alpha} (NaN without an Armijo step)
     * @param guardRatio {@code alpha0 maxSpread / pi} (NaN if the step moves no spread or was rejected early)
     * @param guardBound whether the guard capped the first trial
     * @param slope      {@code h . s} (NaN if the step was rejected before the search)
     * @param curvature  {@code s^T M s} of the solver's undamped model {@code M} (its curvature, the L2
     *                   term and the FGN-D diagonal; NaN if rejected before the search)
     */
    record Trial(boolean armijo, double alpha, double alpha0, double rho, double guardRatio, boolean guardBound,
                 double slope, double curvature) {
        /** A step rejected before the search: no solve, or not a finite descent direction. */
        static final Trial REJECTED = new Trial(false, 0, 0, Double.NaN, Double.NaN, false, Double.NaN,
                Double.NaN);

        /**
         * The decrease the undamped model predicts at the best length along the step,
         * {@code (h.s)^2 / (2 s^T M s)}: for an exact, undamped solve, half the Newton decrement
         * {@code h^T M^-1 h / 2} of the model, and for any step a lower bound of it (Cauchy-Schwarz
         * in the {@code M} norm), the estimate of {@code f - f*} the convergence test uses (NaN if
         * rejected early).
         *
         * <p>Why the best length and not the full step's {@code -(h.s + s^T M s / 2)} (which it
         * bounds from above): a step solved on a sampled curvature or loosely can overshoot along
         * the all-rows model, and the full step's decrease is then at or below zero, which the
         * convergence test read as converged-enough to pay for a certificate solve (up to
         * {@code maxCgIterations} products at the least damping) that failed: on Fashion-MNIST pixels
         * (8192-row sample) six such solves were 164 of a run's 304 passes over the data. A model with
         * no positive curvature along the step falls back to the full step's decrease.
         */
        double modelDecrease() {
            if (curvature > 0 && slope < 0) {
                return slope * slope / (2 * curvature);
            }
            return -(slope + 0.5 * curvature);
        }
    }

    /** The guard's largest step length {@code c pi / spread} (infinite for a step that moves no spread). */
    static double guardCap(double spread, double c) {
        return spread > 0 ? c * Math.PI / spread : Double.POSITIVE_INFINITY;
    }

    /**
     * Searches along {@code s} from {@code wt} with objective {@code f} and gradient {@code h}.
     *
     * @param dropped the FGN-D dropped-term diagonal added to the model, or null
     * @param kind    the curvature of the solver's model
     */
    Trial search(Line line, double[] wt, double[] h, double[] s, double f, double[] dropped,
                 StepSolver.Curvature kind) {
        double hs = TrainingRun.dot(h, s);
        if (!(hs < 0) || !TrainingRun.allFinite(s)) {
            // not a descent direction (a solver breakdown or overflow): reject, raise damping
            LOG.fine("step rejected: not a finite descent direction (h.s = " + hs + ")");
            return Trial.REJECTED;
        }
        double spread = line.direction(s);
        double cap = guardCap(spread, guardScale);
        double alpha0 = guard ? Math.min(1.0, cap) : 1.0;
        boolean guardBound = guard && cap < 1.0;
        double guardRatio = spread > 0 ? alpha0 * spread / Math.PI : Double.NaN;
        double curvature = line.curvatureAlong(kind);
        double[] products = HeadBatch.weightProducts(wt, s, d, k);
        double ww = products[0];
        double ws = products[1];
        double ss = products[2];
        curvature += gamma * ss;
        if (dropped != null) {
            for (int t = 0; t < s.length; t++) {
                curvature += dropped[t] * s[t] * s[t];
            }
        }
        double a = alpha0;
        for (int trial = 0; trial < MAX_BACKTRACKS; trial++) {
            double fa = line.dataLossAlong(a) + 0.5 * gamma * (ww + 2 * a * ws + a * a * ss);
            if (Double.isFinite(fa) && fa <= f + ARMIJO_C1 * a * hs) {
                double predicted = -(a * hs + 0.5 * a * a * curvature);
                return new Trial(true, a, alpha0, (f - fa) / predicted, guardRatio, guardBound, hs, curvature);
            }
            a *= 0.5;
        }
        LOG.fine("step rejected: Armijo search failed");
        return new Trial(false, 0, alpha0, Double.NaN, guardRatio, guardBound, hs, curvature);
    }
}
