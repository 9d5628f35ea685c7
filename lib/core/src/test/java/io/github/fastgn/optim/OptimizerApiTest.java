package io.github.fastgn.optim;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FgnOptimizer} on plain arrays: weights, chunked full objectives, starts, budgets, listeners, bad input. */
class OptimizerApiTest extends QuietTestBase {

    private static final int D = 5;
    private static final int K = 3;

    /** A noisy three-class Gaussian mixture (not separable, so the optimum is well inside). */
    private static RandomProblem mixture(long seed, int n) {
        return RandomProblem.mixture(seed, n, D, K);
    }

    private static FgnOptions.Builder base() {
        return FgnOptions.builder().standardize(false).l2(1e-3).tolerance(1e-9).threads(1);
    }

    private static LabelledData data(double[] x, int[] y, double[] w, int n) {
        return new LabelledData(x, y, w, n, D, K);
    }

    @Test
    void weightedTrainingEqualsTrainingOnDuplicates() {
        RandomProblem pr = mixture(91, 200);
        Random rnd = new Random(92);
        double[] w = new double[pr.b];
        int rows = 0;
        for (int i = 0; i < pr.b; i++) {
            w[i] = rnd.nextInt(3); // zero weights too
            rows += (int) w[i];
        }
        double[] dx = new double[rows * D];
        int[] dy = new int[rows];
        int r = 0;
        for (int i = 0; i < pr.b; i++) {
            for (int c = 0; c < w[i]; c++) {
                System.arraycopy(pr.x, i * D, dx, r * D, D);
                dy[r++] = pr.y[i];
            }
        }
        FgnOptions o = base().solver("newton").build();
        TrainingResult weighted = new FgnOptimizer(o).optimize(data(pr.x, pr.y, w, pr.b), null);
        TrainingResult dup = new FgnOptimizer(o).optimize(data(dx, dy, null, rows), null);
        Check.close(dup.objective(), weighted.objective(), 1e-12, "weighted vs duplicated optimum");
        Check.close(dup.weights(), weighted.weights(), 1e-6, "weighted vs duplicated parameters");
        RandomProblem ref = new RandomProblem(pr.x, pr.y, weighted.weights(), w, pr.b, D, K);
        Check.close(ref.objective(ref.wt, 1e-3), weighted.objective(), 1e-12, "weighted objective");
    }

    /** Mini-batch reports the full objective, evaluated in chunks of 4096 rows: check it on 5000 weighted rows. */
    @Test
    void miniBatchReportsTheFullObjectiveOverChunks() {
        RandomProblem pr = mixture(93, 5000);
        double[] w = new double[pr.b];
        for (int i = 0; i < pr.b; i++) {
            w[i] = 0.5 + (i % 4);
        }
        List<double[]> epochs = new ArrayList<>();
        FgnOptimizer opt = new FgnOptimizer(base().mode(FgnOptions.Mode.MINIBATCH).batchSize(1300).maxIterations(9)
                .build());
        opt.addListener(new TrainingListener() {
            @Override
            public void epochFinished(int epoch, double objective, double gradientNorm) {
                epochs.add(new double[] {epoch, objective, gradientNorm});
            }
        });
        TrainingResult r = opt.optimize(data(pr.x, pr.y, w, pr.b), null);
        assertEquals(9, r.iterations());
        assertEquals(2, r.epochs(), "5000 rows in 4 batches of 1250: 9 steps complete two epochs");
        assertEquals(2, epochs.size());
        RandomProblem ref = new RandomProblem(pr.x, pr.y, r.weights(), w, pr.b, D, K);
        Check.close(ref.objective(ref.wt, 1e-3), r.objective(), 1e-12, "full weighted objective");
        Check.close(Check.norm(ref.gradient(ref.wt, 1e-3)), r.gradientNorm(), 1e-9, "full gradient norm");
        assertTrue(r.history().stream().allMatch(h -> h.epoch() == (h.iteration() - 1) / 4));
    }

    @Test
    void startingAtTheOptimumStopsImmediatelyAndBudgetsStopRuns() {
        RandomProblem pr = mixture(94, 300);
        TrainingResult opt = new FgnOptimizer(base().solver("newton").build())
                .optimize(data(pr.x, pr.y, null, pr.b), null);
        assertTrue(opt.gradientNorm() <= 1e-7, "optimum |grad| " + opt.gradientNorm());
        TrainingResult again = new FgnOptimizer(base().tolerance(1e-6).build())
                .optimize(data(pr.x, pr.y, null, pr.b), opt.weights());
        // certified at the start (a certificate solve, no step)
        assertEquals(0, again.iterations());
        assertEquals(StopReason.CONVERGED, again.stopReason());
        Check.close(opt.weights(), again.weights(), 0.0, "parameters untouched");
        TrainingResult capped = new FgnOptimizer(base().tolerance(0).maxIterations(3).build())
                .optimize(data(pr.x, pr.y, null, pr.b), null);
        assertEquals(StopReason.MAX_ITERATIONS, capped.stopReason());
        assertEquals(3, capped.history().size());
        TrainingResult timed = new FgnOptimizer(base().tolerance(0).maxSeconds(1e-9).build())
                .optimize(data(pr.x, pr.y, null, pr.b), null);
        assertEquals(StopReason.TIME_LIMIT, timed.stopReason());
        assertTrue(timed.iterations() <= 1);
    }

    @Test
    void listenersSeeEveryIteration() {
        RandomProblem pr = mixture(95, 150);
        List<String> events = new ArrayList<>();
        List<IterationRecord> seen = new ArrayList<>();
        TrainingResult[] finished = new TrainingResult[1];
        FgnOptimizer opt = new FgnOptimizer(base().solver("fgn-row-cholesky").maxIterations(7).tolerance(0).build());
        opt.addListener(new TrainingListener() {
            @Override
            public void trainingStarted(String solver, int maxIterations) {
                events.add(solver + "/" + maxIterations);
            }

            @Override
            public void iterationFinished(IterationRecord record) {
                seen.add(record);
            }

            @Override
            public void trainingFinished(TrainingResult result) {
                finished[0] = result;
            }
        });
        TrainingResult r = opt.optimize(data(pr.x, pr.y, null, pr.b), null);
        assertEquals(List.of("fgn-row-cholesky/7"), events);
        assertEquals(r.history(), seen);
        assertSame(r, finished[0]);
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i + 1, seen.get(i).iteration());
            assertTrue(seen.get(i).toLine().startsWith(String.format("it %4d", i + 1)));
        }
    }

    /**
     * Mini-batches that hold only zero-weight examples have no objective (normalising their weights
     * gives 0/0); they used to crash the run (NaN damping or a NaN Cholesky pivot) and are now skipped.
     */
    @Test
    void miniBatchSkipsBatchesWithoutWeight() {
        RandomProblem pr = mixture(97, 200);
        double[] w = new double[pr.b];
        for (int i = 0; i < pr.b; i += 20) {
            w[i] = 1;
        }
        FgnOptions o = base().mode(FgnOptions.Mode.MINIBATCH).batchSize(10).maxIterations(100).tolerance(0).build();
        TrainingResult r = new FgnOptimizer(o).optimize(data(pr.x, pr.y, w, pr.b), null);
        assertEquals(100, r.iterations());
        assertTrue(r.epochs() > 5, "most batches are skipped, so 100 steps take many epochs: " + r.epochs());
        RandomProblem ref = new RandomProblem(pr.x, pr.y, r.weights(), w, pr.b, D, K);
        Check.close(ref.objective(ref.wt, 1e-3), r.objective(), 1e-12, "weighted objective");
        assertTrue(r.objective() < 0.5 * Math.log(K), "objective " + r.objective());
        for (IterationRecord h : r.history()) {
            assertTrue(Double.isFinite(h.objective()) && Double.isFinite(h.lambda()), h.toLine());
        }
    }

    @Test
    void badWeightsAreRejectedWhenTheDataAreBuilt() {
        RandomProblem pr = mixture(98, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> data(pr.x, pr.y, new double[pr.b], pr.b));
        assertTrue(e.getMessage().contains("all example weights are zero"), e.getMessage());
        double[] w = new double[pr.b];
        java.util.Arrays.fill(w, 1);
        w[4] = -1;
        e = assertThrows(IllegalArgumentException.class, () -> data(pr.x, pr.y, w, pr.b));
        assertTrue(e.getMessage().contains("weight of example 4 is -1.0"), e.getMessage());
        w[4] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> data(pr.x, pr.y, w, pr.b));
        assertTrue(e.getMessage().contains("weight of example 4 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> data(pr.x, pr.y, new double[3], pr.b));
        assertTrue(e.getMessage().contains("got 3 weights for 10 examples"), e.getMessage());
    }

    @Test
    void badArgumentsAreRejected() {
        RandomProblem pr = mixture(96, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FgnOptimizer(FgnOptions.defaults()));
        assertTrue(e.getMessage().contains("standardize(false)") && e.getMessage().contains("SoftmaxHeadTrainer"),
                e.getMessage());
        FgnOptimizer opt = new FgnOptimizer(base().build());
        e = assertThrows(IllegalArgumentException.class, () -> opt.optimize(data(pr.x, pr.y, null, pr.b),
                new double[3]));
        assertTrue(e.getMessage().contains("start has 3 entries, expected k*(d+1) = 18"), e.getMessage());
        double[] nanStart = new double[K * (D + 1)];
        nanStart[7] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> opt.optimize(data(pr.x, pr.y, null, pr.b), nanStart));
        assertTrue(e.getMessage().contains("start[7] is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> opt.optimize(null));
        assertTrue(e.getMessage().contains("data must not be null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LabelledData(pr.x, pr.y, null, pr.b, D, 1));
        assertTrue(e.getMessage().contains("at least 2 classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LabelledData(pr.x, pr.y, null, 11, D, K));
        assertTrue(e.getMessage().contains("features hold 50 values, expected n*d = 11*5"), e.getMessage());
        int[] outside = pr.y.clone();
        outside[3] = K;
        e = assertThrows(IllegalArgumentException.class, () -> data(pr.x, outside, null, pr.b));
        assertTrue(e.getMessage().contains("label 3 of example 3 is outside [0, 3)"), e.getMessage());
    }

    @Test
    void neitherTheDataNorTheStartIsModified() {
        RandomProblem pr = mixture(95, 60);
        double[] x = pr.x.clone();
        int[] y = pr.y.clone();
        double[] start = new double[K * (D + 1)];
        start[2] = 0.5;
        double[] startCopy = start.clone();
        TrainingResult r = new FgnOptimizer(base().maxIterations(5).build()).optimize(data(x, y, null, pr.b), start);
        assertTrue(r.iterations() > 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(pr.x, x, 0.0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(pr.y, y);
        org.junit.jupiter.api.Assertions.assertArrayEquals(startCopy, start, 0.0);
    }
}
