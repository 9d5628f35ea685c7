package io.github.fastgn.internal.head;

import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The blocked whole-data evaluator against the dense formulas of {@link RandomProblem} (objective,
 * gradient, loss along a line, curvature along it) on more rows than one block, weighted, in double
 * and float storage.
 */
class FullDataTest extends QuietTestBase {

    private static final int N = FullData.BLOCK_ROWS + 777;

    private static RandomProblem problem(boolean floatValues) {
        RandomProblem pr = RandomProblem.random(11, N, 6, 4, 1.5);
        if (floatValues) {
            for (int t = 0; t < pr.x.length; t++) {
                pr.x[t] = (float) pr.x[t];
            }
        }
        return pr;
    }

    private static double[] weights(long seed) {
        Random rnd = new Random(seed);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            w[i] = i % 7 == 0 ? 0.0 : 0.5 + rnd.nextDouble();
        }
        return w;
    }

    private static float[] narrow(double[] x) {
        float[] f = new float[x.length];
        for (int t = 0; t < x.length; t++) {
            f[t] = (float) x[t];
        }
        return f;
    }

    @Test
    void objectiveGradientLineAndCurvatureMatchTheDenseFormulas() {
        for (boolean single : new boolean[]{false, true}) {
            RandomProblem pr = problem(single);
            double[] w = weights(3);
            RandomProblem weighted = new RandomProblem(pr.x, pr.y, pr.wt, w, N, pr.d, pr.k);
            FullData data = single ? new FullData(narrow(pr.x), pr.y, w, N, pr.d, pr.k, Parallel.common())
                    : new FullData(pr.x, pr.y, w, N, pr.d, pr.k, Parallel.common());
            double gamma = 0.03;
            double[] grad = new double[pr.p];
            double f = data.evaluate(pr.wt, gamma, grad);
            assertEquals(weighted.objective(pr.wt, gamma), f, 1e-12);
            assertArrayEquals(weighted.gradient(pr.wt, gamma), grad, 1e-12);

            // along a direction: loss at alpha equals the objective's data part at wt + alpha s
            double[] step = new double[pr.p];
            Random rnd = new Random(5);
            for (int t = 0; t < pr.p; t++) {
                step[t] = 0.3 * rnd.nextGaussian();
            }
            data.direction(step);
            double alpha = 0.7;
            double[] moved = pr.wt.clone();
            for (int t = 0; t < pr.p; t++) {
                moved[t] += alpha * step[t];
            }
            assertEquals(weighted.objective(moved, 0.0), data.dataLossAlong(alpha), 1e-12);
            // s^T G s from the dense full curvature
            double[] gs = weighted.fullCurvature(pr.wt).operate(step);
            double sgs = 0;
            for (int t = 0; t < pr.p; t++) {
                sgs += step[t] * gs[t];
            }
            assertEquals(sgs, data.curvatureAlong(false), 1e-10 * Math.abs(sgs));
            // moving the kept logits = evaluating at the moved point
            data.step(alpha);
            double[] g2 = new double[pr.p];
            double fMoved = data.objectiveAndGradient(moved, gamma, g2);
            assertEquals(weighted.objective(moved, gamma), fMoved, 1e-12);
            assertArrayEquals(weighted.gradient(moved, gamma), g2, 1e-12);
        }
    }

    /**
     * The search's trial with its gradient ({@code dataLossAndGradientAlong}) gives, once the step is taken, the
     * bits of the step's own pass ({@code step} then {@code objectiveAndGradient}); a trial that the search
     * rejects leaves the kept logits and step as they were, so a shorter step gives the bits of a run that never
     * made the trial. Its loss is the trial's loss ({@code dataLossAlong}) to rounding. Float and double rows,
     * several blocks, weighted.
     */
    @Test
    void aTrialWithItsGradientGivesTheBitsOfTheStepsOwnPass() {
        for (boolean single : new boolean[]{false, true}) {
            RandomProblem pr = problem(single);
            double[] w = weights(9);
            double gamma = 0.02;
            double[] step = new double[pr.p];
            Random rnd = new Random(13);
            for (int t = 0; t < pr.p; t++) {
                step[t] = 0.4 * rnd.nextGaussian();
            }
            for (double taken : new double[]{1.0, 0.5}) {
                double[] moved = pr.wt.clone();
                for (int t = 0; t < pr.p; t++) {
                    moved[t] += taken * step[t];
                }
                FullData plain = single ? new FullData(narrow(pr.x), pr.y, w, N, pr.d, pr.k, Parallel.common())
                        : new FullData(pr.x, pr.y, w, N, pr.d, pr.k, Parallel.common());
                FullData ahead = single ? new FullData(narrow(pr.x), pr.y, w, N, pr.d, pr.k, Parallel.common())
                        : new FullData(pr.x, pr.y, w, N, pr.d, pr.k, Parallel.common());
                plain.evaluate(pr.wt, gamma, new double[pr.p]);
                ahead.evaluate(pr.wt, gamma, new double[pr.p]);
                plain.direction(step);
                ahead.direction(step);
                double trialLoss = plain.dataLossAlong(1.0);
                double[] aheadGrad = new double[pr.p];
                double aheadLoss = ahead.dataLossAndGradientAlong(1.0, aheadGrad);
                assertEquals(trialLoss, aheadLoss, 1e-14 * Math.abs(trialLoss));
                double[] g1 = new double[pr.p];
                double[] g2 = new double[pr.p];
                plain.step(taken);
                double f1 = plain.objectiveAndGradient(moved, gamma, g1);
                ahead.step(taken);
                double f2;
                if (taken == 1.0) {
                    System.arraycopy(aheadGrad, 0, g2, 0, pr.p);
                    f2 = ahead.objectiveAt(aheadLoss, moved, gamma, g2);
                } else {
                    f2 = ahead.objectiveAndGradient(moved, gamma, g2);
                }
                assertEquals(f1, f2, 0.0, "single=" + single + " taken=" + taken);
                assertArrayEquals(g1, g2, 0.0, "single=" + single + " taken=" + taken);
            }
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        RandomProblem pr = problem(true);
        double[] a = new double[pr.p];
        double[] b = new double[pr.p];
        Parallel one = Parallel.withThreads(1);
        Parallel two = Parallel.withThreads(2);
        try {
            double fa = new FullData(narrow(pr.x), pr.y, null, N, pr.d, pr.k, one).evaluate(pr.wt, 0.1, a);
            double fb = new FullData(narrow(pr.x), pr.y, null, N, pr.d, pr.k, two).evaluate(pr.wt, 0.1, b);
            assertEquals(fa, fb, 0.0);
            assertArrayEquals(a, b, 0.0);
        } finally {
            one.close();
            two.close();
        }
    }
}
