package io.github.fastgn;

import io.github.fastgn.data.ClassWeights;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Class weighting in training, against the independent reference of replicated rows: with integer
 * class weights {@code m_k}, the weighted objective is the objective of the data with every example
 * of class {@code k} repeated {@code m_k} times, so both have the same optimum.
 */
class ClassWeightingTest extends QuietTestBase {

    private static final int D = 4;
    private static final int K = 3;

    /** 40, 20 and 10 examples of classes 0, 1, 2 of a noisy mixture (balanced weights 1 : 2 : 4). */
    private static LabelledData imbalanced(long seed) {
        RandomProblem p = RandomProblem.mixture(seed, 400, D, K);
        int[] want = {40, 20, 10};
        int[] got = new int[K];
        int n = 70;
        double[] x = new double[n * D];
        int[] y = new int[n];
        int r = 0;
        for (int i = 0; i < p.b && r < n; i++) {
            int c = p.y[i];
            if (got[c] < want[c]) {
                got[c]++;
                System.arraycopy(p.x, i * D, x, r * D, D);
                y[r++] = c;
            }
        }
        assertEquals(n, r);
        return new LabelledData(x, y, null, n, D, K);
    }

    /** Every example of class {@code k} repeated {@code times[k]} times, unweighted. */
    private static LabelledData replicated(LabelledData data, int[] times) {
        int n = 0;
        for (int v : data.labels()) {
            n += times[v];
        }
        double[] x = new double[n * D];
        int[] y = new int[n];
        int r = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int t = 0; t < times[data.labels()[i]]; t++) {
                System.arraycopy(data.features(), i * D, x, r * D, D);
                y[r++] = data.labels()[i];
            }
        }
        return new LabelledData(x, y, null, n, D, K);
    }

    private static FgnOptions.Builder options() {
        return FgnOptions.builder().l2(1e-2).tolerance(1e-10).threads(1);
    }

    @Test
    void theWeightedObjectiveIsTheObjectiveOfReplicatedRows() {
        LabelledData data = imbalanced(1);
        LabelledData copies = replicated(data, new int[]{1, 3, 2});
        LabelledData weighted = ClassWeights.of(1, 3, 2).applyTo(data);
        Random rnd = new Random(2);
        double[] w = new double[K * (D + 1)];
        for (int t = 0; t < w.length; t++) {
            w[t] = rnd.nextGaussian();
        }
        double[] g1 = new double[w.length];
        double[] g2 = new double[w.length];
        double f1 = new SoftmaxObjective(weighted, 1e-2).evaluate(w, g1);
        double f2 = new SoftmaxObjective(copies, 1e-2).evaluate(w, g2);
        Check.close(f2, f1, 1e-13, "objective");
        Check.close(g2, g1, 1e-12, "gradient");
    }

    @Test
    void integerClassWeightsTrainTheOptimumOfReplicatedRows() {
        LabelledData data = imbalanced(3);
        FgnOptions o = options().standardize(false).build();
        SoftmaxHeadTrainer.Fit weighted = new SoftmaxHeadTrainer(o).classWeights(ClassWeights.of(1, 3, 2)).fit(data);
        SoftmaxHeadTrainer.Fit copies = new SoftmaxHeadTrainer(o).fit(replicated(data, new int[]{1, 3, 2}));
        SoftmaxHeadTrainer.Fit plain = new SoftmaxHeadTrainer(o).fit(data);
        Check.close(copies.training().objective(), weighted.training().objective(), 1e-10, "objective");
        Check.close(Check.centredBiases(copies.model().weights(), K, D),
                Check.centredBiases(weighted.model().weights(), K, D), 1e-4, "weights");
        // and the weighting matters: the unweighted optimum is elsewhere
        assertTrue(maxDiff(plain.model().weights(), weighted.model().weights()) > 1e-2);
        assertEquals(null, data.weights(), "the data is not modified");
    }

    @Test
    void theBalancedOptionTrainsTheOptimumOfRowsReplicatedToBalance() {
        // 40 : 20 : 10 examples, balanced weights 70/120, 70/60, 70/30 = 1 : 2 : 4 up to a common factor
        LabelledData data = imbalanced(4);
        assertArrayEquals(new double[]{70.0 / 120, 70.0 / 60, 70.0 / 30}, ClassWeights.balanced().perClass(data),
                1e-15);
        FgnOptions o = options().standardize(false).build();
        TrainingResult balanced = new FgnOptimizer(o.toBuilder().classWeight("balanced").build()).optimize(data);
        TrainingResult copies = new FgnOptimizer(o).optimize(replicated(data, new int[]{1, 2, 4}));
        Check.close(copies.objective(), balanced.objective(), 1e-10, "objective");
        Check.close(Check.centredBiases(copies.weights(), K, D),
                Check.centredBiases(balanced.weights(), K, D), 1e-4, "weights");
    }

    @Test
    void theOptionAndTheEquivalentExplicitWeightsGiveTheSameModel() {
        LabelledData data = imbalanced(5);
        double[] ew = new double[data.size()];
        Random rnd = new Random(6);
        for (int i = 0; i < ew.length; i++) {
            ew[i] = 0.5 + rnd.nextDouble();
        }
        LabelledData weighted = data.withWeights(ew);
        FgnOptions o = options().build();
        SoftmaxHeadTrainer.Fit option = new SoftmaxHeadTrainer(o.toBuilder().classWeight("BALANCED").build())
                .fit(weighted);
        SoftmaxHeadTrainer.Fit explicit = new SoftmaxHeadTrainer(o)
                .classWeights(ClassWeights.of(ClassWeights.balanced().perClass(weighted))).fit(weighted);
        assertArrayEquals(option.model().weights(), explicit.model().weights(), 0);
        assertEquals("balanced", o.toBuilder().classWeight("BALANCED").build().classWeight());
        assertArrayEquals(ew, weighted.weights(), 0);
    }

    @Test
    void anOptionAndExplicitWeightsTogetherAreRejected() {
        SoftmaxHeadTrainer t = new SoftmaxHeadTrainer(options().classWeight("balanced").build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.classWeights(ClassWeights.of(1, 2, 3)));
        assertTrue(e.getMessage().contains("classWeight=balanced") && e.getMessage().contains("not both"),
                e.getMessage());
        assertEquals(ClassWeights.balanced(), t.classWeights(ClassWeights.balanced()).classWeights());
        assertThrows(IllegalArgumentException.class, () -> t.classWeights(null));
        SoftmaxHeadTrainer wrong = new SoftmaxHeadTrainer(options().build()).classWeights(ClassWeights.of(1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> wrong.fit(imbalanced(7)));
        assertTrue(e.getMessage().contains("got 2 class weights for data with 3 classes"), e.getMessage());
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int t = 0; t < a.length; t++) {
            m = Math.max(m, Math.abs(a[t] - b[t]));
        }
        return m;
    }
}
