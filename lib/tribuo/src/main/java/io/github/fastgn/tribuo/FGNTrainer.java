package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.SoftmaxModel;
import io.github.fastgn.data.ClassWeights;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.OptionException;
import io.github.fastgn.optim.OptionSpec;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Trainer;
import org.tribuo.WeightedExamples;
import org.tribuo.classification.Label;
import org.tribuo.classification.WeightedLabels;
import org.tribuo.MutableDataset;
import org.tribuo.MutableFeatureMap;
import org.tribuo.MutableOutputInfo;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Tribuo {@link Trainer} for multiclass logistic regression (a linear softmax head) trained
 * with Fast Gauss-Newton: Levenberg-Marquardt steps on the FGN curvature, capped by the
 * Ghosts-of-Softmax guard, minimising {@code mean CE + l2/2 ||W||^2} (weighted by
 * {@link Example#getWeight()}; the bias is not penalised).
 *
 * <p>The trainer returns a genuine {@link LinearSGDModel} with softmax outputs, so the model
 * predicts with probabilities, reports {@code getTopFeatures}/{@code getExcuse} in the original
 * feature units, exports to ONNX, and can be saved and loaded (protobuf or Java serialization)
 * with Tribuo alone: FastGN is needed to train, not to use a model.
 *
 * <p>With {@code standardize} on (the default) the features are standardised before training
 * and the solution is folded back exactly into raw-feature weights and bias. The penalty
 * {@code l2} then applies to the <em>standardised</em> weights {@code W_std = W_raw * scale},
 * which is what makes one value of {@code l2} mean the same on differently scaled features.
 * The data are read into dense rows ({@code n x d} floats when every value is exactly a float,
 * as pixels or float32 embeddings are, else doubles) or, when the examples store few of the
 * {@code n x d} values (a text pipeline's bag of words, {@code LibSVMDataSource}), into compressed
 * sparse rows that are never densified ({@code featureStorage}, {@link FgnOptions#SPARSE_PERCENT});
 * sparse rows are standardised by scale only, which is the same objective, so the same model.
 *
 * <p>Reproducibility follows Tribuo's convention: each call to {@code train} splits a seeded
 * RNG, so the same {@link #getInvocationCount() invocation count} gives bit-for-bit identical
 * weights. The run seed (of the mini-batch shuffling and the curvature samples) of invocation 0,
 * the first call on a fresh trainer, is the {@code seed} option itself; later invocations draw it
 * from their split. So a fresh trainer runs exactly what {@link SoftmaxHeadTrainer} runs with the
 * same options on the same rows: the same iterations and the same model bit for bit, with the
 * classes in the order of the dataset's output domain (Tribuo's label ids). Its only extra cost is
 * reading the examples into arrays, one pass of {@code O(n d)}. The model provenance records the trainer
 * configuration and invocation count, plus the outcome of the optimisation as instance values:
 * {@code fgn-iterations}, {@code fgn-epochs}, {@code fgn-final-objective} (on the standardised
 * problem when {@code standardize} is on), {@code fgn-final-gradient-norm}, {@code fgn-solver},
 * {@code fgn-stop-reason}, {@code fgn-converged} ({@code true} only for the stop reason
 * {@code CONVERGED}: the estimated optimality gap reached the tolerance), {@code fgn-seed},
 * {@code fgn-feature-storage} ("dense" or "sparse": how the features were held) and
 * {@code fgn-train-seconds} (wall-clock, so two otherwise identical models differ in it, as they
 * do in the training time); with class weights also {@code fgn-class-weights} (each label's
 * weight), and after a warm start {@code fgn-initial-model}. A run that ends on its budget or a
 * stall before its tolerance records {@code fgn-converged = false} and logs a convergence warning
 * (the optimizer's logger, {@code io.github.fastgn.optim.FgnOptimizer}).
 *
 * <p>Warm start: {@link #train(Dataset, LinearSGDModel)} starts from any {@code LinearSGDModel} with
 * the dataset's feature and label names (matched by name). Class weights: the option
 * {@code classWeight=balanced} or explicit {@link #setLabelWeights label weights} multiply the
 * example weights ({@link ClassWeights}).
 *
 * <p>Stopping: {@code maxSeconds} bounds the wall-clock time ({@code TIME_LIMIT}). Interrupting
 * the training thread, or a listener's {@link TrainingListener#stopRequested() stop request},
 * ends the run within one step: {@code train} then returns the model of the iterate reached so
 * far, records {@code INTERRUPTED} (or {@code STOPPED_BY_LISTENER}) as {@code fgn-stop-reason},
 * logs a warning, and leaves the thread's interrupt flag set.
 *
 * <pre>{@code
 * FGNTrainer trainer = new FGNTrainer(1e-4);
 * LinearSGDModel model = trainer.train(trainData);
 * LabelEvaluation eval = new LabelEvaluator().evaluate(model, testData);
 * }</pre>
 *
 * <p>Hyper-parameters are OLCUT {@code @Config} fields of primitive or String type (no enums, so
 * that saved models do not need FastGN classes to load), one per {@link FgnOptions} option with
 * the same name, default, description and validation ({@link FgnOptions#OPTIONS}, table in
 * {@code lib/core/OPTIONS.md}); see the example configuration
 * {@code /io/github/fastgn/tribuo/fgn-trainer.xml}. From code, {@link #FGNTrainer(FgnOptions)}
 * takes any settings.
 */
public final class FGNTrainer implements Trainer<Label>, WeightedExamples, WeightedLabels {

    private static final Logger LOG = Logger.getLogger(FGNTrainer.class.getName());

    /** The name given to trained models. */
    public static final String MODEL_NAME = "fgn-softmax-model";

    /** Instance-value keys this trainer adds to the model provenance. */
    public static final String ITERATIONS = "fgn-iterations";
    public static final String EPOCHS = "fgn-epochs";
    public static final String FINAL_OBJECTIVE = "fgn-final-objective";
    public static final String FINAL_GRADIENT_NORM = "fgn-final-gradient-norm";
    public static final String SOLVER = "fgn-solver";
    public static final String STOP_REASON = "fgn-stop-reason";
    public static final String CONVERGED = "fgn-converged";
    public static final String SEED = "fgn-seed";
    public static final String TRAIN_SECONDS = "fgn-train-seconds";
    /** Instance value: "dense" or "sparse", the rows the dataset was read into ({@code featureStorage}). */
    public static final String FEATURE_STORAGE = "fgn-feature-storage";
    /** Instance value: the weight of each label, "label=weight, ..." in label-id order (when weighted). */
    public static final String CLASS_WEIGHTS = "fgn-class-weights";
    /** Instance value: the model a warm-started run started from (name, trainer, training time). */
    public static final String INITIAL_MODEL = "fgn-initial-model";

    /** The description of {@link #setLabelWeights}'s configuration field, as Tribuo's LibLinear trainers have it. */
    public static final String LABEL_WEIGHTS_DESCRIPTION = "Explicit per-label weights on top of the example"
            + " weights, by label name (WeightedLabels); labels not listed weigh 1. Not with classWeight=balanced.";

    /** The defaults every field starts from: the one definition in {@link FgnOptions}. */
    private static final FgnOptions DEFAULTS = FgnOptions.defaults();

    // One @Config field per FgnOptions option: same name, default and description, validated by the
    // option (FGNTrainerOptionsTest fails on any drift). The one Tribuo-only field is labelWeights, the
    // configuration of Tribuo's WeightedLabels interface (the plain-array API takes a ClassWeights object).

    @Config(description = FgnOptions.L2_DESCRIPTION)
    private double l2 = DEFAULTS.l2();

    @Config(description = FgnOptions.STANDARDIZE_DESCRIPTION)
    private boolean standardize = DEFAULTS.standardize();

    @Config(description = FgnOptions.CLASS_WEIGHT_DESCRIPTION)
    private String classWeight = DEFAULTS.classWeight();

    @Config(description = LABEL_WEIGHTS_DESCRIPTION)
    private Map<String, Float> labelWeights = Collections.emptyMap();

    @Config(description = FgnOptions.MODE_DESCRIPTION)
    private String mode = OptionSpec.format(DEFAULTS.mode());

    @Config(description = FgnOptions.BATCH_SIZE_DESCRIPTION)
    private int batchSize = DEFAULTS.batchSize();

    @Config(description = FgnOptions.MAX_ITERATIONS_DESCRIPTION)
    private int maxIterations = DEFAULTS.maxIterations();

    @Config(description = FgnOptions.TOLERANCE_DESCRIPTION)
    private double tolerance = DEFAULTS.tolerance();

    @Config(description = FgnOptions.SOLVER_DESCRIPTION)
    private String solver = DEFAULTS.solver();

    @Config(description = FgnOptions.GUARD_DESCRIPTION)
    private String guard = DEFAULTS.guard();

    @Config(description = FgnOptions.GUARD_SCALE_DESCRIPTION)
    private double guardScale = DEFAULTS.guardScale();

    @Config(description = FgnOptions.SEED_DESCRIPTION)
    private long seed = DEFAULTS.seed();

    @Config(description = FgnOptions.INITIAL_DAMPING_DESCRIPTION)
    private double initialDamping = DEFAULTS.initialDamping();

    @Config(description = FgnOptions.MIN_DAMPING_DESCRIPTION)
    private double minDamping = DEFAULTS.minDamping();

    @Config(description = FgnOptions.MAX_DAMPING_DESCRIPTION)
    private double maxDamping = DEFAULTS.maxDamping();

    @Config(description = FgnOptions.DROP_COMPENSATION_DESCRIPTION)
    private boolean dropCompensation = DEFAULTS.dropCompensation();

    @Config(description = FgnOptions.MAX_CG_ITERATIONS_DESCRIPTION)
    private int maxCgIterations = DEFAULTS.maxCgIterations();

    @Config(description = FgnOptions.MAX_SECONDS_DESCRIPTION)
    private double maxSeconds = DEFAULTS.maxSeconds();

    @Config(description = FgnOptions.THREADS_DESCRIPTION)
    private int threads = DEFAULTS.threads();

    @Config(description = FgnOptions.AVERAGING_DESCRIPTION)
    private boolean averaging = DEFAULTS.averaging();

    @Config(description = FgnOptions.CURVATURE_SAMPLE_DESCRIPTION)
    private int curvatureSample = DEFAULTS.curvatureSample();

    @Config(description = FgnOptions.TARGET_OBJECTIVE_DESCRIPTION)
    private double targetObjective = DEFAULTS.targetObjective();

    @Config(description = FgnOptions.FEATURE_STORAGE_DESCRIPTION)
    private String featureStorage = DEFAULTS.featureStorage();

    private FgnOptions options;
    private SplittableRandom rng;
    private int trainInvocationCount = 0;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();

    /** For OLCUT. */
    private FGNTrainer() {
    }

    /**
     * An FGN trainer with the default settings and the given L2 strength.
     *
     * @param l2 L2 penalty on W (on the standardised weights, as {@code standardize} is on)
     * @throws IllegalArgumentException if {@code l2} is negative or not finite
     */
    public FGNTrainer(double l2) {
        this.l2 = l2;
        configure();
    }

    /**
     * An FGN trainer with the most used settings; the others keep their defaults.
     *
     * @param l2            L2 penalty on W (on the standardised weights, as {@code standardize} is on)
     * @param mode          "full" or "minibatch"
     * @param maxIterations iteration budget
     * @param solver        "auto", "newton" or a solver name ({@link FgnOptions#SOLVER_DESCRIPTION})
     * @param seed          RNG seed
     * @throws IllegalArgumentException naming the hyper-parameter that is invalid
     */
    public FGNTrainer(double l2, String mode, int maxIterations, String solver, long seed) {
        this.l2 = l2;
        this.mode = mode;
        this.maxIterations = maxIterations;
        this.solver = solver;
        this.seed = seed;
        configure();
    }

    /**
     * An FGN trainer with the given settings (the seed seeds the trainer's RNG, from which each
     * {@code train} call draws its run seed).
     *
     * @param options validated settings, e.g. {@code FgnOptions.builder().l2(1e-3).mode(Mode.MINIBATCH).build()}
     */
    public FGNTrainer(FgnOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        this.l2 = options.l2();
        this.standardize = options.standardize();
        this.classWeight = options.classWeight();
        this.mode = OptionSpec.format(options.mode());
        this.batchSize = options.batchSize();
        this.maxIterations = options.maxIterations();
        this.tolerance = options.tolerance();
        this.solver = options.solver();
        this.guard = options.guard();
        this.guardScale = options.guardScale();
        this.seed = options.seed();
        this.initialDamping = options.initialDamping();
        this.minDamping = options.minDamping();
        this.maxDamping = options.maxDamping();
        this.dropCompensation = options.dropCompensation();
        this.maxCgIterations = options.maxCgIterations();
        this.maxSeconds = options.maxSeconds();
        this.threads = options.threads();
        this.averaging = options.averaging();
        this.curvatureSample = options.curvatureSample();
        this.targetObjective = options.targetObjective();
        this.featureStorage = options.featureStorage();
        configure();
    }

    /**
     * Used by the OLCUT configuration system, and should not be called by external code.
     *
     * @throws PropertyException naming the invalid hyper-parameter
     */
    @Override
    public synchronized void postConfig() {
        try {
            configure();
        } catch (IllegalArgumentException e) {
            throw new PropertyException(e, "", FgnOptions.optionOf(e), e.getMessage());
        }
    }

    /** Validates the hyper-parameters into {@link FgnOptions} and resets the RNG. */
    private synchronized void configure() {
        this.options = FgnOptions.builder()
                .l2(l2)
                .standardize(standardize)
                .classWeight(classWeight)
                .mode(FgnOptions.Mode.parse(mode))
                .batchSize(batchSize)
                .maxIterations(maxIterations)
                .tolerance(tolerance)
                .solver(solver)
                .guard(guard)
                .guardScale(guardScale)
                .seed(seed)
                .initialDamping(initialDamping)
                .minDamping(minDamping)
                .maxDamping(maxDamping)
                .dropCompensation(dropCompensation)
                .maxCgIterations(maxCgIterations)
                .maxSeconds(maxSeconds)
                .threads(threads)
                .averaging(averaging)
                .curvatureSample(curvatureSample)
                .targetObjective(targetObjective)
                .featureStorage(featureStorage)
                .build();
        this.labelWeights = checkedLabelWeights(labelWeights, options);
        this.rng = new SplittableRandom(seed);
        this.trainInvocationCount = 0;
    }

    /**
     * Adds a listener that observes every following training run (iterations, epochs, the
     * result). Listeners are not hyper-parameters: they are not part of the provenance or the
     * configuration, and a trainer rebuilt from a model's provenance has none.
     */
    public FGNTrainer addListener(TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
        return this;
    }

    /** Removes a listener added with {@link #addListener}; returns whether it was registered. */
    public boolean removeListener(TrainingListener listener) {
        return listeners.remove(listener);
    }

    /**
     * Weights the labels on top of the example weights in the following runs (Tribuo's
     * {@link WeightedLabels}, as its LibLinear and LibSVM trainers): label {@code l}'s examples count
     * {@code weights.get(l)} times, labels not in the map weigh 1, a label the training data does not
     * have is an error at {@code train}. The weights are a configuration field ({@code labelWeights},
     * by label name), so the trainer provenance records them; the model provenance also records each
     * label's weight ({@value #CLASS_WEIGHTS}). An empty map removes the weighting.
     *
     * @throws IllegalArgumentException if the map or a label is null, a weight is negative or not finite,
     *                                  or {@code classWeight=balanced} (give one or the other)
     */
    @Override
    public synchronized void setLabelWeights(Map<Label, Float> weights) {
        if (weights == null) {
            throw new IllegalArgumentException("label weights must not be null; pass an empty map for none");
        }
        Map<String, Float> byName = new TreeMap<>();
        for (Map.Entry<Label, Float> e : weights.entrySet()) {
            if (e.getKey() == null) {
                throw new IllegalArgumentException("label weights: a label is null");
            }
            byName.put(e.getKey().getLabel(), e.getValue());
        }
        labelWeights = checkedLabelWeights(byName, options);
    }

    /** The label weights set by {@link #setLabelWeights} or the configuration, by label name (a copy). */
    public synchronized Map<String, Float> labelWeights() {
        return new TreeMap<>(labelWeights);
    }

    /** An unmodifiable sorted copy of checked label weights. */
    private static Map<String, Float> checkedLabelWeights(Map<String, Float> weights, FgnOptions options) {
        if (weights == null) {
            return Collections.emptyMap();
        }
        Map<String, Float> out = new TreeMap<>();
        for (Map.Entry<String, Float> e : weights.entrySet()) {
            Float w = e.getValue();
            if (w == null || !(w >= 0) || !Float.isFinite(w)) {
                throw new OptionException("labelWeights", "the weight of label '" + e.getKey() + "' is " + w
                        + "; label weights must be finite and >= 0");
            }
            out.put(e.getKey(), w);
        }
        if (!out.isEmpty() && options.classWeights().isBalanced()) {
            throw new OptionException("labelWeights", "classWeight=balanced and explicit label weights " + out
                    + " are both set; give one or the other");
        }
        return out.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(out);
    }

    /** The class weights of a run on this label domain: explicit label weights, else the option's. */
    private static ClassWeights classWeights(Map<String, Float> labelWeights, FgnOptions options,
                                             ImmutableOutputInfo<Label> outputInfo) {
        if (labelWeights.isEmpty()) {
            return options.classWeights();
        }
        double[] perClass = new double[outputInfo.size()];
        java.util.Arrays.fill(perClass, 1.0);
        for (Map.Entry<String, Float> e : labelWeights.entrySet()) {
            int id = outputInfo.getID(new Label(e.getKey()));
            if (id < 0) {
                throw new IllegalArgumentException("label weights name the label '" + e.getKey() + "', which the"
                        + " dataset's output domain does not have (" + outputInfo.toReadableString() + "); remove it"
                        + " from the label weights or check its spelling");
            }
            perClass[id] = e.getValue();
        }
        return ClassWeights.of(perClass);
    }

    /** "label=weight, ..." in label-id order. */
    private static String describe(double[] perClass, ImmutableOutputInfo<Label> outputInfo) {
        StringJoiner j = new StringJoiner(", ");
        for (int c = 0; c < perClass.length; c++) {
            j.add(outputInfo.getOutput(c).getLabel() + "=" + perClass[c]);
        }
        return j.toString();
    }

    /** The validated core settings (the shuffling seed is replaced per train call). */
    public FgnOptions options() {
        return options;
    }

    @Override
    public LinearSGDModel train(Dataset<Label> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public LinearSGDModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains a softmax model starting from {@code initialModel} (warm start), e.g. a model of an
     * earlier run on fewer data or with another {@code l2}, or one trained by Tribuo's
     * {@code LogisticRegressionTrainer}.
     *
     * @see #train(Dataset, Map, int, LinearSGDModel)
     */
    public LinearSGDModel train(Dataset<Label> examples, LinearSGDModel initialModel) {
        return train(examples, Collections.emptyMap(), INCREMENT_INVOCATION_COUNT, initialModel);
    }

    /**
     * Trains a softmax model.
     *
     * @throws IllegalArgumentException if the dataset is null or empty, has unknown outputs, fewer than two
     *                                  classes, no features, an example without features or a
     *                                  non-finite feature value, or invalid example weights
     * @throws ArithmeticException      if the optimisation diverges
     */
    @Override
    public LinearSGDModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        return train(examples, runProvenance, invocationCount, null);
    }

    /**
     * Trains a softmax model, starting from {@code initialModel} when it is not null (warm start).
     * The initial model must have the dataset's feature and label domains; its weights are matched to
     * the dataset's by feature name and label name (not by id), read from
     * {@link LinearSGDModel#getWeightsCopy()} (bias in the last column), and mapped exactly into the
     * standardised problem when {@code standardize} is on. The model provenance records the start
     * ({@value #INITIAL_MODEL}).
     *
     * @param initialModel the model to start from (not modified), or null for zero weights
     * @throws IllegalArgumentException as {@link #train(Dataset, Map, int)}, and if the initial model lacks a
     *                                  feature or label of the dataset or has one the dataset lacks (naming
     *                                  them), or label weights name a label the dataset does not have
     * @throws ArithmeticException      if the optimisation diverges
     */
    public LinearSGDModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount,
                                LinearSGDModel initialModel) {
        // validate and convert before touching the RNG: a rejected dataset does not consume an invocation
        Converted data = convert(examples, options());
        SoftmaxModel start = initialModel == null ? null
                : new SoftmaxModel(LinearModels.weightsOn(initialModel, data.featureMap, data.outputInfo),
                data.data.featureCount(), data.data.classCount());
        TrainerProvenance trainerProvenance;
        SplittableRandom localRNG;
        int invocation;
        FgnOptions base;
        ClassWeights classWeights;
        synchronized (this) {
            classWeights = classWeights(labelWeights, options, data.outputInfo);
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            localRNG = rng.split();
            invocation = trainInvocationCount;
            base = options;
            trainerProvenance = getProvenance();
            trainInvocationCount++;
        }
        // invocation 0 runs with the configured seed, as the plain-array API does (same sample, same model)
        long drawn = localRNG.nextLong();
        long runSeed = invocation == 0 ? base.seed() : drawn;
        SoftmaxHeadTrainer core = new SoftmaxHeadTrainer(base.toBuilder().seed(runSeed).build())
                .classWeights(classWeights);
        listeners.forEach(core::addListener);
        SoftmaxHeadTrainer.Fit fit;
        try {
            fit = core.fit(data.data, start);
        } catch (ArithmeticException e) {
            ArithmeticException wrapped = new ArithmeticException("FGN training failed on " + data.data.size()
                    + " examples with solver " + base.solver() + ": " + e.getMessage()
                    + (base.standardize() ? "; a larger l2 or initialDamping may help"
                    : "; badly scaled features are a common cause: set standardize=true"));
            wrapped.initCause(e);
            throw wrapped;
        }
        TrainingResult result = fit.training();
        double[] weights = fit.model().weights();
        for (double w : weights) {
            if (!Double.isFinite(w)) {
                throw new ArithmeticException("FGN training produced non-finite weights (" + w + ") after "
                        + result.iterations() + " iterations; raise initialDamping or set guard=on");
            }
        }

        if (result.stopReason() == StopReason.INTERRUPTED || result.stopReason() == StopReason.STOPPED_BY_LISTENER) {
            // the model of the iterate reached so far; an interrupt stays set on this thread
            LOG.warning(String.format(Locale.ROOT, "FGN training %s after %d iterations: returning the model of"
                            + " the current iterate (objective %.10e, |grad| %.3e), not a converged one",
                    result.stopReason() == StopReason.INTERRUPTED ? "was interrupted" : "was stopped by a listener",
                    result.iterations(), result.objective(), result.gradientNorm()));
        }
        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(ITERATIONS, new IntProvenance(ITERATIONS, result.iterations()));
        instance.put(EPOCHS, new IntProvenance(EPOCHS, result.epochs()));
        instance.put(FINAL_OBJECTIVE, new DoubleProvenance(FINAL_OBJECTIVE, result.objective()));
        instance.put(FINAL_GRADIENT_NORM, new DoubleProvenance(FINAL_GRADIENT_NORM, result.gradientNorm()));
        instance.put(SOLVER, new StringProvenance(SOLVER, result.solver()));
        instance.put(STOP_REASON, new StringProvenance(STOP_REASON, result.stopReason().name()));
        instance.put(CONVERGED, new BooleanProvenance(CONVERGED, result.converged()));
        instance.put(SEED, new LongProvenance(SEED, runSeed));
        instance.put(FEATURE_STORAGE, new StringProvenance(FEATURE_STORAGE, data.data.isSparse()
                ? FgnOptions.STORAGE_SPARSE : FgnOptions.STORAGE_DENSE));
        instance.put(TRAIN_SECONDS, new DoubleProvenance(TRAIN_SECONDS, result.elapsedSeconds()));
        if (!classWeights.isNone()) {
            instance.put(CLASS_WEIGHTS, new StringProvenance(CLASS_WEIGHTS,
                    describe(classWeights.perClass(data.data), data.outputInfo)));
        }
        if (initialModel != null) {
            ModelProvenance from = initialModel.getProvenance();
            instance.put(INITIAL_MODEL, new StringProvenance(INITIAL_MODEL, initialModel.getName() + " trained "
                    + from.getTrainingTime() + " by " + from.getTrainerProvenance().getClassName()));
        }
        ModelProvenance provenance = new ModelProvenance(LinearSGDModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, instance);
        if (LOG.isLoggable(Level.INFO)) {
            LOG.info(String.format(Locale.ROOT, "FGN trained on %d examples, %d features, %d classes: %d iterations"
                            + " (%s), solver %s, objective %.10e, |grad| %.3e, %.3f s", data.data.size(),
                    data.data.featureCount(), data.data.classCount(), result.iterations(), result.stopReason(),
                    result.solver(), result.objective(), result.gradientNorm(), result.elapsedSeconds()));
        }
        return LinearModels.softmax(MODEL_NAME, provenance, data.featureMap, data.outputInfo, weights);
    }

    /**
     * A Tribuo model of a softmax head trained elsewhere with this trainer's options (FastGN's
     * Spark estimator): column {@code j} of the head is the feature {@code featureNames[j]}, row
     * {@code c} the class {@code classNames[c]} (Tribuo numbers features and classes its own way;
     * the weights are placed by name). The provenance records this trainer's configuration and
     * {@code source} as the data source. The result is a genuine {@code LinearSGDModel}: it predicts,
     * saves and exports to ONNX without FastGN.
     *
     * @throws IllegalArgumentException if {@code head} is null, a name array does not match its shape
     *                                  or repeats a name, or {@code source} is empty
     */
    public LinearSGDModel toModel(SoftmaxModel head, String[] featureNames, String[] classNames, String source) {
        if (head == null) {
            throw new IllegalArgumentException("head must not be null");
        }
        int d = head.featureCount();
        int k = head.classCount();
        TribuoData.checkNames("featureNames", featureNames, d);
        TribuoData.checkNames("classNames", classNames, k);
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must not be empty");
        }
        MutableFeatureMap features = new MutableFeatureMap();
        for (String f : featureNames) {
            features.add(f, 1.0);
        }
        ImmutableFeatureMap featureMap = new ImmutableFeatureMap(features);
        LabelFactory factory = new LabelFactory();
        MutableOutputInfo<Label> labels = factory.generateInfo();
        for (String c : classNames) {
            labels.observe(new Label(c));
        }
        ImmutableOutputInfo<Label> outputInfo = labels.generateImmutableOutputInfo();
        double[] w = head.weights();
        int dd = d + 1;
        double[] placed = new double[w.length];
        for (int c = 0; c < k; c++) {
            int row = outputInfo.getID(new Label(classNames[c]));
            for (int j = 0; j < d; j++) {
                placed[row * dd + featureMap.getID(featureNames[j])] = w[c * dd + j];
            }
            placed[row * dd + d] = w[c * dd + d];
        }
        MutableDataset<Label> none = new MutableDataset<>(new SimpleDataSourceProvenance(source, factory), factory);
        ModelProvenance provenance = new ModelProvenance(LinearSGDModel.class.getName(), OffsetDateTime.now(),
                none.getProvenance(), getProvenance(), Map.of());
        return LinearModels.softmax(MODEL_NAME, provenance, featureMap, outputInfo, placed);
    }

    /** A dataset as plain arrays (dense or sparse rows), with the domains that define its columns and classes. */
    private record Converted(LabelledData data, ImmutableFeatureMap featureMap, ImmutableOutputInfo<Label> outputInfo) {
    }

    /**
     * Checks the dataset and reads it in the storage {@code options.featureStorage()} chooses
     * ({@link DatasetReader}); on dense rows, with {@code -Dfastgn.warmUp=true}, the kernels start
     * compiling once the first example is read ({@link SoftmaxHeadTrainer#warmUp}), so the JIT works
     * while the rest is converted.
     */
    private static Converted convert(Dataset<Label> examples, FgnOptions options) {
        if (examples == null) {
            throw new IllegalArgumentException("examples must not be null");
        }
        if (examples.getOutputInfo().getUnknownCount() > 0) {
            throw new IllegalArgumentException("The supplied Dataset contained unknown Outputs, and this Trainer is "
                    + "supervised: every example needs a label");
        }
        int n = examples.size();
        if (n == 0) {
            throw new IllegalArgumentException("the dataset is empty: training needs at least one example");
        }
        ImmutableOutputInfo<Label> outputInfo = examples.getOutputIDInfo();
        int k = outputInfo.size();
        if (k < 2) {
            throw new IllegalArgumentException("a softmax model needs at least 2 classes, but the dataset's output "
                    + "domain holds " + k + " (" + outputInfo.toReadableString() + "); add examples of another class");
        }
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        int d = featureMap.size();
        if (d == 0) {
            throw new IllegalArgumentException("the dataset's examples have no features");
        }
        SoftmaxHeadTrainer kernels = new SoftmaxHeadTrainer(options);
        return new Converted(DatasetReader.read(examples, featureMap, outputInfo, options.featureStorage(),
                floatRows -> {
                    if (SoftmaxHeadTrainer.warmsUpByItself()) {
                        kernels.warmUp(n, d, k, floatRows);
                    }
                }), featureMap, outputInfo);
    }

    @Override
    public int getInvocationCount() {
        return trainInvocationCount;
    }

    /**
     * Sets the invocation count: the next model is trained as the {@code invocationCount}-th
     * call to {@code train} on a fresh trainer would be (the RNG splits are replayed).
     *
     * @throws IllegalArgumentException if {@code invocationCount} is negative
     */
    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The supplied invocationCount is less than zero: " + invocationCount);
        }
        rng = new SplittableRandom(seed);
        for (trainInvocationCount = 0; trainInvocationCount < invocationCount; trainInvocationCount++) {
            rng.split();
        }
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    /**
     * {@code FGNTrainer(l2=1.0E-4,standardize=true,...)}: every hyper-parameter, and the label weights
     * when there are any.
     */
    @Override
    public synchronized String toString() {
        StringJoiner j = new StringJoiner(",", "FGNTrainer(", ")");
        options.values().forEach((name, value) -> j.add(name + "=" + OptionSpec.format(value)));
        if (!labelWeights.isEmpty()) {
            j.add("labelWeights=" + labelWeights);
        }
        return j.toString();
    }
}
