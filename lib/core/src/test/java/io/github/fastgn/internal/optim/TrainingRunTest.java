package io.github.fastgn.internal.optim;

import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TrainingRun}: the shared stop rules, history, listeners and result. */
class TrainingRunTest extends QuietTestBase {

    private static final Logger LOG = Logger.getLogger(TrainingRunTest.class.getName());

    @Test
    void aNonFiniteGradientIsNeverConverged() {
        for (double tol : new double[] {1e-3, 0.0, Double.NaN}) {
            TrainingRun run = new TrainingRun("x", List.of(), StopRules.of(tol, 5, 0), LOG);
            double[][] cases = {{Double.NaN, Double.POSITIVE_INFINITY}, {Double.NaN, 10.0}, {1.0, Double.POSITIVE_INFINITY},
                    {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, {0.0, Double.NaN}, {Double.NaN, Double.NaN}};
            for (double[] c : cases) {
                // mid-run: divergence, never the gradient tolerance
                assertEquals(StopReason.DIVERGED, run.stopBefore(c[0], c[1], 3), "g=" + c[0] + ", g0=" + c[1]);
                assertEquals(StopReason.DIVERGED, run.stopBefore(c[0], c[1], 5), "before the budget too");
                // at the start: the features cannot be represented
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> run.stopBefore(c[0], c[1], 0));
                assertTrue(e.getMessage().contains("cannot be represented")
                        && e.getMessage().contains("standardize=true"), e.getMessage());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.requireFiniteStart(Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("objective") && e.getMessage().contains("rescale"), e.getMessage());
        TrainingRun.requireFiniteStart(2.0);
    }

    @Test
    void stopBeforeChecksAZeroGradientThenIterationsThenTime() {
        TrainingRun run = new TrainingRun("x", List.of(), StopRules.of(1e-3, 5, 0), LOG);
        assertNull(run.stopBefore(1.0, 10.0, 0));
        assertNull(run.stopBefore(1e-300, 10.0, 0), "a small gradient is not convergence: the gap test decides");
        assertEquals(StopReason.MAX_ITERATIONS, run.stopBefore(1.0, 10.0, 5));
        assertEquals(StopReason.CONVERGED, run.stopBefore(0.0, 10.0, 5), "a zero gradient first");
        TrainingRun off = new TrainingRun("x", List.of(), StopRules.of(Double.NaN, 5, 0), LOG);
        assertNull(off.stopBefore(0.0, 10.0, 0), "NaN switches the rule off");
        TrainingRun timed = new TrainingRun("x", List.of(), StopRules.of(0, 5, 1e-9), LOG);
        long t = System.nanoTime();
        while (System.nanoTime() - t < 1_000_000) {
            Thread.onSpinWait();
        }
        assertEquals(StopReason.TIME_LIMIT, timed.stopBefore(1.0, 1.0, 0));
    }

    @Test
    void theGapTestIsRelativeToTheObjective() {
        TrainingRun run = new TrainingRun("x", List.of(), StopRules.of(1e-6, 5, 0), LOG);
        assertEquals(StopReason.CONVERGED, run.convergedAt(2e-6, 2.0));
        assertNull(run.convergedAt(2.1e-6, 2.0));
        assertEquals(StopReason.CONVERGED, run.convergedAt(2e-9, -2e-3), "|f|");
        assertNull(run.convergedAt(Double.NaN, 2.0), "no estimate never converges");
        assertNull(run.convergedAt(1e-9, Double.NaN));
        assertNull(run.convergedAt(-1.0, 2.0), "a negative estimate is no estimate");
        assertNull(new TrainingRun("x", List.of(), StopRules.of(Double.NaN, 5, 0), LOG).convergedAt(0.0, 1.0));
        assertEquals(StopReason.CONVERGED,
                new TrainingRun("x", List.of(), StopRules.of(0, 5, 0), LOG).convergedAt(0.0, 1.0));
    }

    @Test
    void stallCountsConsecutiveStepsAndTargetComesFirst() {
        TrainingRun run = new TrainingRun("x", List.of(), StopRules.of(0, 100, 0).withStall(1e-10, 1.0, 3)
                .withTarget(0.5), LOG);
        assertNull(run.afterAccepted(2.0, 2.0));
        assertNull(run.afterAccepted(2.0, 2.0));
        assertNull(run.afterAccepted(2.0, 1.0), "a real decrease resets the count");
        assertNull(run.afterAccepted(1.0, 1.0));
        assertNull(run.afterAccepted(1.0, 1.0));
        assertEquals(StopReason.STALLED, run.afterAccepted(1.0, 1.0));
        assertEquals(StopReason.TARGET_REACHED, run.afterAccepted(1.0, 0.5));
        TrainingRun noStall = new TrainingRun("x", List.of(), StopRules.of(0, 100, 0), LOG);
        for (int i = 0; i < 10; i++) {
            assertNull(noStall.afterAccepted(1.0, 1.0));
        }
    }

    @Test
    void listenersHistoryAndResult() {
        List<String> events = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void trainingStarted(String solver, int maxIterations) {
                events.add("start " + solver + " " + maxIterations);
            }

            @Override
            public void iterationFinished(IterationRecord r) {
                events.add("it " + r.iteration());
            }

            @Override
            public void epochFinished(int epoch, double objective, double gradientNorm) {
                events.add("epoch " + epoch);
            }

            @Override
            public void trainingFinished(TrainingResult result) {
                events.add("end " + result.stopReason());
            }
        };
        TrainingRun run = new TrainingRun("solver", List.of(listener), StopRules.of(0, 10, 0), LOG);
        run.started(10, () -> "description");
        run.record(1, 0, 1.0, 0.1, 1.0, 1.0, 0, Double.NaN, false, true);
        run.epochFinished(1, 1.0, 0.1);
        double[] w = {1, 2, 3};
        TrainingResult r = run.finish(w, 1.0, 0.1, 1, 1, 2.5, StopReason.MAX_ITERATIONS);
        assertEquals(List.of("start solver 10", "it 1", "epoch 1", "end MAX_ITERATIONS"), events);
        assertEquals("solver", r.solver());
        assertEquals(2.5, r.dataPasses());
        assertEquals(1, r.history().size());
        assertThrows(UnsupportedOperationException.class, () -> r.history().clear());
        w[0] = 99;
        assertEquals(1.0, r.weights()[0], "the result copied the weights in");
        r.weights()[1] = 99;
        assertEquals(2.0, r.weights()[1], "and hands out copies");
        assertNotSame(r.weights(), r.weights());
    }

    @Test
    void finishRejectsADivergedRun() {
        TrainingRun run = new TrainingRun("x", List.of(), StopRules.of(0, 10, 0), LOG);
        assertThrows(ArithmeticException.class,
                () -> run.finish(new double[] {1, Double.NaN}, 1.0, 0, 1, 1, 2.0, StopReason.MAX_ITERATIONS));
        assertThrows(ArithmeticException.class,
                () -> run.finish(new double[] {1, 2}, Double.POSITIVE_INFINITY, 0, 1, 1, 2.0, StopReason.MAX_ITERATIONS));
    }
}
