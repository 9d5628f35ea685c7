package io.github.fastgn.optim;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link DampingPolicy}: the LM rule table, the clamp, the smoothing and the mini-batch floor. */
class DampingPolicyTest extends QuietTestBase {

    @Test
    void ruleTable() {
        // rejected, poor ratio, or a binding guard: double
        assertEquals(2.0, DampingPolicy.factor(false, 0.9, false));
        assertEquals(2.0, DampingPolicy.factor(false, Double.NaN, false));
        assertEquals(2.0, DampingPolicy.factor(true, 0.1, false));
        assertEquals(2.0, DampingPolicy.factor(true, 0.9, true), "a binding guard raises the damping");
        assertEquals(2.0, DampingPolicy.factor(true, 0.5, true));
        // good ratio: a third; in between: kept
        assertEquals(1.0 / 3.0, DampingPolicy.factor(true, 0.9, false));
        assertEquals(1.0, DampingPolicy.factor(true, 0.5, false));
        assertEquals(1.0, DampingPolicy.factor(true, 0.25, false), "0.25 is not below 0.25");
        assertEquals(1.0, DampingPolicy.factor(true, 0.75, false), "0.75 is not above 0.75");
    }

    @Test
    void updateClampsAndSmooths() {
        DampingPolicy full = new DampingPolicy(1.0, 1e-3, 10.0, 1.0);
        assertEquals(2.0, full.update(1.0, false, Double.NaN, false));
        assertEquals(1.0 / 3.0, full.update(1.0, true, 0.9, false));
        assertEquals(10.0, full.update(8.0, true, 0.1, false), "clamped to the maximum");
        assertEquals(1e-3, full.update(2e-3, true, 0.99, false), "clamped to the minimum");
        DampingPolicy smoothed = new DampingPolicy(1.0, 1e-3, 10.0, 0.5);
        assertEquals(Math.sqrt(2.0), smoothed.update(1.0, true, 0.1, false), 1e-15);
        assertEquals(Math.sqrt(1.0 / 3.0), smoothed.update(1.0, true, 0.9, false), 1e-15);
    }

    @Test
    void optionsChooseTheSmoothing() {
        FgnOptions full = FgnOptions.builder().dampingRange(1e-6, 1e3).build();
        FgnOptions mini = FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).build();
        assertEquals(2.0, DampingPolicy.of(full).update(1.0, false, 0, false));
        assertEquals(Math.sqrt(2.0), DampingPolicy.of(mini).update(1.0, false, 0, false), 1e-15);
        assertEquals(1e3, DampingPolicy.of(full).max());
    }

    private static io.github.fastgn.internal.head.HeadBatch batch(double[] x, double[] weights, int rows, int d) {
        io.github.fastgn.internal.head.HeadBatch batch = new io.github.fastgn.internal.head.HeadBatch(rows, d, 3, 1e-12,
                io.github.fastgn.internal.linalg.Parallel.withThreads(1));
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 3;
        }
        batch.setBatch(x, y, weights, rows);
        batch.evaluate(new double[3 * (d + 1)]);
        return batch;
    }

    @Test
    void theBiasScaleIsOneOverTheMeanSquaredFeatureWhenItExceedsOne() {
        // rows (3, 4) and (0, 2), d = 2: squared norms 25 and 4, weights 1 and 3 (normalised 1/4, 3/4)
        double[] x = {3, 4, 0, 2};
        double[] weights = {1, 3};
        double m = (0.25 * 25 + 0.75 * 4) / 2;
        assertEquals(1 / m, new DampingPolicy(0, 1e-10, 1e6, 1).start(batch(x, weights, 2, 2)).biasScale(), 1e-15);
        // unweighted: (25 + 4) / 2 / 2
        assertEquals(4 / 29.0, new DampingPolicy(0.5, 1e-10, 1e6, 1).start(batch(x, null, 2, 2)).biasScale(), 1e-15,
                "the same with a configured start");
        // features of mean square at most 1 keep the bias damping as it is
        double[] small = {0.6, 0.8, 0.0, 1.0};
        assertEquals(1.0, new DampingPolicy(0, 1e-10, 1e6, 1).start(batch(small, null, 2, 2)).biasScale());
        // very large features: no less than the floor
        double[] large = {300, 400, 0, 200};
        assertEquals(DampingPolicy.MIN_BIAS_SCALE,
                new DampingPolicy(0, 1e-10, 1e6, 1).start(batch(large, null, 2, 2)).biasScale());
    }

    @Test
    void initialAndMiniBatchFloorFollowTheMeanCurvature() {
        // a batch of 3 rows, d = 2, K = 3 at zero parameters: p_c = 1/3, 1 - |p|^2 = 2/3
        double[] x = {1, 2, 0, 1, -1, 0};
        int[] y = {0, 1, 2};
        io.github.fastgn.internal.head.HeadBatch batch = new io.github.fastgn.internal.head.HeadBatch(3, 2, 3, 1e-12,
                io.github.fastgn.internal.linalg.Parallel.withThreads(1));
        batch.setBatch(x, y, null, 3);
        batch.evaluate(new double[9]);
        // sum_i beta_i (2/3)(|x_i|^2 + 1) / P with beta_i = 1/3 and |x|^2 + 1 = 6, 2, 2
        double expected = (1.0 / 3) * (2.0 / 3) * (6 + 2 + 2) / 9;
        assertEquals(expected, DampingPolicy.meanCurvature(batch), 1e-15);
        assertEquals(expected, new DampingPolicy(0, 1e-10, 1e6, 1).start(batch).lambda(), 1e-15, "scale-aware start");
        assertEquals(0.5, new DampingPolicy(0.5, 1e-10, 1e6, 1).start(batch).lambda(), "configured start");
        assertEquals(1.0, new DampingPolicy(0, 1.0, 1e6, 1).start(batch).lambda(), "clamped start");
        DampingPolicy policy = new DampingPolicy(1, 1e-10, 1e6, 0.5);
        assertEquals(1e-9, policy.withMiniBatchFloor(1e-9, 1, batch, true), "no floor on the first step");
        assertEquals(0.1 * 4 * expected, policy.withMiniBatchFloor(1e-9, 5, batch, true), 1e-15);
        assertEquals(1e-9, policy.withMiniBatchFloor(1e-9, 5, batch, false), "a single batch needs no floor");
        assertEquals(1e6, policy.withMiniBatchFloor(1e9, 5, batch, true), "capped at the maximum");
    }
}
