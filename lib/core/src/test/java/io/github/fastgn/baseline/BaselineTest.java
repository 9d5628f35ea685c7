package io.github.fastgn.baseline;

import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The baselines on a small strongly convex problem (L2 = 1e-2): each decreases the objective,
 * full and mini-batch, and reaches the optimum computed independently by damped Newton.
 */
class BaselineTest {

    static final double L2 = 1e-2;
    static LabelledData x;
    static int n;
    static int d;
    static int k;
    static double fStar;

    @BeforeAll
    static void problem() {
        LabelledData raw = Synthetic.gaussianPrototypes(300, 5, 3, 1.0, 7);
        n = raw.size();
        d = raw.featureCount();
        k = raw.classCount();
        x = new LabelledData(Standardizer.fit(raw.features(), n, d).transform(raw.features(), n), raw.labels(), null,
                n, d, k);
        TrainingResult newton = new FgnOptimizer(FgnOptions.builder().l2(L2).standardize(false).solver("newton").tolerance(1e-13)
                .build()).optimize(x);
        assertTrue(newton.gradientNorm() < 1e-10, "reference optimum not converged");
        fStar = newton.objective();
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("SGD+momentum", (Supplier<UpdateRule>) () -> UpdateRule.momentum(0.9), 0.1, 1e-12),
                Arguments.of("Adam", (Supplier<UpdateRule>) () -> UpdateRule.adam(0.9, 0.999, 1e-8), 0.01, 1e-9),
                Arguments.of("clipped GD", (Supplier<UpdateRule>) () -> UpdateRule.clipped(10), 0.5, 1e-12),
                // a constant normalised step cannot settle closer than about the step itself
                Arguments.of("normalized GD", (Supplier<UpdateRule>) UpdateRule::normalized, 0.01, 2e-3));
    }

    @ParameterizedTest(name = "{0} reaches the optimum (full batch)")
    @MethodSource("rules")
    void reachesOptimumFullBatch(String name, Supplier<UpdateRule> rule, double lr, double relGap) {
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).learningRate(lr).maxIterations(3000).build();
        TrainingResult r = new FirstOrderOptimizer(rule.get(), o).optimize(x);
        double gap = (r.objective() - fStar) / fStar;
        assertTrue(gap >= -1e-12, name + " went below the optimum: " + gap);
        assertTrue(gap <= relGap, name + " relative gap " + gap + " > " + relGap);
        assertEquals(rule.get().name(), r.solver());
    }

    @ParameterizedTest(name = "{0} decreases the objective (mini-batch)")
    @MethodSource("rules")
    void decreasesMiniBatch(String name, Supplier<UpdateRule> rule, double lr, double unused) {
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).learningRate(lr).maxIterations(200)
                .mode(FgnOptions.Mode.MINIBATCH).batchSize(32).build();
        TrainingResult r = new FirstOrderOptimizer(rule.get(), o).optimize(x);
        assertTrue(r.objective() < Math.log(k) - 0.1, name + " did not decrease from log K: " + r.objective());
        assertEquals(200, r.iterations());
        assertEquals(200 / ((n + 31) / 32), r.epochs());
    }

    @Test
    void lbfgsReachesOptimumFullAndMiniBatch() {
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).maxIterations(500).tolerance(1e-12).build();
        TrainingResult r = new Lbfgs(o).optimize(x);
        assertEquals(fStar, r.objective(), 1e-12 * fStar);
        assertTrue(r.gradientNorm() < 1e-7, "L-BFGS gradient " + r.gradientNorm());
        for (IterationRecord rec : r.history()) {
            assertTrue(rec.cgIterations() >= 1, "line search evaluations must be counted");
        }
        TrainingResult mini = new Lbfgs(FirstOrderOptions.builder().l2(L2).maxIterations(100)
                .mode(FgnOptions.Mode.MINIBATCH).batchSize(64).build()).optimize(x);
        assertTrue(mini.objective() < fStar * 1.2, "mini-batch L-BFGS " + mini.objective() + " vs " + fStar);
    }

    @Test
    void firstOrderSharesTheTargetAndTimeRules() {
        double target = fStar * (1 + 1e-2);
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).learningRate(0.5).maxIterations(5000)
                .targetObjective(target).build();
        TrainingResult r = new FirstOrderOptimizer(UpdateRule.momentum(0.9), o).optimize(x);
        assertEquals(StopReason.TARGET_REACHED, r.stopReason());
        assertTrue(r.history().get(r.history().size() - 1).objective() <= target);
        assertTrue(r.iterations() < 5000);
        FirstOrderOptions timed = FirstOrderOptions.builder().l2(L2).maxIterations(Integer.MAX_VALUE)
                .maxSeconds(1e-9).build();
        assertEquals(StopReason.TIME_LIMIT, new Lbfgs(timed).optimize(x).stopReason());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FirstOrderOptions.builder().maxSeconds(-1)).getMessage().contains("maxSeconds"));
    }

    @Test
    void lbfgsStopsAtATargetObjective() {
        double target = fStar * (1 + 1e-4);
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).maxIterations(500).targetObjective(target).build();
        TrainingResult r = new Lbfgs(o).optimize(x);
        assertEquals(StopReason.TARGET_REACHED, r.stopReason());
        assertTrue(r.objective() <= target, "stopped above the target: " + r.objective() + " > " + target);
        IterationRecord last = r.history().get(r.history().size() - 1);
        for (IterationRecord rec : r.history()) {
            assertTrue(rec == last || rec.objective() > target, "passed the target before iteration " + last.iteration());
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FirstOrderOptions.builder().targetObjective(Double.NaN)).getMessage().contains("targetObjective"));
    }

    @Test
    void guardKeepsEveryStepInsideTheRadius() {
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).learningRate(50).maxIterations(100).guard(true)
                .guardScale(1.0).build();
        TrainingResult r = new FirstOrderOptimizer(UpdateRule.momentum(0), o).optimize(x);
        boolean bound = false;
        for (IterationRecord rec : r.history()) {
            assertTrue(rec.guardRatio() <= 1.0 + 1e-12, "step beyond the radius: r = " + rec.guardRatio());
            bound |= rec.guardBound();
        }
        assertTrue(bound, "a rate of 50 should make the guard bind");
        assertTrue(r.objective() < Math.log(k), "guarded GD at rate 50 must still decrease the objective");
        TrainingResult lb = new Lbfgs(FirstOrderOptions.builder().l2(L2).maxIterations(50).guard(true).build())
                .optimize(x);
        for (IterationRecord rec : lb.history()) {
            assertTrue(!(rec.guardRatio() > 1.0 + 1e-12), "L-BFGS step beyond the radius: " + rec.guardRatio());
        }
    }

    @Test
    void divergenceIsReportedWithFiniteWeights() {
        FirstOrderOptions o = FirstOrderOptions.builder().l2(0).learningRate(1e4).maxIterations(50).build();
        TrainingResult r = new FirstOrderOptimizer(UpdateRule.momentum(0.9), o).optimize(x);
        assertEquals(StopReason.DIVERGED, r.stopReason());
        for (double w : r.weights()) {
            assertTrue(Double.isFinite(w));
        }
        assertTrue(Double.isFinite(r.objective()));
    }

    @Test
    void spikeScheduleAndValidation() {
        LearningRateSchedule s = LearningRateSchedule.spike(50, 60, 1000);
        assertEquals(1.0, s.factor(49));
        assertEquals(1000.0, s.factor(50));
        assertEquals(1000.0, s.factor(59));
        assertEquals(1.0, s.factor(60));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.spike(0, 5, 2))
                .getMessage().contains("from"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FirstOrderOptions.builder().learningRate(-1))
                .getMessage().contains("learningRate"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UpdateRule.momentum(1.0))
                .getMessage().contains("momentum"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UpdateRule.adam(0.9, 0.999, 0))
                .getMessage().contains("epsilon"));
    }

    @Test
    void deterministicForASeed() {
        FirstOrderOptions o = FirstOrderOptions.builder().l2(L2).learningRate(0.01).maxIterations(50)
                .mode(FgnOptions.Mode.MINIBATCH).batchSize(32).seed(3).build();
        double[] a = new FirstOrderOptimizer(UpdateRule.adam(0.9, 0.999, 1e-8), o)
                .optimize(x).weights();
        double[] b = new FirstOrderOptimizer(UpdateRule.adam(0.9, 0.999, 1e-8), FirstOrderOptions.builder().l2(L2).learningRate(0.01).maxIterations(50)
                .mode(FgnOptions.Mode.MINIBATCH).batchSize(32).seed(3).threads(1).build())
                .optimize(x).weights();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, 0.0);
    }
}
