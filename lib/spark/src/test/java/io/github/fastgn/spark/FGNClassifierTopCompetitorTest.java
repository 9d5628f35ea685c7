package io.github.fastgn.spark;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.solver.ParamCgSolver;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many classes on Spark: with a per-step curvature sample of half the rows, auto keeps a fixed sample
 * of {@code 64 K} rows on the driver and takes their top-competitor curvature ({@code ggn-top-cg}),
 * as the core does with every row in memory; the gradient is the exact one of all rows, so the fit
 * reaches the optimum of damped Newton with every row's exact curvature, deterministically.
 */
class FGNClassifierTopCompetitorTest extends QuietTestBase {

    private static final int N = 4000;
    private static final int SAMPLE = 2000;
    private static final int D = 20;
    private static final int K = 60;

    @Test
    void autoKeepsRowsPerClassOnTheDriverAndReachesNewtonsOptimum() {
        assertTrue(Solvers.KEPT_CLASSES < K, "the test needs truncated rows");
        RandomProblem pr = RandomProblem.mixture(17, N, D, K);
        LabelledData data = new LabelledData(pr.x, pr.y, null, N, D, K);
        Dataset<Row> frame = SparkTests.frame(data, false, 3);
        FGNClassifier fgn = new FGNClassifier().setRegParam(1e-3).setStandardization(false).setTol(1e-8)
                .setMaxIter(300).setCurvatureSampleSize(SAMPLE);
        FGNClassificationModel model = fgn.fit(frame);
        TrainingResult r = model.trainingResult();
        assertEquals(ParamCgSolver.TOP_NAME, r.solver());
        assertEquals(StopReason.CONVERGED, r.stopReason());
        // one pass per accepted step at most twice over, plus the first: no per-step sample gathering
        assertTrue(model.fitJobs() <= 2 * r.iterations() + 2, model.fitJobs() + " jobs for " + r.iterations()
                + " iterations");
        TrainingResult newton = new FgnOptimizer(FgnOptions.builder().standardize(false).l2(1e-3)
                .solver(ParamCgSolver.GGN_NAME).curvatureSample(0).tolerance(1e-11).maxIterations(300).threads(1)
                .build()).optimize(data);
        assertEquals(StopReason.CONVERGED, newton.stopReason());
        double gap = (r.objective() - newton.objective()) / newton.objective();
        assertTrue(gap >= -1e-10 && gap <= 1e-7, "relative gap to Newton's optimum " + gap);
        assertArrayEquals(model.weights(), fgn.fit(frame).weights(), 0.0, "the same fit twice");
    }
}
