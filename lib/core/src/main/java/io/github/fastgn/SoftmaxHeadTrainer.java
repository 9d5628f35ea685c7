package io.github.fastgn;

import io.github.fastgn.data.ClassWeights;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.KernelWarmUp;
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
 * weights. Mapped features ({@link LabelledData#mapped}) are standardised in full on a view of the
 * file whose values are centred, divided and rounded to float when read
 * ({@link io.github.fastgn.data.MappedFloatFeatures#standardized}). Sparse features
 * ({@link LabelledData#sparse}) are standardised by scale only, so they stay sparse: with the bias
 * unpenalised that is the same objective, so the same model, as full standardisation of the same
 * values held dense ({@link Standardizer#scaleOnly()}; the {@link Fit#standardizer()} is then the
 * scale-only map).
 *
 * <p>{@link #fit(LabelledData, SoftmaxModel)} starts from a previous head (warm start);
 * {@link #classWeights(ClassWeights)} or the option {@code classWeight} weight the classes on top of
 * the example weights ({@link ClassWeights}; the standardisation uses the example weights alone).
 */
public final class SoftmaxHeadTrainer {

    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(SoftmaxHeadTrainer.class.getName());
    /**
     * A column whose mean is more than this many standard deviations from zero gets a WARNING when
     * it is standardised without centring ({@link #warnIfOffset}).
     */
    static final double OFFSET_WARNING = 1e3;

    private final FgnOptions options;
    private final java.util.List<TrainingListener> listeners = new java.util.ArrayList<>();
    /** Explicit class weights, or null to use {@code options.classWeight()}. */
    private ClassWeights classWeights;

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
     * Weights the classes with these weights (on top of the example weights) in the following fits,
     * e.g. {@code ClassWeights.of(1, 5)}; the option {@code classWeight} ("none" or "balanced") does the
     * same for the named weightings. Returns this.
     *
     * @throws IllegalArgumentException if {@code weights} is null, or the options already ask for
     *                                  {@code classWeight=balanced} (give one or the other)
     */
    public SoftmaxHeadTrainer classWeights(ClassWeights weights) {
        if (weights == null) {
            throw new IllegalArgumentException("class weights must not be null; use ClassWeights.none() for none");
        }
        if (!options.classWeights().isNone() && !weights.equals(options.classWeights())) {
            throw new IllegalArgumentException("the options already set classWeight=" + options.classWeight()
                    + "; give either the option or explicit class weights " + weights + ", not both");
        }
        this.classWeights = weights;
        return this;
    }

    /** The class weights the fits use: the explicit ones, else those of the option {@code classWeight}. */
    public ClassWeights classWeights() {
        return classWeights != null ? classWeights : options.classWeights();
    }

    /**
     * Starts compiling the product kernels for dense training data of {@code rows} rows,
     * {@code featureCount} columns and {@code classCount} classes, in a background daemon thread, and
     * returns at once. {@link #fit} does this itself on dense data with {@code -Dfastgn.warmUp=true}
     * (not by default: whole runs on two cores measured no gain); calling it before the data are
     * loaded or converted lets the JIT compile the kernels while that work runs. It
     * never changes a result (the thread works on its own small synthetic problem, and the kernels
     * give the same bits compiled or not), does nothing after the first call per storage in a JVM,
     * for a few thousand rows or fewer, and with {@code -Dfastgn.warmUp=false}.
     *
     * @param floatRows whether the rows will be float ({@link LabelledData#ofFloat}); with
     *                  {@code standardize} on the optimizer reads standardised double rows whatever this is
     */
    public void warmUp(int rows, int featureCount, int classCount, boolean floatRows) {
        KernelWarmUp.start(rows, featureCount, classCount, floatRows && !options.standardize());
    }

    /**
     * Whether training ({@link #fit}, and trainers built on it such as the Tribuo one) starts the
     * kernel warm-up ({@link #warmUp}) by itself: only with {@code -Dfastgn.warmUp=true}. Off by
     * default: whole first runs in a fresh JVM measured no gain from it on two cores (the thread
     * competes with the conversion and the first products for the cores).
     */
    public static boolean warmsUpByItself() {
        return KernelWarmUp.automatic();
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
     * Trains a head on {@code data} (not modified) from zero weights.
     *
     * @throws IllegalArgumentException if {@code data} is null, or explicit class weights do not fit it
     * @throws ArithmeticException      if the optimisation diverges
     */
    public Fit fit(LabelledData data) {
        return fit(data, null);
    }

    /**
     * Trains a head on {@code data} (not modified) starting from {@code start}, a head on the same raw
     * features and classes (a previous fit's model, or {@code new SoftmaxModel(weights, d, k)} for
     * weights from elsewhere). With {@code standardize} on, the start is mapped exactly into the
     * standardised parameterisation the optimizer works in ({@link Standardizer#unfoldFromWeights}), so
     * starting from the optimum of the same problem ends at once and the model is unchanged.
     *
     * @param start the starting head on raw features, or null for zero weights (not modified)
     * @throws IllegalArgumentException if {@code data} is null, {@code start} has another number of
     *                                  features or classes than the data, or explicit class weights do not
     *                                  fit the data
     * @throws ArithmeticException      if the optimisation diverges
     */
    public Fit fit(LabelledData data, SoftmaxModel start) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        int n = data.size();
        int d = data.featureCount();
        int k = data.classCount();
        if (start != null && (start.featureCount() != d || start.classCount() != k)) {
            throw new IllegalArgumentException("the start model has " + start.featureCount() + " features and "
                    + start.classCount() + " classes, the data " + d + " features and " + k + " classes: a warm start"
                    + " needs a model of the same features (same columns, same order) and the same classes; pass null"
                    + " to start from zero");
        }
        Standardizer st = Standardizer.identity(d);
        LabelledData train = switch (options.featureStorage()) {
            case FgnOptions.STORAGE_SPARSE -> data.toSparse();
            case FgnOptions.STORAGE_DENSE -> data.toDense();
            default -> data;
        };
        data = train;
        if (!data.isSparse() && !data.isMapped() && warmsUpByItself()) {
            // compile the dense kernels while the features are standardised (KernelWarmUp, -Dfastgn.warmUp=true)
            warmUp(n, d, k, data.isFloat());
        }
        if (options.standardize() && data.isSparse()) {
            // scale-only: the same objective as full standardisation (the bias absorbs the centring,
            // Standardizer#scaleOnly), and the rows stay sparse
            Standardizer moments = data.sparseFeatures().standardizer(data.weights());
            warnIfOffset(moments, "sparse rows");
            st = moments.scaleOnly();
            train = LabelledData.sparse(data.sparseFeatures().scaleColumns(st.scale()), data.labels(), data.weights(),
                    k);
        } else if (options.standardize() && data.isMapped()) {
            // centred and scaled as dense rows are, on a view of the file (the statistics stream through it):
            // dense rows lose nothing to the centring, and a column far from zero stays well conditioned
            st = data.mappedFeatures().standardizer(data.weights());
            train = LabelledData.mapped(data.mappedFeatures().standardized(st.mean(), st.scale()), data.labels(),
                    data.weights(), k);
        } else if (options.standardize()) {
            double[] raw = data.features();
            st = Standardizer.fit(raw, n, d, data.weights());
            train = new LabelledData(st.transform(raw, n), data.labels(), data.weights(), n, d, k);
        }
        // class weights weight the loss only: the standardisation above uses the example weights as given
        train = classWeights().applyTo(train);
        double[] first = null;
        if (start != null) {
            first = options.standardize() ? st.unfoldFromWeights(start.weights(), k) : start.weights();
            for (int t = 0; t < first.length; t++) {
                if (!Double.isFinite(first[t])) {
                    throw new IllegalArgumentException("the start model's parameter (" + t / (d + 1) + ", "
                            + t % (d + 1) + ") becomes " + first[t] + " on standardised features; its weights are too"
                            + " large for these features: start from zero or train with standardize=false");
                }
            }
        }
        // the optimizer sees the features as given (standardised above when asked for) and the weights above
        FgnOptimizer optimizer = new FgnOptimizer(options.toBuilder().standardize(false).classWeight("none")
                .build());
        listeners.forEach(optimizer::addListener);
        TrainingResult result = optimizer.optimize(train, first);
        // a fresh array either way (weights() copies, the fold makes a new one): the model keeps it
        double[] raw = options.standardize() ? st.foldIntoWeights(result.weights(), k) : result.weights();
        return new Fit(new SoftmaxModel(raw, d, k, false), result, st);
    }

    /**
     * One WARNING naming the column furthest from zero, in standard deviations, when that is more
     * than {@value #OFFSET_WARNING}: sparse rows are standardised scale-only (the bias absorbs the
     * centring, the same objective; lib/core/ALGORITHM.md §7), and a column with a large common
     * offset (a timestamp, a year) is then so ill-conditioned against the bias that a run slows down
     * or stalls. Centring would fill in the rows' zeros; the caller can centre the column, or train
     * on dense rows (in the heap or mapped), which are centred.
     */
    private static void warnIfOffset(Standardizer moments, String storage) {
        double[] mean = moments.mean();
        double[] scale = moments.scale();
        int worst = -1;
        double most = OFFSET_WARNING;
        for (int j = 0; j < mean.length; j++) {
            double r = Math.abs(mean[j]) / scale[j];
            if (r > most) {
                most = r;
                worst = j;
            }
        }
        if (worst >= 0 && LOG.isLoggable(java.util.logging.Level.WARNING)) {
            LOG.warning(String.format(java.util.Locale.ROOT, "feature %d's mean %.6g is %.3g standard deviations"
                    + " from zero, and %s are standardised without centring: the column is ill-conditioned"
                    + " against the bias and training may slow down or stall; subtract its mean before training,"
                    + " or train on dense rows (featureStorage=dense), which are centred", worst, mean[worst],
                    most, storage));
        }
    }
}
