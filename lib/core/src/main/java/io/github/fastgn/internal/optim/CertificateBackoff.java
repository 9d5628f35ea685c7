package io.github.fastgn.internal.optim;

/**
 * When a run pays for a convergence certificate (one solve for the exact Newton decrement, ALGORITHM.md
 * §3 "Stopping"). A run tries one once a cheap estimate of the gap (FGN: the step's model decrease, a
 * lower bound; L-BFGS: its inverse-Hessian model) is within the tolerance. In a slow tail the cheap
 * estimate can sit there for many steps while the gap does not, and a certificate every step would
 * cost a solve each. So the ratio a failed certificate found between the gap and the cheap estimate
 * is kept, and the next certificate waits until the cheap estimate times that ratio is within the
 * tolerance; the ratio halves at every step that waits, so a certificate comes at the latest
 * {@code log2(ratio)} steps later. One per run; not thread-safe.
 */
public final class CertificateBackoff {

    /** Waiting steps after a certificate that failed without a ratio (the solve did not finish). */
    private static final double AFTER_FAILED_SOLVE = 16;

    private double ratio = 1;

    /**
     * {@code NaN} when a certificate is due now for the cheap estimate {@code cheap} (at most
     * {@code bound}); otherwise the estimate to use instead, {@code cheap} times the kept ratio,
     * which is above {@code bound} (and the ratio halves).
     */
    public double waitEstimate(double cheap, double bound) {
        double estimate = cheap * ratio;
        if (estimate <= bound) {
            return Double.NaN;
        }
        ratio = Math.max(1, ratio / 2);
        return estimate;
    }

    /** Records a certificate's gap {@code gap} (NaN: the solve failed) for the cheap estimate {@code cheap}. */
    public void certified(double gap, double cheap, double bound) {
        if (gap <= bound) {
            ratio = 1;
        } else if (Double.isFinite(gap) && cheap > 0) {
            ratio = Math.max(2, gap / cheap); // not converged: wait at least one step
        } else {
            ratio = AFTER_FAILED_SOLVE;
        }
    }
}
