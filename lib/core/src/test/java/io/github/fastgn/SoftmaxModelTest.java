package io.github.fastgn;

import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SoftmaxModel} against naive softmax formulas. */
class SoftmaxModelTest extends QuietTestBase {

    @Test
    void predictionsMatchNaiveSoftmax() {
        RandomProblem pr = RandomProblem.random(81, 30, 4, 5, 3.0);
        SoftmaxModel model = new SoftmaxModel(pr.wt, pr.d, pr.k);
        double[][] p = pr.probabilities(pr.wt);
        double[][] z = pr.logits(pr.wt);
        double[] mp = model.probabilities(pr.x, pr.b);
        double[] mz = model.logits(pr.x, pr.b);
        int[] pred = model.predict(pr.x, pr.b);
        int hits = 0;
        for (int i = 0; i < pr.b; i++) {
            int best = 0;
            for (int c = 0; c < pr.k; c++) {
                assertEquals(z[i][c], mz[i * pr.k + c], 1e-13);
                assertEquals(p[i][c], mp[i * pr.k + c], 1e-15);
                if (z[i][c] > z[i][best]) {
                    best = c;
                }
            }
            assertEquals(best, pred[i]);
            hits += best == pr.y[i] ? 1 : 0;
        }
        assertEquals((double) hits / pr.b, model.accuracy(pr.x, pr.y, pr.b), 0.0);
        assertEquals(pr.objective(pr.wt, 0.1), model.objective(pr.x, pr.y, pr.b, 0.1), 1e-13);
        double[] w = model.weights();
        w[0] = 1e9;
        assertArrayEquals(pr.wt, model.weights(), 0.0, "weights() is a copy");
    }

    @Test
    void nonFiniteFeaturesAreNamedNotPredictedAsClassZero() {
        SoftmaxModel model = new SoftmaxModel(new double[] {1, 0, 0, -1, 0, 0, 0, 2, 0}, 2, 3);
        double[] x = {1, 1, Double.NaN, 0.5};
        for (java.util.function.Consumer<double[]> use : java.util.List.<java.util.function.Consumer<double[]>>of(
                v -> model.predict(v, 2), v -> model.probabilities(v, 2), v -> model.logits(v, 2))) {
            String m = assertThrows(IllegalArgumentException.class, () -> use.accept(x)).getMessage();
            assertTrue(m.contains("feature 0 of row 1 is NaN") && m.contains("impute"), m);
        }
        String none = assertThrows(IllegalArgumentException.class, () -> model.accuracy(new double[0], new int[0], 0))
                .getMessage();
        assertTrue(none.contains("at least one row"), none);
    }

    @Test
    void badParametersAndShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxModel(new double[5], 2, 2));
        assertTrue(e.getMessage().contains("expected k*(d+1) = 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SoftmaxModel(new double[] {0, 0, Double.NaN, 0}, 1, 2));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        SoftmaxModel m = new SoftmaxModel(new double[4], 1, 2);
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(new double[3], 2));
        assertTrue(e.getMessage().contains("expected 2 rows of 1 features"), e.getMessage());
    }
}
