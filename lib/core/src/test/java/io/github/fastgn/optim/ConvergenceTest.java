package io.github.fastgn.optim;

import io.github.fastgn.baseline.FirstOrderOptimizer;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.testing.LogCapture;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What "converged" means: the gap test is invariant to the features' scale, and a run that ends
 * on a budget before its tolerance says so: a stop reason that is not {@link StopReason#CONVERGED},
 * {@link TrainingResult#converged()} false, and one {@code WARNING} on the optimizer's logger.
 */
class ConvergenceTest extends QuietTestBase {

    private static final int D = 4;
    private static final int K = 3;

    /** A noisy three-class mixture with features scaled by {@code scale}. */
    private static LabelledData mixture(long seed, int n, double scale) {
        Random rnd = new Random(seed);
        double[] x = new double[n * D];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(K);
            for (int j = 0; j < D; j++) {
                x[i * D + j] = scale * ((j == y[i] ? 1.0 : 0.0) + rnd.nextGaussian());
            }
        }
        return new LabelledData(x, y, null, n, D, K);
    }

    private static <T> List<LogRecord> warnings(String logger, List<T> out, Supplier<T> body) {
        return LogCapture.warnings(logger, out, body);
    }

    @Test
    void theSameProblemInAnyFeatureScaleConvergesToTheSameObjective() {
        // x' = c x with l2' = c^2 l2 is the same problem (W' = W / c): same optimum value
        double reference = Double.NaN;
        for (double c : new double[] {1.0, 300.0, 0.003}) {
            for (String solver : new String[] {Solvers.NEWTON, Solvers.AUTO}) {
                TrainingResult r = new FgnOptimizer(FgnOptions.builder().standardize(false).l2(1e-3 * c * c)
                        .solver(solver).maxIterations(2000).threads(1).build()).optimize(mixture(7, 300, c));
                assertEquals(StopReason.CONVERGED, r.stopReason(), "scale " + c + " " + solver);
                if (Double.isNaN(reference)) {
                    reference = new FgnOptimizer(FgnOptions.builder().standardize(false).l2(1e-3)
                            .solver(Solvers.NEWTON).tolerance(1e-13).threads(1).build())
                            .optimize(mixture(7, 300, 1.0)).objective();
                }
                double gap = (r.objective() - reference) / reference;
                assertTrue(gap >= -1e-12 && gap <= 1e-6, "scale " + c + " " + solver + ": gap " + gap);
            }
        }
    }

    @Test
    void aRunOnItsBudgetLogsOneWarningAndIsNotConverged() {
        LabelledData data = mixture(8, 200, 1.0);
        List<TrainingResult> out = new ArrayList<>();
        List<LogRecord> fgn = warnings(FgnOptimizer.class.getName(), out, () -> new FgnOptimizer(
                FgnOptions.builder().standardize(false).maxIterations(2).threads(1).build()).optimize(data));
        TrainingResult r = out.get(0);
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason());
        assertFalse(r.converged());
        assertEquals(1, fgn.size(), "once per run");
        String m = fgn.get(0).getMessage();
        assertTrue(m.contains("did not converge") && m.contains("MAX_ITERATIONS") && m.contains("maxIterations")
                && m.contains("|grad|"), m);

        List<LogRecord> lbfgs = warnings(Lbfgs.class.getName(), out, () -> new Lbfgs(FirstOrderOptions.builder()
                .maxIterations(2).tolerance(1e-6).threads(1).build()).optimize(data));
        assertEquals(StopReason.MAX_ITERATIONS, out.get(1).stopReason());
        assertEquals(1, lbfgs.size());
        List<LogRecord> sgd = warnings(FirstOrderOptimizer.class.getName(), out, () -> new FirstOrderOptimizer(
                UpdateRule.momentum(0.9), FirstOrderOptions.builder().maxIterations(5).tolerance(1e-6).threads(1)
                .build()).optimize(data));
        assertEquals(StopReason.MAX_ITERATIONS, out.get(2).stopReason());
        assertEquals(1, sgd.size());
    }

    @Test
    void aConvergedRunOrOneWithoutToleranceLogsNoWarning() {
        LabelledData data = mixture(9, 200, 1.0);
        List<TrainingResult> out = new ArrayList<>();
        List<LogRecord> converged = warnings(FgnOptimizer.class.getName(), out, () -> new FgnOptimizer(
                FgnOptions.builder().standardize(false).threads(1).build()).optimize(data));
        assertTrue(out.get(0).converged(), out.get(0).stopReason().toString());
        assertTrue(converged.isEmpty());
        // tolerance 0: the whole budget was asked for
        List<LogRecord> budget = warnings(FgnOptimizer.class.getName(), out, () -> new FgnOptimizer(
                FgnOptions.builder().standardize(false).tolerance(0).maxIterations(2).threads(1).build())
                .optimize(data));
        assertEquals(StopReason.MAX_ITERATIONS, out.get(1).stopReason());
        assertTrue(budget.isEmpty());
    }

    @Test
    void aRunWithoutToleranceThatStallsAtItsFirstStepWarns() {
        // features of scale 1e150: L-BFGS (tolerance 0 by default) stalls at once, at its zero start
        LabelledData big = mixture(10, 200, 1e150);
        List<TrainingResult> out = new ArrayList<>();
        List<LogRecord> lbfgs = warnings(Lbfgs.class.getName(), out, () -> new Lbfgs(FirstOrderOptions.builder()
                .maxIterations(100).threads(1).build()).optimize(big));
        TrainingResult r = out.get(0);
        assertTrue(r.iterations() <= 1 && (r.stopReason() == StopReason.STALLED
                || r.stopReason() == StopReason.DAMPING_LIMIT), r.stopReason() + " after " + r.iterations());
        assertEquals(1, lbfgs.size(), "a stall at the start did not run the budget: it warns");
        String m = lbfgs.get(0).getMessage();
        assertTrue(m.contains("did not converge") && m.contains("standardise the features"), m);
    }
}
