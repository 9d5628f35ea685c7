package io.github.fastgn.optim;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One Levenberg-Marquardt iteration of {@link FgnOptimizer}, recomputed by hand from dense
 * matrices: the damped FGN step (the bias damping scaled by one over the mean squared feature), the
 * Ghosts-of-Softmax cap {@code alpha0 = min(1, c pi / max spread)},
 * Armijo halving, the ratio rho and the damping update (ALGORITHM.md §3, steps 2-7).
 */
class LmIterationTest extends QuietTestBase {

    @ParameterizedTest
    @CsvSource({
            // lambda0, guardScale, expect the guard to bind
            "1e-4, 1.0, true",
            "1e-4, 2.0, true",
            "30.0, 1.0, false"})
    void firstIterationMatchesAHandComputedStep(double lambda0, double c, boolean binds) {
        int n = 60;
        int d = 5;
        int k = 4;
        double gamma = 1e-3;
        RandomProblem random = RandomProblem.random(71, n, d, k, 1.0);
        double[] x = random.x.clone();
        for (int t = 0; t < x.length; t++) {
            x[t] *= 3 * Math.sqrt(d); // features of scale 3, so that an undamped step moves logits a lot
        }
        RandomProblem pr = new RandomProblem(x, random.y, new double[k * (d + 1)], null, n, d, k);

        // the bias damping's scale: one over the mean squared feature (about 9 here), DampingPolicy.biasScale
        double squares = 0;
        for (double v : x) {
            squares += v * v;
        }
        double biasScale = Math.min(1.0, Math.max(DampingPolicy.MIN_BIAS_SCALE, (double) n * d / squares));
        assertTrue(biasScale < 0.5, "test set-up: bias scale " + biasScale);
        RealMatrix lambda = pr.damping(lambda0, gamma, null);
        for (int cls = 0; cls < k; cls++) {
            int bias = cls * (d + 1) + d;
            lambda.setEntry(bias, bias, lambda0 * biasScale);
        }
        // the step at zero: s = -(G_FGN + Lambda)^-1 h
        double[] h = pr.gradient(pr.wt, gamma);
        RealMatrix m = pr.fgnCurvature(pr.wt).add(lambda);
        double[] s = new CholeskyDecomposition(m.add(m.transpose()).scalarMultiply(0.5)).getSolver()
                .solve(new ArrayRealVector(h)).mapMultiply(-1).toArray();
        double[][] dz = pr.logits(s);
        double spread = 0;
        for (double[] row : dz) {
            double hi = Double.NEGATIVE_INFINITY;
            double lo = Double.POSITIVE_INFINITY;
            for (double v : row) {
                hi = Math.max(hi, v);
                lo = Math.min(lo, v);
            }
            spread = Math.max(spread, hi - lo);
        }
        double cap = c * Math.PI / spread;
        double alpha0 = Math.min(1.0, cap);
        assertEquals(binds, cap < 1.0, "test set-up: cap " + cap);
        // Armijo from alpha0, halving
        double f0 = pr.objective(pr.wt, gamma);
        double hs = new ArrayRealVector(h).dotProduct(new ArrayRealVector(s));
        double alpha = alpha0;
        while (pr.objective(scaled(s, alpha), gamma) > f0 + 1e-4 * alpha * hs) {
            alpha *= 0.5;
        }
        double fAlpha = pr.objective(scaled(s, alpha), gamma);
        // rho with the FGN model (plus L2 on W)
        RealMatrix gFgn = pr.fgnCurvature(pr.wt);
        double curvature = new ArrayRealVector(s).dotProduct(gFgn.operate(new ArrayRealVector(s)))
                + gamma * pr.weightNormSquared(s);
        double rho = (f0 - fAlpha) / -(alpha * hs + 0.5 * alpha * alpha * curvature);
        double factor = rho < 0.25 || binds ? 2.0 : rho > 0.75 ? 1.0 / 3.0 : 1.0;

        FgnOptions options = FgnOptions.builder().standardize(false).solver("fgn-param-cholesky").l2(gamma).initialDamping(lambda0)
                .guard(true).guardScale(c).maxIterations(2).tolerance(0).threads(1).build();
        TrainingResult one = new FgnOptimizer(options.toBuilder().maxIterations(1).build())
                .optimize(new LabelledData(x, pr.y, null, n, d, k));
        List<IterationRecord> hist = one.history();
        assertEquals(1, hist.size());
        IterationRecord r = hist.get(0);
        assertTrue(r.accepted());
        assertEquals(lambda0, r.lambda(), 0.0);
        assertEquals(binds, r.guardBound(), "guard bound");
        Check.close(alpha0 * spread / Math.PI, r.guardRatio(), 1e-9, "guard ratio r = alpha0 max spread / pi");
        if (binds) {
            Check.close(c, r.guardRatio(), 1e-12, "a binding guard puts the trial step exactly at c rho_a");
        }
        Check.close(alpha, r.alpha(), 1e-12, "accepted step length");
        Check.close(scaled(s, alpha), one.weights(), 1e-8, "parameters after one step");
        Check.close(fAlpha, one.objective(), 1e-10, "objective after one step");
        Check.close(fAlpha, r.objective(), 1e-10, "recorded objective");
        Check.close(Check.norm(pr.gradient(one.weights(), gamma)), one.gradientNorm(), 1e-8, "gradient norm");

        TrainingResult two = new FgnOptimizer(options).optimize(new LabelledData(x, pr.y, null, n, d, k));
        Check.close(lambda0 * factor, two.history().get(1).lambda(), 1e-12,
                "LM update (rho = " + rho + ", guard bound = " + binds + ")");
    }

    private static double[] scaled(double[] s, double a) {
        double[] out = s.clone();
        for (int t = 0; t < out.length; t++) {
            out[t] *= a;
        }
        return out;
    }
}
