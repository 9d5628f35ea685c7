package io.github.fastgn.optim;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Features near 1e300 overflow the gradient: without standardisation training must refuse with a clear
 * error (never a zero model "converged" at iteration 0); with standardisation it must train as on the
 * same data rescaled into the ordinary range.
 */
class NonFiniteFeaturesTest extends QuietTestBase {

    private static final int N = 120;
    private static final int D = 3;
    private static final int K = 3;

    /** Gaussian features times {@code magnitude}, labels of a linear teacher. */
    private static LabelledData data(double magnitude) {
        Random rnd = new Random(71);
        double[] x = new double[N * D];
        int[] y = new int[N];
        double[][] teacher = {{1, -1, 0.5}, {-0.5, 1, 1}, {0, 0.3, -1}};
        for (int i = 0; i < N; i++) {
            double[] f = new double[D];
            for (int j = 0; j < D; j++) {
                f[j] = rnd.nextGaussian();
                x[i * D + j] = f[j] * magnitude;
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < K; c++) {
                double score = teacher[c][0] * f[0] + teacher[c][1] * f[1] + teacher[c][2] * f[2];
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            y[i] = best;
        }
        return new LabelledData(x, y, null, N, D, K);
    }

    private static FgnOptions.Builder options(boolean standardize) {
        return FgnOptions.builder().standardize(standardize).l2(1e-3).threads(1);
    }

    private static void assertClearError(IllegalArgumentException e) {
        String m = e.getMessage();
        assertTrue(m.contains("cannot be represented") && m.contains("standardize=true") && m.contains("rescale"),
                "message should explain the cause and name the fix: " + m);
    }

    @Test
    void hugeFeaturesWithoutStandardisationAreRejectedByTheTrainer() {
        LabelledData huge = data(1e300);
        SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer(options(false).build());
        assertClearError(assertThrows(IllegalArgumentException.class, () -> trainer.fit(huge)));
    }

    @Test
    void hugeFeaturesWithoutStandardisationAreRejectedByTheOptimizer() {
        LabelledData huge = data(1e300);
        for (FgnOptions.Mode mode : FgnOptions.Mode.values()) {
            FgnOptimizer optimizer = new FgnOptimizer(options(false).mode(mode).build());
            assertClearError(assertThrows(IllegalArgumentException.class, () -> optimizer.optimize(huge),
                    mode.toString()));
        }
    }

    @Test
    void hugeFeaturesWithStandardisationTrainLikeRescaledOnes() {
        LabelledData huge = data(1e300);
        LabelledData rescaled = data(1e10); // the same data divided by 1e290
        SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer(options(true).build());
        SoftmaxHeadTrainer.Fit big = trainer.fit(huge);
        SoftmaxHeadTrainer.Fit small = trainer.fit(rescaled);
        assertTrue(big.training().iterations() > 0, "iterations " + big.training().iterations());
        assertEquals(small.training().objective(), big.training().objective(),
                1e-9 * Math.abs(small.training().objective()), "objective");
        assertArrayEquals(small.model().predict(rescaled.features(), N), big.model().predict(huge.features(), N),
                "predictions");
        double accuracy = big.model().accuracy(huge.features(), huge.labels(), N);
        assertEquals(small.model().accuracy(rescaled.features(), rescaled.labels(), N), accuracy, 0.0);
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    }
}
