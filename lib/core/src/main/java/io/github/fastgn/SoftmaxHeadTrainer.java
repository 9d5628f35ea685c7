package io.github.fastgn;

import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;

/**
 * Trains a linear softmax head with Fast Gauss-Newton on plain arrays: the entry point for
 * notebooks and experiments that do not use Tribuo.
 *
 * <pre>{@code
 * LabelledData digits = Digits.load();
 * SoftmaxHeadTrainer.Fit fit = new SoftmaxHeadTrainer(FgnOptions.defaults()).fit(digits);
 * double acc = fit.model().accuracy(x, y, n);
 * fit.training().history().forEach(r -> System.out.println(r.toLine()));
 * }</pre>
 *
 * <p>With {@code standardize} on, training runs on standardised features and the result is folded
 * back, so the returned model takes raw features; {@code l2} then penalises the standardised
 * weights.
 */
public final class SoftmaxHeadTrainer {

    private final FgnOptions options;
    private final java.util.List<TrainingListener> listeners = new java.util.ArrayList<>();

    /**
     * @throws IllegalArgumentException if {@code options} is null
     */
    public SoftmaxHeadTrainer(FgnOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.options = options;
    }

    /** Adds a listener for the following fits; returns this. @throws IllegalArgumentException if it is null */
    public SoftmaxHeadTrainer addListener(TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
        return this;
    }

    /**
     * A trained head with its training record.
     *
     * @param model        the head on raw features
     * @param training     the optimizer's result; its weights and objective refer to the features
     *                     the optimizer saw (standardised when {@code standardizer} is not the identity)
     * @param standardizer the feature map applied before training
     */
    public record Fit(SoftmaxModel model, TrainingResult training, Standardizer standardizer) {
    }

    /**
     * Trains a head on {@code data} (not modified).
     *
     * @throws IllegalArgumentException if {@code data} is null
     * @throws ArithmeticException      if the optimisation diverges
     */
    public Fit fit(LabelledData data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        int n = data.size();
        int d = data.featureCount();
        int k = data.classCount();
        Standardizer st = Standardizer.identity(d);
        LabelledData train = data;
        if (options.standardize()) {
            double[] raw = data.features();
            st = Standardizer.fit(raw, n, d, data.weights());
            train = new LabelledData(st.transform(raw, n), data.labels(), data.weights(), n, d, k);
        }
        // the optimizer sees the features as given (standardised above when asked for)
        FgnOptimizer optimizer = new FgnOptimizer(options.toBuilder().standardize(false).build());
        listeners.forEach(optimizer::addListener);
        TrainingResult result = optimizer.optimize(train);
        double[] raw = options.standardize() ? st.foldIntoWeights(result.weights(), k) : result.weights();
        return new Fit(new SoftmaxModel(raw, d, k), result, st);
    }
}
