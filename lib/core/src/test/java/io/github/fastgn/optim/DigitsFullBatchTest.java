package io.github.fastgn.optim;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full-batch training on the digits (80/20 stratified split, seed 42; L2 1e-4, standardised): FGN
 * and damped Newton reach the same optimum, and so does every solver on smaller subsets.
 */
class DigitsFullBatchTest extends QuietTestBase {

    static final double L2 = 1e-4;
    static final LabelledData TRAIN = Splits.stratified(Digits.load(), 0.2, 42).train();

    static FgnOptions.Builder options(String solver) {
        return FgnOptions.builder().l2(L2).solver(solver).tolerance(1e-8).maxIterations(1000).threads(2);
    }

    /** Objective and gradient norm of a result, recomputed with the naive reference on the standardised data. */
    static void checkReported(SoftmaxHeadTrainer.Fit fit, LabelledData data) {
        Standardizer st = fit.standardizer();
        double[] xs = st.transform(data.features(), data.size());
        RandomProblem ref = new RandomProblem(xs, data.labels(), fit.training().weights(), null, data.size(),
                data.featureCount(), data.classCount());
        Check.close(ref.objective(ref.wt, L2), fit.training().objective(), 1e-12, "reported objective");
        Check.close(Check.norm(ref.gradient(ref.wt, L2)), fit.training().gradientNorm(), 1e-6, "reported |grad|");
        // the model on raw features has the same objective data term
        Check.close(new SoftmaxModel(fit.training().weights(), data.featureCount(), data.classCount())
                        .objective(xs, data.labels(), data.size(), L2),
                fit.training().objective(), 1e-12, "objective of the folded model on standardised features");
    }

    @Test
    void fgnAndNewtonReachTheSameOptimum() {
        SoftmaxHeadTrainer.Fit fgn = new SoftmaxHeadTrainer(options(Solvers.FGN).build()).fit(TRAIN);
        SoftmaxHeadTrainer.Fit newton = new SoftmaxHeadTrainer(options(Solvers.NEWTON).build()).fit(TRAIN);
        TrainingResult a = fgn.training();
        TrainingResult b = newton.training();
        assertTrue(a.solver().startsWith("fgn-"), a.solver());
        assertTrue(b.solver().startsWith("ggn-"), b.solver());
        assertTrue(a.gradientNorm() <= 1e-6, "FGN |grad| " + a.gradientNorm() + " after " + a.iterations() + " its");
        assertTrue(b.gradientNorm() <= 1e-6, "Newton |grad| " + b.gradientNorm());
        Check.close(b.objective(), a.objective(), 1e-8, "FGN vs Newton objective");
        assertTrue(a.objective() > 0.02 && a.objective() < 0.025, "digits optimum ~0.0223, got " + a.objective());
        // FGN converges linearly, Newton quadratically: Newton needs fewer iterations
        assertTrue(b.iterations() < a.iterations(), b.iterations() + " vs " + a.iterations());
        assertTrue(a.stopReason() == StopReason.CONVERGED || a.stopReason() == StopReason.STALLED,
                a.stopReason().toString());
        checkReported(fgn, TRAIN);
        checkReported(newton, TRAIN);
        // full batch: the objective never increases along the accepted steps
        double prev = Double.POSITIVE_INFINITY;
        for (IterationRecord r : a.history()) {
            assertTrue(r.objective() <= prev, "objective increased at iteration " + r.iteration());
            prev = r.objective();
            assertEquals(r.iteration(), r.epoch());
        }
        double acc = fgn.model().accuracy(TRAIN.features(), TRAIN.labels(), TRAIN.size());
        assertTrue(acc > 0.99, "train accuracy " + acc);
    }

    /** Per-solver agreement on a stratified subset of 504 digits (all ten classes). */
    @Test
    void everyPracticalSolverReachesTheSameOptimumOnASubset() {
        LabelledData sub = Splits.stratified(Digits.load(), 0.28, 7).test();
        assertEquals(504, sub.size());
        TrainingResult reference = new SoftmaxHeadTrainer(options("ggn-param-cholesky").build()).fit(sub).training();
        assertTrue(reference.gradientNorm() <= 1e-8, "exact Newton |grad| " + reference.gradientNorm());
        // fgn-param-cg is "fgn" here, ggn-param-cg is "newton" and "auto"; fgn-param-cholesky (0.2 s per
        // iteration at P = 650) and ggn-row-cholesky (5040 rows) are covered on the three-class problem below
        String[] solvers = {Solvers.FGN, Solvers.NEWTON, Solvers.AUTO, "fgn-row-cholesky", "fgn-row-cg", "fgn+D",
            "auto+D"};
        for (String s : solvers) {
            boolean drop = s.endsWith("+D");
            FgnOptions o = options(drop ? s.substring(0, s.length() - 2) : s).dropCompensation(drop).build();
            TrainingResult r = new SoftmaxHeadTrainer(o).fit(sub).training();
            assertTrue(r.gradientNorm() <= 1e-6, s + ": |grad| " + r.gradientNorm());
            Check.close(reference.objective(), r.objective(), 1e-8, s + " vs exact Newton");
        }
    }

    /** All seven solvers (and FGN-D) on a small three-class digits problem, where every one is cheap. */
    @Test
    void allSolversReachTheSameOptimumOnThreeClasses() {
        LabelledData all = Digits.load();
        int perClass = 50;
        int n = 3 * perClass;
        double[] x = new double[n * 64];
        int[] y = new int[n];
        int[] taken = new int[3];
        int r = 0;
        for (int i = 0; i < all.size() && r < n; i++) {
            int label = all.labels()[i];
            if (label < 3 && taken[label] < perClass) {
                System.arraycopy(all.features(), i * 64, x, r * 64, 64);
                y[r++] = label;
                taken[label]++;
            }
        }
        LabelledData three = new LabelledData(x, y, null, n, 64, 3);
        // the reference is solved past the others' tolerance (1e-8 relative to |g0| > 1), so that its
        // absolute gradient is below 1e-8 whatever step the tolerance test stops at
        TrainingResult reference = new SoftmaxHeadTrainer(options("ggn-param-cholesky").tolerance(1e-10).build())
                .fit(three).training();
        assertTrue(reference.gradientNorm() <= 1e-8, "reference |grad| " + reference.gradientNorm());
        for (String s : Solvers.NAMES) {
            TrainingResult res = new SoftmaxHeadTrainer(options(s).build()).fit(three).training();
            assertEquals(s, res.solver());
            assertTrue(res.gradientNorm() <= 1e-6, s + ": |grad| " + res.gradientNorm());
            Check.close(reference.objective(), res.objective(), 1e-8, s);
            if (s.startsWith("fgn")) {
                TrainingResult d = new SoftmaxHeadTrainer(options(s).dropCompensation(true).build()).fit(three)
                        .training();
                assertTrue(d.gradientNorm() <= 1e-6, s + " + FGN-D: |grad| " + d.gradientNorm());
                Check.close(reference.objective(), d.objective(), 1e-8, s + " + FGN-D");
            }
        }
    }
}
