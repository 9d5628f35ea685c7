package io.github.fastgn.optim;

import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Curvature from a sample, gradient from all rows: the exact gradient makes the run converge
 * to the same optimum as full-curvature Newton, and the seeded samples make it reproducible.
 */
class SubsampledCurvatureTest {

    @Test
    void reachesTheFullBatchOptimumReproducibly() {
        LabelledData digits = Digits.load();
        int n = digits.size();
        int d = digits.featureCount();
        LabelledData x = new LabelledData(Standardizer.fit(digits.features(), n, d).transform(digits.features(), n),
                digits.labels(), null, n, d, 10);
        FgnOptions newton = FgnOptions.builder().standardize(false).solver("newton").tolerance(1e-13).build();
        TrainingResult reference = new FgnOptimizer(newton).optimize(x);
        FgnOptions sampled = FgnOptions.builder().standardize(false).curvatureSample(400).tolerance(1e-8).maxIterations(400).seed(5)
                .build();
        TrainingResult a = new FgnOptimizer(sampled).optimize(x);
        // the certificate uses the sampled curvature: an estimate, checked here against Newton's optimum
        assertEquals(StopReason.CONVERGED, a.stopReason(), "after " + a.iterations());
        assertEquals(reference.objective(), a.objective(), 1e-8 * reference.objective());
        TrainingResult b = new FgnOptimizer(sampled.toBuilder().threads(1).build())
                .optimize(x);
        assertArrayEquals(a.weights(), b.weights(), 0.0, "same seed, any thread count: same weights");
    }

    /**
     * Float features stay float in the sampled full-batch path: the run must reach the optimum of
     * the same (float-rounded) values given as double, with either curvature.
     */
    @Test
    void floatFeaturesReachTheOptimumOfTheirDoubleValues() {
        LabelledData digits = Digits.load();
        int n = digits.size();
        int d = digits.featureCount();
        double[] x = Standardizer.fit(digits.features(), n, d).transform(digits.features(), n);
        float[] xf = new float[x.length];
        for (int t = 0; t < x.length; t++) {
            xf[t] = (float) x[t];
            x[t] = xf[t];
        }
        TrainingResult reference = new FgnOptimizer(FgnOptions.builder().standardize(false).solver("newton")
                .tolerance(1e-13).build()).optimize(new LabelledData(x, digits.labels(), null, n, d, 10));
        for (String solver : new String[]{"fgn", "newton", "auto"}) {
            FgnOptions sampled = FgnOptions.builder().standardize(false).solver(solver).curvatureSample(600).tolerance(1e-8)
                    .maxIterations(400).seed(3).build();
            TrainingResult a = new FgnOptimizer(sampled)
                    .optimize(LabelledData.ofFloat(xf, digits.labels(), null, n, d, 10));
            assertEquals(StopReason.CONVERGED, a.stopReason(), solver + " after " + a.iterations());
            assertEquals(reference.objective(), a.objective(), 1e-8 * reference.objective(), solver);
        }
    }
}
