package io.github.fastgn.optim;

import io.github.fastgn.internal.solver.StepSolver;
import io.github.fastgn.testing.QuietTestBase;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link StepSearch}: the guard cap, Armijo backtracking and the ratio, on a quadratic line. */
class StepSearchTest extends QuietTestBase {

    /** d = 1, K = 2: four parameters; gamma = 0 so the objective is the line's data loss. */
    private static final int D = 1;
    private static final int K = 2;

    /** The data loss {@code f0 + a hs + a^2 trueCurvature / 2} along the step; the model's curvature is {@code modelCurvature}. */
    private static final class Quadratic implements Line {
        final double f0;
        final double hs;
        final double trueCurvature;
        final double modelCurvature;
        final double spread;
        int trials;

        Quadratic(double f0, double hs, double trueCurvature, double modelCurvature, double spread) {
            this.f0 = f0;
            this.hs = hs;
            this.trueCurvature = trueCurvature;
            this.modelCurvature = modelCurvature;
            this.spread = spread;
        }

        @Override
        public double direction(double[] step) {
            return spread;
        }

        @Override
        public double curvatureAlong(StepSolver.Curvature kind) {
            return modelCurvature;
        }

        @Override
        public double dataLossAlong(double a) {
            trials++;
            return f0 + a * hs + 0.5 * a * a * trueCurvature;
        }
    }

    /** Gradient h = (1, 0, 0, 0) and step s = (-1, 0, 0, 0): h.s = -1. */
    private static final double[] H = {1, 0, 0, 0};
    private static final double[] S = {-1, 0, 0, 0};
    private static final double[] W = new double[4];

    @Test
    void guardCapIsCPiOverSpread() {
        assertEquals(0.5 * Math.PI / 7.0, StepSearch.guardCap(7.0, 0.5), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, StepSearch.guardCap(0.0, 1.0));
    }

    @Test
    void exactModelTakesTheFullStepWithRatioOne() {
        StepSearch search = new StepSearch(true, 1.0, 0.0, D, K);
        Quadratic line = new Quadratic(2.0, -1.0, 1.0, 1.0, 1.0);
        StepSearch.Trial t = search.search(line, W, H, S, 2.0, null, StepSolver.Curvature.FGN);
        assertTrue(t.armijo());
        assertFalse(t.guardBound(), "spread 1 < pi: the guard does not bind");
        assertEquals(1.0, t.alpha0());
        assertEquals(1.0, t.alpha());
        assertEquals(1.0, t.rho(), 1e-15);
        assertEquals(1.0 / Math.PI, t.guardRatio(), 1e-15);
        assertEquals(1, line.trials);
    }

    @Test
    void guardCapsTheFirstTrial() {
        double spread = 10.0;
        StepSearch search = new StepSearch(true, 0.5, 0.0, D, K);
        Quadratic line = new Quadratic(2.0, -1.0, 1.0, 1.0, spread);
        StepSearch.Trial t = search.search(line, W, H, S, 2.0, null, StepSolver.Curvature.FGN);
        assertTrue(t.guardBound());
        assertEquals(0.5 * Math.PI / spread, t.alpha0(), 0.0);
        assertEquals(t.alpha0(), t.alpha(), 0.0, "Armijo holds at the capped length");
        assertEquals(0.5, t.guardRatio(), 1e-15, "r = alpha0 spread / pi = c");
        StepSearch off = new StepSearch(false, 0.5, 0.0, D, K);
        StepSearch.Trial free = off.search(new Quadratic(2.0, -1.0, 1.0, 1.0, spread), W, H, S, 2.0, null,
                StepSolver.Curvature.FGN);
        assertFalse(free.guardBound());
        assertEquals(1.0, free.alpha());
    }

    @Test
    void armijoHalvesUntilSufficientDecrease() {
        // true curvature 10: a hs + 5 a^2 <= 1e-4 a hs  <=>  a <= 2 (1 - 1e-4) / 10 ~ 0.19998: 1, 0.5, 0.25, 0.125
        StepSearch search = new StepSearch(false, 1.0, 0.0, D, K);
        Quadratic line = new Quadratic(2.0, -1.0, 10.0, 1.0, 1.0);
        StepSearch.Trial t = search.search(line, W, H, S, 2.0, null, StepSolver.Curvature.FGN);
        assertTrue(t.armijo());
        assertEquals(0.125, t.alpha());
        assertEquals(4, line.trials);
        double a = 0.125;
        double actual = -(a * -1.0 + 0.5 * a * a * 10.0);
        double predicted = -(a * -1.0 + 0.5 * a * a * 1.0);
        assertEquals(actual / predicted, t.rho(), 1e-15);
    }

    @Test
    void nonDescentAndHopelessStepsAreRejected() {
        StepSearch search = new StepSearch(true, 1.0, 0.0, D, K);
        StepSearch.Trial uphill = search.search(new Quadratic(2, 1, 1, 1, 1), W, H, new double[] {1, 0, 0, 0}, 2.0,
                null, StepSolver.Curvature.FGN);
        assertSame(StepSearch.Trial.REJECTED, uphill);
        StepSearch.Trial nan = search.search(new Quadratic(2, -1, 1, 1, 1), W, H, new double[] {-1, Double.NaN, 0, 0},
                2.0, null, StepSolver.Curvature.FGN);
        assertSame(StepSearch.Trial.REJECTED, nan);
        // a loss that never decreases enough: 20 halvings, then rejected with the guard outcome kept
        Quadratic wall = new Quadratic(2.0, -1.0, 1e12, 1.0, 1.0);
        StepSearch.Trial t = search.search(wall, W, H, S, 2.0, null, StepSolver.Curvature.FGN);
        assertFalse(t.armijo());
        assertEquals(0.0, t.alpha());
        assertEquals(StepSearch.MAX_BACKTRACKS, wall.trials);
        assertEquals(1.0 / Math.PI, t.guardRatio(), 1e-15);
    }

    /**
     * The convergence test's estimate of {@code f - f*}: an overshooting step (its full-step model
     * decrease {@code 1 - 4/2 = -1} is negative) still gives the model's decrease at the best length
     * along it, {@code (h.s)^2 / (2 s^T M s) = 1/8}, not a negative number that reads as converged.
     */
    @Test
    void modelDecreaseIsTheBestLengthsDecreaseEvenWhenTheStepOvershoots() {
        StepSearch search = new StepSearch(false, 1.0, 0.0, D, K);
        StepSearch.Trial t = search.search(new Quadratic(2.0, -1.0, 4.0, 4.0, 1.0), W, H, S, 2.0, null,
                StepSolver.Curvature.FULL);
        assertTrue(t.armijo(), "the search backtracks to an Armijo length");
        assertEquals(-1.0, -(t.slope() + 0.5 * t.curvature()), 0.0, "the full step's decrease");
        assertEquals(0.125, t.modelDecrease(), 0.0);
        // the exact Newton step of the model: both are half the Newton decrement, 1/2
        StepSearch.Trial newton = search.search(new Quadratic(2.0, -1.0, 1.0, 1.0, 1.0), W, H, S, 2.0, null,
                StepSolver.Curvature.FULL);
        assertEquals(0.5, newton.modelDecrease(), 1e-15);
    }

    /**
     * Against a brute-force model: for random SPD {@code M}, gradients {@code h} and descent steps
     * {@code s}, the estimate lies between the full step's model decrease and half the Newton
     * decrement {@code h^T M^-1 h / 2} (the model's {@code f - f*}, from a dense Cholesky solve),
     * and equals the latter for {@code s = -M^-1 h}.
     */
    @Test
    void modelDecreaseIsALowerBoundOfHalfTheNewtonDecrement() {
        SplittableRandom rng = new SplittableRandom(3);
        int p = K * (D + 1);
        StepSearch search = new StepSearch(false, 1.0, 0.0, D, K);
        for (int rep = 0; rep < 200; rep++) {
            double[][] a = new double[p][p];
            for (double[] row : a) {
                for (int j = 0; j < p; j++) {
                    row[j] = rng.nextDouble(-1, 1);
                }
            }
            RealMatrix am = new Array2DRowRealMatrix(a, false);
            RealMatrix m = am.multiply(am.transpose()).add(identity(p, 1e-2));
            double[] h = new double[p];
            double[] s = new double[p];
            for (int j = 0; j < p; j++) {
                h[j] = rng.nextDouble(-1, 1);
                s[j] = rng.nextDouble(-1, 1);
            }
            double hs = dot(h, s);
            if (hs > 0) {
                for (int j = 0; j < p; j++) {
                    s[j] = -s[j];
                }
                hs = -hs;
            }
            double sms = dot(s, m.operate(s));
            double[] newtonStep = new CholeskyDecomposition(m).getSolver().solve(
                    new org.apache.commons.math3.linear.ArrayRealVector(h)).toArray();
            double halfDecrement = 0.5 * dot(h, newtonStep);
            StepSearch.Trial t = search.search(new Quadratic(1.0, hs, sms, sms, 1.0), W, h, s, 1.0, null,
                    StepSolver.Curvature.FULL);
            assertTrue(t.modelDecrease() >= -(hs + 0.5 * sms) - 1e-12);
            assertTrue(t.modelDecrease() <= halfDecrement * (1 + 1e-9), t.modelDecrease() + " > " + halfDecrement);
            for (int j = 0; j < p; j++) {
                newtonStep[j] = -newtonStep[j];
            }
            double nms = dot(newtonStep, m.operate(newtonStep));
            StepSearch.Trial exact = search.search(new Quadratic(1.0, dot(h, newtonStep), nms, nms, 1.0), W, h,
                    newtonStep, 1.0, null, StepSolver.Curvature.FULL);
            assertEquals(halfDecrement, exact.modelDecrease(), 1e-9 * halfDecrement);
        }
    }

    private static RealMatrix identity(int p, double v) {
        RealMatrix e = new Array2DRowRealMatrix(p, p);
        for (int j = 0; j < p; j++) {
            e.setEntry(j, j, v);
        }
        return e;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
