package io.github.fastgn.optim;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.solver.ParamCgSolver;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full batch with many classes: auto takes every row's top-class curvature ({@code ggn-top-cg})
 * where the cost model says it is cheaper than the sampled full GGN, keeps fewer classes than
 * there are ({@code m = 16 < K}), and still reaches the optimum of damped Newton on every row
 * (the gradient is exact), deterministically for any thread count.
 */
class TopCompetitorTrainingTest extends QuietTestBase {

    private static final int N = 4000;
    /** A curvature sample of half the rows: auto then weighs it against every row's top classes. */
    private static final int SAMPLE = 2000;
    /** At least 24 features and classes: on 512-bit vectors the products run on the packed panels. */
    private static final int D = 30;
    private static final int K = 60;

    private static LabelledData data() {
        RandomProblem pr = RandomProblem.mixture(17, N, D, K);
        double[][] x = new double[N][D];
        for (int i = 0; i < N; i++) {
            System.arraycopy(pr.x, i * D, x[i], 0, D);
        }
        return LabelledData.of(x, pr.y);
    }

    private static FgnOptions.Builder options() {
        return FgnOptions.builder().standardize(false).l2(1e-3).tolerance(1e-8).maxIterations(300)
                .curvatureSample(SAMPLE);
    }

    @Test
    void autoTakesTheTopClassesAndReachesNewtonsOptimum() {
        assertTrue(Solvers.KEPT_CLASSES < K, "the test needs truncated rows");
        LabelledData data = data();
        TrainingResult top = new FgnOptimizer(options().threads(1).build()).optimize(data);
        assertEquals(ParamCgSolver.TOP_NAME, top.solver());
        assertEquals(StopReason.CONVERGED, top.stopReason());
        // the reference: damped Newton with every row's exact curvature, to a tighter tolerance
        TrainingResult newton = new FgnOptimizer(options().solver(ParamCgSolver.GGN_NAME).curvatureSample(0)
                .tolerance(1e-11).threads(1).build()).optimize(data);
        assertEquals(StopReason.CONVERGED, newton.stopReason());
        double gap = (top.objective() - newton.objective()) / newton.objective();
        assertTrue(gap >= -1e-10 && gap <= 1e-7, "relative gap to Newton's optimum " + gap);
        // same run with two threads: bit for bit
        TrainingResult two = new FgnOptimizer(options().threads(2).build()).optimize(data);
        assertArrayEquals(top.weights(), two.weights(), 0.0);
    }
}
