package io.github.fastgn;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Warm start of {@link SoftmaxHeadTrainer}: the start model (on raw features) is mapped exactly into
 * the standardised parameterisation, so the optimum stays put and a perturbed optimum converges back.
 */
class WarmStartTest extends QuietTestBase {

    private static final int D = 6;
    private static final int K = 4;

    /** A noisy mixture with unit-scale columns; with {@code skew}, columns of very different offsets and scales. */
    static LabelledData mixture(long seed, int n, boolean skew) {
        RandomProblem p = RandomProblem.mixture(seed, n, D, K);
        double[] x = p.x;
        if (skew) {
            for (int t = 0; t < x.length; t++) {
                int j = t % D;
                x[t] = 50.0 * j + Math.pow(10, j - 2) * x[t];
            }
        }
        return new LabelledData(x, p.y, null, n, D, K);
    }

    private static FgnOptions.Builder options() {
        return FgnOptions.builder().l2(1e-2).threads(1);
    }

    @Test
    void startingFromTheOptimumStaysThere() {
        for (boolean standardize : new boolean[]{true, false}) {
            // badly scaled columns where the trainer standardises, unit-scale ones where it does not
            LabelledData data = mixture(1, 300, standardize);
            FgnOptions o = options().standardize(standardize).build();
            SoftmaxHeadTrainer.Fit cold = new SoftmaxHeadTrainer(o).fit(data);
            SoftmaxHeadTrainer.Fit warm = new SoftmaxHeadTrainer(o).fit(data, cold.model());
            assertEquals(0, warm.training().iterations(), "standardize=" + standardize + ": warm start from the"
                    + " optimum took " + warm.training().iterations() + " iterations (cold: "
                    + cold.training().iterations() + ")");
            Check.close(cold.training().objective(), warm.training().objective(), 1e-12, "objective");
            Check.close(cold.model().weights(), warm.model().weights(), 1e-9, "weights");
        }
    }

    @Test
    void theStartIsMappedExactlyIntoTheStandardisedProblem() {
        // independent of the trainer: the start's raw logits equal the mapped start's logits on the
        // standardised features, and the first iterate's objective is not above the start's objective
        LabelledData data = mixture(2, 200, true);
        Random rnd = new Random(3);
        double[] w = new double[K * (D + 1)];
        for (int t = 0; t < w.length; t++) {
            w[t] = 0.01 * rnd.nextGaussian();
        }
        SoftmaxModel start = new SoftmaxModel(w, D, K);
        Standardizer st = Standardizer.fit(data.features(), data.size(), D);
        SoftmaxModel mapped = new SoftmaxModel(st.unfoldFromWeights(w, K), D, K);
        Check.close(start.logits(data.features(), data.size()),
                mapped.logits(st.transform(data.features(), data.size()), data.size()), 1e-12, "logits");
        FgnOptions o = options().maxIterations(1).build();
        SoftmaxHeadTrainer.Fit one = new SoftmaxHeadTrainer(o).fit(data, start);
        double startObjective = new SoftmaxObjective(new LabelledData(st.transform(data.features(), data.size()),
                data.labels(), null, data.size(), D, K), 1e-2).evaluate(st.unfoldFromWeights(w, K), null);
        assertTrue(one.training().objective() <= startObjective, one.training().objective() + " > " + startObjective);
        // from zero the first step ends elsewhere: the start was used
        SoftmaxHeadTrainer.Fit zero = new SoftmaxHeadTrainer(o).fit(data);
        assertTrue(Math.abs(zero.training().objective() - one.training().objective()) > 1e-6);
    }

    @Test
    void aPerturbedOptimumConvergesBackToIt() {
        for (boolean standardize : new boolean[]{true, false}) {
            LabelledData data = mixture(4, 400, standardize);
            double[] mean = new double[D];
            for (int i = 0; i < data.size(); i++) {
                for (int j = 0; j < D; j++) {
                    mean[j] += data.features()[i * D + j] / data.size();
                }
            }
            FgnOptions o = options().standardize(standardize).tolerance(1e-10).build();
            SoftmaxHeadTrainer.Fit cold = new SoftmaxHeadTrainer(o).fit(data);
            // perturb every weight by 30% and the bias so that the logits at the data mean stay put
            double[] w = cold.model().weights();
            Random rnd = new Random(5);
            for (int c = 0; c < K; c++) {
                for (int j = 0; j < D; j++) {
                    double delta = 0.3 * w[c * (D + 1) + j] * rnd.nextGaussian();
                    w[c * (D + 1) + j] += delta;
                    w[c * (D + 1) + D] -= delta * mean[j];
                }
                w[c * (D + 1) + D] += 0.3 * rnd.nextGaussian();
            }
            double[] given = w.clone();
            SoftmaxModel start = new SoftmaxModel(w, D, K);
            SoftmaxHeadTrainer.Fit warm = new SoftmaxHeadTrainer(o).fit(data, start);
            String what = "standardize=" + standardize;
            assertTrue(warm.training().iterations() > 1, what + ": the perturbed start should need steps");
            Check.close(cold.training().objective(), warm.training().objective(), 1e-10, what + " objective");
            // strongly convex (l2 = 1e-2 on the optimizer's parameters): close objectives mean close parameters
            Check.close(Check.centredBiases(cold.training().weights(), K, D),
                    Check.centredBiases(warm.training().weights(), K, D), 1e-4, what + " weights (biases centred)");
            assertArrayEquals(given, start.weights(), "the start model is not modified");
        }
    }

    @Test
    void aStartOfAnotherShapeIsRejectedNamingBothShapes() {
        LabelledData data = mixture(6, 50, true);
        SoftmaxHeadTrainer t = new SoftmaxHeadTrainer(options().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(data, new SoftmaxModel(new double[K * D], D - 1, K)));
        assertTrue(e.getMessage().contains("5 features") && e.getMessage().contains("6 features")
                && e.getMessage().contains("same features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(data, new SoftmaxModel(new double[(K + 1) * (D + 1)], D, K + 1)));
        assertTrue(e.getMessage().contains("5 classes") && e.getMessage().contains("4 classes"), e.getMessage());
        double[] bad = new double[K * (D + 1)];
        bad[3] = Double.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> new SoftmaxModel(bad, D, K));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SoftmaxHeadTrainer(null));
    }

    @Test
    void aStartTooLargeForTheStandardisedFeaturesIsRejected() {
        LabelledData data = mixture(7, 50, true);
        double[] huge = new double[K * (D + 1)];
        Arrays.fill(huge, 1e306);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxHeadTrainer(options().build()).fit(data, new SoftmaxModel(huge, D, K)));
        assertTrue(e.getMessage().contains("standardize=false"), e.getMessage());
        assertEquals(K * (D + 1), huge.length);
    }
}
