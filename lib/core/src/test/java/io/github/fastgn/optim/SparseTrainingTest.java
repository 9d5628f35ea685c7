package io.github.fastgn.optim;

import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.FirstOrderOptimizer;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.SparseProblem;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sparse rows train to what the same values train to as dense rows: the objective and gradient at a
 * point, the trained model of FGN (every solver that takes sparse rows, full batch with all rows or a
 * curvature sample, mini-batch), of L-BFGS and of a first-order baseline. A solver that needs dense
 * rows is refused by name; the sparse run is bit-identical for any thread count.
 */
class SparseTrainingTest extends QuietTestBase {

    private static final double L2 = 1e-2;

    private static SparseProblem problem(boolean asFloat, boolean weighted) {
        return SparseProblem.random(21 + (asFloat ? 1 : 0) + (weighted ? 2 : 0), 400, 60, 4, 0.08, asFloat, weighted);
    }

    @Test
    void objectiveAndGradientMatchTheDensePath() {
        for (boolean asFloat : new boolean[] {false, true}) {
            SparseProblem pr = problem(asFloat, true);
            int p = pr.dense().classCount() * (pr.dense().featureCount() + 1);
            Random rnd = new Random(4);
            double[] w = new double[p];
            for (int t = 0; t < p; t++) {
                w[t] = rnd.nextGaussian() * 0.3;
            }
            double[] gd = new double[p];
            double[] gs = new double[p];
            double fd = new SoftmaxObjective(pr.dense(), L2).evaluate(w, gd);
            double fs = new SoftmaxObjective(pr.sparse(), L2).evaluate(w, gs);
            Check.close(fd, fs, 1e-13, "objective");
            Check.close(gd, gs, 1e-12, "gradient");
        }
    }

    /**
     * Converged runs reach one optimum. Both stop near it (gradient tolerance, or the stall rule once
     * the decrease is at the rounding of f); at a point with gradient g the objective is within
     * |g|^2 / (2 mu) of the optimum, far below the 1e-11 asked of the two values here, and the
     * weights (biases centred, the softmax's one free direction) agree to 1e-5 relative.
     */
    private static void sameOptimum(TrainingResult dense, TrainingResult sparse, LabelledData data, String what) {
        int d = data.featureCount();
        int k = data.classCount();
        for (TrainingResult r : new TrainingResult[] {dense, sparse}) {
            assertTrue(r.stopReason() == StopReason.CONVERGED || r.stopReason() == StopReason.STALLED
                    || r.stopReason() == StopReason.DAMPING_LIMIT,
                    what + ": stopped by " + r.stopReason());
            assertTrue(r.gradientNorm() < 2e-5, what + ": not converged, |g| = " + r.gradientNorm());
        }
        Check.close(dense.objective(), sparse.objective(), 1e-9, what + ": objective");
        assertTrue(Check.relativeError(Check.centredBiases(dense.weights(), k, d),
                Check.centredBiases(sparse.weights(), k, d)) < 5e-5, what + ": weights");
    }

    @Test
    void fgnTrainsToTheDenseModelWithEverySparseSolver() {
        String[] solvers = {Solvers.AUTO, Solvers.FGN, "fgn-row-cholesky", "fgn-row-cg", "fgn-param-cg", Solvers.NEWTON,
            "ggn-param-cg"};
        for (boolean asFloat : new boolean[] {false, true}) {
            SparseProblem pr = problem(asFloat, !asFloat);
            for (String solver : solvers) {
                for (int sample : new int[] {0, 120}) {
                    FgnOptions o = FgnOptions.builder().standardize(false).l2(L2).solver(solver).tolerance(1e-10)
                            .maxIterations(300).curvatureSample(sample).dropCompensation(solver.equals("fgn-row-cholesky"))
                            .build();
                    String what = solver + (sample > 0 ? ", sample " + sample : "") + (asFloat ? ", float" : "");
                    TrainingResult dense = new FgnOptimizer(o).optimize(pr.dense());
                    TrainingResult sparse = new FgnOptimizer(o).optimize(pr.sparse());
                    sameOptimum(dense, sparse, pr.dense(), what);
                }
            }
        }
    }

    @Test
    void rowSolverRunFollowsTheDenseRunStepByStep() {
        // the same solver on the same rows: the iterates differ by rounding only, so the runs take the same
        // steps (parameter CG is preconditioned by class blocks on dense rows and by its diagonal on sparse
        // ones, so its inexact steps differ; the row solvers run the same algorithm on both)
        // With the guard on: without it the damping falls faster (lambda 1e-2 by step 4, 15 CG iterations), and
        // CG amplifies the 1e-12 relative differences of the two storages' products to 1e-6 in the objective
        // (measured: steps 1-3 agree to 1e-12, step 4 to 1e-6, with equal CG iteration counts), which is CG's
        // rounding sensitivity, not a difference of the storages.
        SparseProblem pr = problem(false, false);
        FgnOptions o = FgnOptions.builder().standardize(false).l2(L2).solver("fgn-row-cg").guard(true).build();
        TrainingResult sparse = new FgnOptimizer(o).optimize(pr.sparse());
        TrainingResult dense = new FgnOptimizer(o).optimize(pr.dense());
        // until the decrease itself is at rounding level, where rho (a ratio of tiny differences) decides
        int steps = 8;
        assertTrue(dense.history().size() > steps && sparse.history().size() > steps);
        for (int t = 0; t < steps; t++) {
            IterationRecord a = dense.history().get(t);
            IterationRecord b = sparse.history().get(t);
            assertEquals(a.accepted(), b.accepted(), "step " + t + " accepted");
            assertEquals(a.cgIterations(), b.cgIterations(), "step " + t + " CG iterations");
            Check.close(a.objective(), b.objective(), 1e-9, "step " + t + " objective");
        }
        // both stop once their estimated gap is below tolerance * |f|
        Check.close(dense.objective(), sparse.objective(), o.tolerance(), "final objective");
    }

    @Test
    void miniBatchFgnTakesTheSameStepsOnTheSameBatches() {
        SparseProblem pr = problem(false, true);
        FgnOptions o = FgnOptions.builder().standardize(false).l2(L2).mode(FgnOptions.Mode.MINIBATCH).batchSize(64)
                .maxIterations(25).tolerance(0).seed(7).build();
        TrainingResult dense = new FgnOptimizer(o).optimize(pr.dense());
        TrainingResult sparse = new FgnOptimizer(o).optimize(pr.sparse());
        assertEquals(dense.iterations(), sparse.iterations());
        Check.close(dense.weights(), sparse.weights(), 1e-8, "mini-batch weights");
    }

    @Test
    void lbfgsAndFirstOrderTrainToTheDenseModel() {
        SparseProblem pr = problem(true, true);
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).tolerance(1e-11).maxIterations(3000).build();
        sameOptimum(new Lbfgs(o).optimize(pr.dense()), new Lbfgs(o).optimize(pr.sparse()), pr.dense(), "L-BFGS");
        FirstOrderOptions sgd = FirstOrderOptions.builder().l2(L2).learningRate(0.05).maxIterations(30).tolerance(0)
                .build();
        TrainingResult a = new FirstOrderOptimizer(UpdateRule.momentum(0.0), sgd).optimize(pr.dense());
        TrainingResult b = new FirstOrderOptimizer(UpdateRule.momentum(0.0), sgd).optimize(pr.sparse());
        Check.close(a.weights(), b.weights(), 1e-10, "gradient descent iterates");
    }

    @Test
    void solversThatNeedDenseRowsAreRefusedAndNeverChosen() {
        SparseProblem pr = problem(false, false);
        for (String name : Solvers.NAMES) {
            if (Solvers.capabilities(name).sparseRows()) {
                continue;
            }
            FgnOptions o = FgnOptions.builder().standardize(false).l2(L2).solver(name).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FgnOptimizer(o).optimize(pr.sparse()), name);
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("sparse"), e.getMessage());
        }
        // optimizers that read dense feature rows refuse sparse data by name instead of densifying it
        FirstOrderOptions mini = FirstOrderOptions.builder().mode(FgnOptions.Mode.MINIBATCH).build();
        for (HeadOptimizer o : new HeadOptimizer[] {new io.github.fastgn.baseline.Ogr(mini),
            new io.github.fastgn.baseline.StochasticNewton(mini)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.optimize(pr.sparse()));
            assertTrue(e.getMessage().contains(o.name()) && e.getMessage().contains("toDense"), e.getMessage());
        }
        // d much larger than the curvature sample: FGN's row system is the natural FGN solver, and auto
        // (which prefers the full GGN where the solve is matrix-free) takes sparse rows too
        Solvers.Rows text = Solvers.Rows.sparse(50L * 100_000, 100_000);
        for (boolean reuse : new boolean[] {true, false}) {
            String fgn = Solvers.resolve(Solvers.FGN, 4096, 1 << 18, 20, reuse, text);
            assertTrue(fgn.startsWith("fgn-row"), fgn);
            String auto = Solvers.resolve(Solvers.AUTO, 4096, 1 << 18, 20, reuse, text);
            assertTrue(Solvers.capabilities(auto).sparseRows(), auto);
            String newton = Solvers.resolve(Solvers.NEWTON, 4096, 1 << 18, 20, reuse, text);
            assertTrue(Solvers.capabilities(newton).sparseRows(), newton);
        }
        for (int[] s : new int[][] {{20, 5, 3}, {400, 60, 4}, {5000, 50, 10}, {100, 2000, 20}}) {
            for (String choice : new String[] {Solvers.AUTO, Solvers.FGN, Solvers.NEWTON}) {
                String r = Solvers.resolve(choice, s[0], s[1], s[2], false, Solvers.Rows.sparse(s[0] * 3L, s[0]));
                assertTrue(Solvers.capabilities(r).sparseRows(), choice + " resolved to " + r);
            }
        }
    }

    @Test
    void sparseRunsAreBitIdenticalForAnyThreadCountAndLeaveTheDataAlone() {
        SparseProblem pr = problem(false, true);
        double[] values = pr.sparse().sparseFeatures().values().clone();
        double[] weights = pr.sparse().weights().clone();
        for (int sample : new int[] {0, 100}) {
            FgnOptions o = FgnOptions.builder().standardize(false).l2(L2).curvatureSample(sample).classWeight("balanced")
                    .build();
            TrainingResult one = new FgnOptimizer(o.toBuilder().threads(1).build()).optimize(pr.sparse());
            TrainingResult two = new FgnOptimizer(o.toBuilder().threads(2).build()).optimize(pr.sparse());
            assertArrayEquals(one.weights(), two.weights(), 0.0, "sample " + sample);
        }
        assertArrayEquals(values, pr.sparse().sparseFeatures().values(), 0.0);
        assertArrayEquals(weights, pr.sparse().weights(), 0.0);
    }
}
