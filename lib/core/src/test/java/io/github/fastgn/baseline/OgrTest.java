package io.github.fastgn.baseline;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.Check;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OGR on a small strongly convex head (L2 = 1e-2) against the optimum found by Newton. */
class OgrTest {

    static final double L2 = 1e-2;
    static LabelledData data;
    static TrainingResult newton;

    @BeforeAll
    static void problem() {
        LabelledData raw = Synthetic.gaussianPrototypes(300, 5, 3, 1.0, 7);
        int n = raw.size();
        int d = raw.featureCount();
        data = new LabelledData(Standardizer.fit(raw.features(), n, d).transform(raw.features(), n), raw.labels(),
                null, n, d, raw.classCount());
        newton = new FgnOptimizer(FgnOptions.builder().l2(L2).standardize(false).solver("newton").tolerance(1e-13)
                .build()).optimize(data);
        assertTrue(newton.gradientNorm() < 1e-10, "reference optimum not converged");
    }

    @Test
    void withLineSearchReachesTheNewtonOptimum() {
        TrainingResult r = new Ogr(FirstOrderOptions.builder().l2(L2).tolerance(1e-10).maxIterations(500).build())
                .optimize(data);
        // at the optimum the line search's objective stops decreasing in double precision (STALLED)
        assertTrue(r.gradientNorm() < 1e-7, "stopped by " + r.stopReason() + " after " + r.iterations() + ", |g| "
                + r.gradientNorm());
        Check.close(newton.objective(), r.objective(), 1e-12, "objective");
        Check.close(newton.weights(), r.weights(), 1e-6, "weights");
    }

    @Test
    void withoutLineSearchButWithTheGuardReachesTheNewtonOptimum() {
        TrainingResult r = new Ogr(FirstOrderOptions.builder().l2(L2).lineSearch(false).learningRate(0.5).guard(true)
                .tolerance(1e-10).maxIterations(500).build()).optimize(data);
        // OGR has no estimate of its optimality gap (ALGORITHM.md §3 "Stopping"): it runs its budget
        // and says it did not converge, at the optimum all the same
        assertEquals(StopReason.MAX_ITERATIONS, r.stopReason(), "stopped by " + r.stopReason() + " after "
                + r.iterations() + ", |g| " + r.gradientNorm());
        assertFalse(r.converged());
        Check.close(newton.objective(), r.objective(), 1e-12, "objective");
    }

    @Test
    void miniBatchDecreasesTheObjectiveAndIsDeterministic() {
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).mode(FgnOptions.Mode.MINIBATCH).batchSize(50)
                .maxIterations(60).seed(4).build();
        TrainingResult a = new Ogr(o).optimize(data);
        TrainingResult b = new Ogr(FirstOrderOptions.builder().l2(L2).mode(FgnOptions.Mode.MINIBATCH).batchSize(50)
                .maxIterations(60).seed(4).threads(1).build()).optimize(data);
        assertTrue(a.objective() < newton.objective() + 0.05, "mini-batch OGR objective " + a.objective()
                + " vs optimum " + newton.objective());
        assertArrayEquals(a.weights(), b.weights());
        assertEquals(60 / 6, a.epochs());
    }

    @Test
    void badInputIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Ogr(FirstOrderOptions.builder().memory(1).build()));
        assertTrue(e.getMessage().contains("memory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ogr(null));
        assertThrows(IllegalArgumentException.class, () -> FirstOrderOptions.builder().decay(0.0));
        double[] start = new double[3];
        assertThrows(IllegalArgumentException.class,
                () -> new Ogr(FirstOrderOptions.builder().build()).optimize(data, start));
    }
}
