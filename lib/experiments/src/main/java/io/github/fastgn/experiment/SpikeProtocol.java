package io.github.fastgn.experiment;

import io.github.fastgn.baseline.FirstOrderOptimizer;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.LearningRateSchedule;
import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;

import java.util.List;
import java.util.function.Supplier;

/**
 * The Ghosts-of-Softmax learning-rate spike protocol (EXPERIMENTS.md (d1)) on a linear head: mini-batch
 * training for a fixed number of steps, the learning rate multiplied by {@code spike} from step
 * {@code spikeStart} to the end, with and without the guard {@code tau <= rho_a} (the radius
 * measured on the full training set). A run has diverged when its loss becomes non-finite or
 * exceeds 10 times the initial loss.
 */
public final class SpikeProtocol {

    private final Splits.Split split;
    private final int steps;
    private final int spikeStart;
    private final int batchSize;
    private final double l2;

    /**
     * @param split      train and test data (features as the optimizer should see them)
     * @param steps      steps per run (200 in the protocol)
     * @param spikeStart first step with the multiplied rate (50 in the protocol)
     * @param batchSize  mini-batch size (64 in the protocol)
     * @param l2         L2 on W
     */
    public SpikeProtocol(Splits.Split split, int steps, int spikeStart, int batchSize, double l2) {
        this.split = split;
        this.steps = steps;
        this.spikeStart = spikeStart;
        this.batchSize = batchSize;
        this.l2 = l2;
    }

    /**
     * One run.
     *
     * @param method        legend name of the update rule
     * @param guard         whether the guard is on
     * @param baseRate      base learning rate
     * @param spike         rate multiplier from {@code spikeStart} on (1 for none)
     * @param seed          shuffling seed
     * @param loss          mini-batch loss after each step (length = steps run)
     * @param ratio         {@code r = tau / rho_a} of each step taken
     * @param diverged      whether the run diverged (it then stops)
     * @param maxLoss       largest loss seen after the spike started
     * @param testAccuracy  test accuracy of the final (or last finite) iterate
     */
    public record Run(String method, boolean guard, double baseRate, double spike, long seed, double[] loss,
                      double[] ratio, boolean diverged, double maxLoss, double testAccuracy) {
    }

    /** Runs one configuration; {@code rule} supplies a fresh update rule. */
    public Run run(String method, Supplier<UpdateRule> rule, boolean guard, double baseRate, double spike,
                   long seed) {
        LabelledData train = split.train();
        FirstOrderOptions options = FirstOrderOptions.builder()
                .mode(FgnOptions.Mode.MINIBATCH)
                .batchSize(batchSize)
                .maxIterations(steps)
                .learningRate(baseRate)
                .schedule(spike == 1.0 ? LearningRateSchedule.constant()
                        : LearningRateSchedule.spike(spikeStart, Integer.MAX_VALUE, spike))
                .guard(guard)
                .guardOnFullData(true)
                .l2(l2)
                .seed(seed)
                .threads(1)
                .build();
        TrainingResult result = new FirstOrderOptimizer(rule.get(), options)
                .optimize(train, null);
        List<IterationRecord> h = result.history();
        double[] loss = new double[h.size()];
        double[] ratio = new double[h.size()];
        double maxLoss = 0;
        for (int t = 0; t < h.size(); t++) {
            loss[t] = h.get(t).objective();
            ratio[t] = h.get(t).guardRatio();
            if (t + 1 >= spikeStart) {
                maxLoss = Math.max(maxLoss, Double.isFinite(loss[t]) ? loss[t] : Double.POSITIVE_INFINITY);
            }
        }
        LabelledData test = split.test();
        double acc = new SoftmaxModel(result.weights(), train.featureCount(), train.classCount())
                .accuracy(test.features(), test.labels(), test.size());
        return new Run(method, guard, baseRate, spike, seed, loss, ratio, result.stopReason() == StopReason.DIVERGED,
                maxLoss, acc);
    }
}
