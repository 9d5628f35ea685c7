package io.github.fastgn.experiment;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.FixedFeatures;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.optim.TrainingResult;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public pieces of the experiment runners that the notebooks call. */
class NotebookApiTest {

    private static HeadBatch mechanismBatch(int k, double tau, double py) {
        return MechanismExperiment.batchAt(Synthetic.mechanismLogits(6, k, 8, tau, py, 3));
    }

    @Test
    void batchAtRealisesTheTargetLogits() {
        Synthetic.Mechanism m = Synthetic.mechanismLogits(6, 4, 8, 2.0, 0.3, 3);
        HeadBatch batch = MechanismExperiment.batchAt(m);
        assertEquals(6, batch.rows());
        assertArrayEquals(m.z(), java.util.Arrays.copyOf(batch.logits(), m.z().length), 1e-9);
    }

    @Test
    void exampleSplitIsExactWithAPsdDroppedTermAndTheTracesOfSpec1() {
        HeadBatch batch = mechanismBatch(4, 2.0, 0.3);
        MechanismExperiment.ExampleSplit split = MechanismExperiment.exampleSplit(batch, 2);
        assertEquals(4, split.hessian().length);
        assertEquals(0.3, split.trueProbability(), 1e-9);
        assertTrue(split.maxAbsError() <= 1e-15, "error " + split.maxAbsError());
        assertTrue(split.droppedMinEigenvalue() >= -1e-15, "min eigenvalue " + split.droppedMinEigenvalue());
        double py = split.trueProbability();
        double q2 = split.competitorConcentration();
        assertTrue(q2 > 1.0 / 3 && q2 < 1, "||q||^2 = " + q2);
        assertEquals(py * (1 - py) * (1 + q2), split.keptTrace(), 1e-14);
        assertEquals((1 - py) * (1 - q2), split.droppedTrace(), 1e-14);
        double[] worst = MechanismExperiment.splitError(batch);
        assertTrue(worst[0] <= 1e-15 && worst[1] >= -1e-15);
        assertThrows(IllegalArgumentException.class, () -> MechanismExperiment.exampleSplit(batch, 6));
    }

    @Test
    void binaryExampleDropsNothing() {
        MechanismExperiment.ExampleSplit split = MechanismExperiment.exampleSplit(mechanismBatch(2, 1.0, 0.5), 0);
        assertEquals(1.0, split.competitorConcentration(), 0.0);
        for (double[] row : split.dropped()) {
            for (double v : row) {
                assertEquals(0.0, v, 0.0);
            }
        }
    }

    @Test
    void gradientThroughTheRowsIsTheGradient() {
        assertTrue(MechanismExperiment.gradientError(mechanismBatch(5, 1.0, 0.4)) <= 1e-12);
    }

    @Test
    void denseCurvaturesAreEqualForTwoClassesAndOrderedOtherwise() {
        HeadBatch two = mechanismBatch(2, 1.0, 0.5);
        RealMatrix full2 = DenseCurvature.full(two);
        assertEquals(2 * 8, full2.getRowDimension());
        assertTrue(DenseCurvature.maxAbs(full2.subtract(DenseCurvature.fgn(two))) <= 1e-14 * DenseCurvature.maxAbs(full2));

        HeadBatch three = mechanismBatch(3, 1.0, 0.5);
        RealMatrix full = DenseCurvature.full(three);
        RealMatrix fgn = DenseCurvature.fgn(three);
        assertTrue(DenseCurvature.maxAbs(full.subtract(fgn)) > 1e-6 * DenseCurvature.maxAbs(full));
        assertTrue(DenseCurvature.minEigenvalue(full.subtract(fgn)) >= -1e-12 * DenseCurvature.maxAbs(full));
        RealMatrix damped = fgn.add(org.apache.commons.math3.linear.MatrixUtils.createRealIdentityMatrix(24)
                .scalarMultiply(1e-3));
        double[] ev = DenseCurvature.generalisedEigenvalues(damped, damped);
        for (double e : ev) {
            assertEquals(1.0, e, 1e-8);
        }
        double[] beyond = DenseCurvature.generalisedEigenvalues(full, damped);
        assertTrue(beyond[beyond.length - 1] > 1, "G_full exceeds G_FGN in some direction");
    }

    @Test
    void cosineSweepHasTheChartLayoutAndTheMechanismTrends() {
        double[] taus = {0, 8};
        double[] lambdas = {1e-2, 10};
        MechanismExperiment.CosineSweep sweep = MechanismExperiment.cosineSweep(8, 5, 12, 0.5, taus, lambdas, 1);
        assertEquals(5, sweep.classes());
        assertEquals(2, sweep.cosine().length);
        assertEquals(2, sweep.cosine()[0].length);
        assertTrue(sweep.meanQSquared()[1] > sweep.meanQSquared()[0]);
        assertEquals(0.25, sweep.meanQSquared()[0], 1e-12);
        assertTrue(sweep.cosine()[0][1] > sweep.cosine()[0][0], "concentration helps");
        assertTrue(sweep.cosine()[1][0] > 0.999 && sweep.cosine()[1][1] > 0.999, "large damping agrees");
        assertTrue(sweep.minPredictedRatio() >= 1 - 1e-9);
        assertTrue(sweep.curvatureGap()[0] > 0 && sweep.curvatureGap()[0] <= 1);
        assertTrue(sweep.cosineFgnD()[0][0] > 0 && sweep.normRatio()[0][0] > 0);
        assertThrows(IllegalArgumentException.class,
                () -> MechanismExperiment.cosineSweep(8, 5, 12, 0.5, taus, lambdas, 0));
    }

    @Test
    void runMethodsTrainsEveryMethodOfSpec4b() {
        LabelledData digits = Digits.load().subset(IntStream.range(0, 300).toArray());
        FixedFeatureHeadExperiment.Problem problem = new FixedFeatureHeadExperiment.Problem("digits-300",
                FixedFeatures.standardised(Splits.stratified(digits, 0.2, 0)));
        List<String> progress = new ArrayList<>();
        Map<String, FixedFeatureHeadExperiment.MethodRun> runs =
                FixedFeatureHeadExperiment.runMethods(Preset.TINY, problem, progress::add);
        assertEquals(List.of("FGN", "FGN-D", "Newton", "L-BFGS", "FGN mini-batch", "SGD+momentum", "Adam",
                "normalized GD", "clipped GD"), List.copyOf(runs.keySet()));
        assertEquals(9, progress.size());
        assertEquals("digits-300 FGN", progress.get(0));
        for (Map.Entry<String, FixedFeatureHeadExperiment.MethodRun> e : runs.entrySet()) {
            assertFalse(e.getValue().curve().isEmpty(), e.getKey());
            assertTrue(Double.isFinite(e.getValue().result().objective()), e.getKey());
        }
        assertEquals("full", runs.get("FGN").mode());
        assertEquals("mini-batch", runs.get("Adam").mode());
        TrainingResult fgn = runs.get("FGN").result();
        TrainingResult newton = runs.get("Newton").result();
        assertEquals(newton.objective(), fgn.objective(), 1e-6 * Math.abs(newton.objective()));
    }

    @Test
    void measureTimesEveryMethodAndSkipsLargeGgnRowSystems() {
        ClassScalingExperiment.Scaling s = ClassScalingExperiment.measure(16, 8, new int[] {2, 4, 8}, 1, 64,
                m -> { });
        assertEquals(ClassScalingExperiment.METHODS, List.copyOf(s.seconds().keySet()));
        for (String m : ClassScalingExperiment.METHODS) {
            double[] t = s.seconds().get(m);
            for (int i = 0; i < 3; i++) {
                boolean skipped = m.equals("GGN row Cholesky") && i == 2; // B K = 128 > 64
                assertEquals(skipped, Double.isNaN(t[i]), m + " at K index " + i);
                assertEquals(skipped, Double.isNaN(s.modelSeconds().get(m)[i]), m);
            }
        }
        assertTrue(s.flopRate() > 0);
        assertEquals(14, s.perStep().size());
        assertEquals(3, s.agreement().size());
        for (double c : s.cosine()) {
            assertTrue(c > 0 && c <= 1 + 1e-12);
        }
        assertTrue(Double.isFinite(s.slope("SGD step", 2, 8)));
        assertThrows(IllegalArgumentException.class, () -> s.slope("no such method", 2, 8));
    }

    @Test
    void radiusOfAStepAndTheGuardCap() {
        // two examples with one feature, three classes; the step's logit image a_i = S [x_i; 1]
        LabelledData data = new LabelledData(new double[] {1, -2}, new int[] {0, 1}, null, 2, 1, 3);
        double[] step = {1, 0, 0, 0, -1, 2}; // rows [w_k, b_k]: a_1 = (1, 0, 1), a_2 = (-2, 0, 4)
        SafeStepProbes.StepRadius r = SafeStepProbes.radius(data, step);
        assertEquals(6.0, r.maxSpread(), 1e-15);
        assertEquals(Math.sqrt(6), r.tau(), 1e-15);
        assertEquals(6 / Math.PI, r.ratio(), 1e-15);
        assertEquals(Math.PI * Math.sqrt(6) / 6, r.rhoA(), 1e-15);
        assertEquals(r.tau() / r.rhoA(), r.ratio(), 1e-15);
        assertEquals(Math.PI / 6, r.guardFactor(1), 1e-15);
        assertEquals(1.0, r.guardFactor(10), 0.0);
        double[] capped = step.clone();
        for (int t = 0; t < capped.length; t++) {
            capped[t] *= r.alphaCap();
        }
        assertEquals(1.0, SafeStepProbes.radius(data, capped).ratio(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SafeStepProbes.radius(data, new double[5]));
    }
}
