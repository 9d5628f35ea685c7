package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Trainer;
import org.tribuo.WeightedExamples;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
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
 * The data are densified for training ({@code n x d} doubles); sparse datasets are accepted.
 *
 * <p>Reproducibility follows Tribuo's convention: each call to {@code train} splits a seeded
 * RNG, and the seed of the mini-batch shuffling is drawn from that split, so the same
 * {@link #getInvocationCount() invocation count} gives bit-for-bit identical weights. Full-batch
 * training does not use randomness at all. The model provenance records the trainer
 * configuration and invocation count, plus the outcome of the optimisation as instance values:
 * {@code fgn-iterations}, {@code fgn-epochs}, {@code fgn-final-objective} (on the standardised
 * problem when {@code standardize} is on), {@code fgn-final-gradient-norm}, {@code fgn-solver},
 * {@code fgn-stop-reason}, {@code fgn-seed} and {@code fgn-train-seconds} (wall-clock, so two
 * otherwise identical models differ in it, as they do in the training time).
 *
 * <pre>{@code
 * FGNTrainer trainer = new FGNTrainer(1e-4);
 * LinearSGDModel model = trainer.train(trainData);
 * LabelEvaluation eval = new LabelEvaluator().evaluate(model, testData);
 * }</pre>
 *
 * <p>Hyper-parameters are OLCUT {@code @Config} fields of primitive or String type (no enums, so
 * that saved models do not need FastGN classes to load); see the example configuration
 * {@code /io/github/fastgn/tribuo/fgn-trainer.xml}.
 */
public final class FGNTrainer implements Trainer<Label>, WeightedExamples {

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
    public static final String SEED = "fgn-seed";
    public static final String TRAIN_SECONDS = "fgn-train-seconds";

    @Config(description = "L2 penalty strength on the weights W (not the bias): the objective is mean CE + l2/2 ||W||^2."
            + " With standardize on it applies to the weights of the standardised features.")
    private double l2 = 1e-4;

    @Config(description = "Standardise the features before training and fold the scaling back into the weights.")
    private boolean standardize = true;

    @Config(description = "\"full\" (every step uses all examples, deterministic) or \"minibatch\" (shuffled mini-batches).")
    private String mode = "full";

    @Config(description = "Mini-batch size (minibatch mode only).")
    private int batchSize = 1024;

    @Config(description = "Maximum number of optimizer iterations (steps, accepted or rejected).")
    private int maxIterations = 500;

    @Config(description = "Relative gradient tolerance: stop when ||grad|| <= tolerance * max(1, ||grad_0||).")
    private double tolerance = 1e-6;

    @Config(description = "Step solver: \"auto\" (cheapest FGN solver), \"newton\" (cheapest full Gauss-Newton solver,"
            + " i.e. damped Newton) or a concrete solver name of io.github.fastgn.solver.Solvers.")
    private String solver = "auto";

    @Config(description = "Cap each step with the Ghosts-of-Softmax guard (alpha <= guardScale * pi / max logit spread).")
    private boolean guard = true;

    @Config(description = "Scale c of the guard radius c * pi / max logit spread; 1 is the proven-safe radius.")
    private double guardScale = 1.0;

    @Config(description = "Seed of the RNG; each train call draws the mini-batch shuffling seed from a split of it.")
    private long seed = Trainer.DEFAULT_SEED;

    @Config(description = "Initial Levenberg-Marquardt damping lambda0; 0 chooses it from the curvature scale.")
    private double initialDamping = 1.0;

    @Config(description = "FGN-D: add the exact diagonal of the dropped curvature term to the damping (FGN solvers only).")
    private boolean dropCompensation = false;

    @Config(description = "Iteration cap of conjugate-gradient solvers.")
    private int maxCgIterations = 100;

    @Config(description = "Worker threads for the matrix products; 0 uses the common pool. Results do not depend on it.")
    private int threads = 0;

    @Config(description = "Full mode: rows sampled afresh each iteration for the step's curvature (the gradient, line"
            + " search and ratio always use every row); 0 (default) uses every row; -1 uses every row up to 16384"
            + " rows and 8192 sampled rows above.")
    private int curvatureSample = 0;

    /** The @Config field names, to attribute a validation error to its hyper-parameter. */
    private static final List<String> PROPERTIES = List.of("l2", "standardize", "mode", "batchSize",
            "maxIterations", "tolerance", "solver", "guard", "guardScale", "seed", "initialDamping",
            "dropCompensation", "maxCgIterations", "threads", "curvatureSample");

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
     * @param solver        "auto", "newton" or a solver name of {@link io.github.fastgn.solver.Solvers}
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

    private FGNTrainer(Builder b) {
        this.l2 = b.l2;
        this.standardize = b.standardize;
        this.mode = b.mode;
        this.batchSize = b.batchSize;
        this.maxIterations = b.maxIterations;
        this.tolerance = b.tolerance;
        this.solver = b.solver;
        this.guard = b.guard;
        this.guardScale = b.guardScale;
        this.seed = b.seed;
        this.initialDamping = b.initialDamping;
        this.dropCompensation = b.dropCompensation;
        this.maxCgIterations = b.maxCgIterations;
        this.threads = b.threads;
        this.curvatureSample = b.curvatureSample;
        configure();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
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
            throw new PropertyException(e, "", propertyOf(e.getMessage()), e.getMessage());
        }
    }

    /** Validates the hyper-parameters into {@link FgnOptions} and resets the RNG. */
    private synchronized void configure() {
        this.options = FgnOptions.builder()
                .l2(l2)
                .standardize(standardize)
                .mode(FgnOptions.Mode.parse(mode))
                .batchSize(batchSize)
                .maxIterations(maxIterations)
                .tolerance(tolerance)
                .solver(solver)
                .guard(guard)
                .guardScale(guardScale)
                .seed(seed)
                .initialDamping(initialDamping)
                .dropCompensation(dropCompensation)
                .maxCgIterations(maxCgIterations)
                .threads(threads)
                .curvatureSample(curvatureSample)
                .build();
        this.rng = new SplittableRandom(seed);
        this.trainInvocationCount = 0;
    }

    /** The @Config field an error message of {@link FgnOptions.Builder} is about, or null. */
    private static String propertyOf(String message) {
        if (message == null) {
            return null;
        }
        if (message.startsWith("unknown solver")) {
            return "solver";
        }
        for (String p : PROPERTIES) {
            if (message.startsWith(p + " ")) {
                return p;
            }
        }
        return null;
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
     * Trains a softmax model.
     *
     * @throws IllegalArgumentException if the dataset is empty, has unknown outputs, fewer than two
     *                                  classes, no features, an example without features or a
     *                                  non-finite feature value, or invalid example weights
     * @throws ArithmeticException      if the optimisation diverges
     */
    @Override
    public LinearSGDModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        // validate and convert before touching the RNG: a rejected dataset does not consume an invocation
        Converted data = convert(examples);
        TrainerProvenance trainerProvenance;
        SplittableRandom localRNG;
        FgnOptions base;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            localRNG = rng.split();
            base = options;
            trainerProvenance = getProvenance();
            trainInvocationCount++;
        }
        long runSeed = localRNG.nextLong();
        SoftmaxHeadTrainer core = new SoftmaxHeadTrainer(base.toBuilder().seed(runSeed).build());
        listeners.forEach(core::addListener);
        SoftmaxHeadTrainer.Fit fit;
        try {
            fit = core.fit(data.data);
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
                        + result.iterations() + " iterations; raise initialDamping or enable the guard");
            }
        }

        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(ITERATIONS, new IntProvenance(ITERATIONS, result.iterations()));
        instance.put(EPOCHS, new IntProvenance(EPOCHS, result.epochs()));
        instance.put(FINAL_OBJECTIVE, new DoubleProvenance(FINAL_OBJECTIVE, result.objective()));
        instance.put(FINAL_GRADIENT_NORM, new DoubleProvenance(FINAL_GRADIENT_NORM, result.gradientNorm()));
        instance.put(SOLVER, new StringProvenance(SOLVER, result.solver()));
        instance.put(STOP_REASON, new StringProvenance(STOP_REASON, result.stopReason().name()));
        instance.put(SEED, new LongProvenance(SEED, runSeed));
        instance.put(TRAIN_SECONDS, new DoubleProvenance(TRAIN_SECONDS, result.elapsedSeconds()));
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

    /** A dataset as dense arrays, with the domains that define its columns and classes. */
    private record Converted(LabelledData data, ImmutableFeatureMap featureMap, ImmutableOutputInfo<Label> outputInfo) {
    }

    private static Converted convert(Dataset<Label> examples) {
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
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("n*d = " + n + "*" + d + " exceeds the largest dense array; FGN "
                    + "trains on dense features");
        }
        double[] x = new double[n * d];
        int[] y = new int[n];
        double[] w = new double[n];
        boolean weighted = false;
        int i = 0;
        for (Example<Label> ex : examples) {
            int known = 0;
            for (Feature f : ex) {
                int id = featureMap.getID(f.getName());
                if (id < 0) {
                    continue;
                }
                double v = f.getValue();
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("example " + i + " has a non-finite value " + v
                            + " for feature '" + f.getName() + "'; remove or impute it before training");
                }
                // += as SparseVector does for repeated feature names
                x[i * d + id] += v;
                known++;
            }
            if (known == 0) {
                throw new IllegalArgumentException("example " + i + " has no features (Tribuo cannot predict it "
                        + "either); remove it before training");
            }
            int label = outputInfo.getID(ex.getOutput());
            if (label < 0) {
                throw new IllegalArgumentException("example " + i + " has label '" + ex.getOutput().getLabel()
                        + "', which is not in the dataset's output domain");
            }
            y[i] = label;
            float weight = ex.getWeight();
            w[i] = weight;
            weighted |= weight != 1.0f;
            i++;
        }
        if (i != n) {
            throw new IllegalStateException("the dataset reported " + n + " examples but iterated " + i);
        }
        // unit weights take the unweighted path of the core (identical objective, fewer operations)
        return new Converted(new LabelledData(x, y, weighted ? w : null, n, d, k), featureMap, outputInfo);
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

    @Override
    public String toString() {
        return "FGNTrainer(l2=" + l2 + ",standardize=" + standardize + ",mode=" + mode + ",batchSize=" + batchSize
                + ",maxIterations=" + maxIterations + ",tolerance=" + tolerance + ",solver=" + solver + ",guard="
                + guard + ",guardScale=" + guardScale + ",seed=" + seed + ",initialDamping=" + initialDamping
                + ",dropCompensation=" + dropCompensation + ",maxCgIterations=" + maxCgIterations + ",threads="
                + threads + ",curvatureSample=" + curvatureSample + ")";
    }

    /**
     * Builds an {@link FGNTrainer}; every setter takes a hyper-parameter of the same name and
     * {@link #build()} validates them all, throwing an {@link IllegalArgumentException} that
     * names the invalid one.
     */
    public static final class Builder {
        private double l2 = 1e-4;
        private boolean standardize = true;
        private String mode = "full";
        private int batchSize = 1024;
        private int maxIterations = 500;
        private double tolerance = 1e-6;
        private String solver = "auto";
        private boolean guard = true;
        private double guardScale = 1.0;
        private long seed = Trainer.DEFAULT_SEED;
        private double initialDamping = 1.0;
        private boolean dropCompensation = false;
        private int maxCgIterations = 100;
        private int threads = 0;
        private int curvatureSample = 0;

        private Builder() {
        }

        /** L2 penalty on W; on the standardised weights when {@code standardize} is on. */
        public Builder l2(double v) {
            l2 = v;
            return this;
        }

        public Builder standardize(boolean v) {
            standardize = v;
            return this;
        }

        /** "full" or "minibatch". */
        public Builder mode(String v) {
            mode = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder maxIterations(int v) {
            maxIterations = v;
            return this;
        }

        public Builder tolerance(double v) {
            tolerance = v;
            return this;
        }

        /** "auto", "newton" or a solver name of {@link io.github.fastgn.solver.Solvers}. */
        public Builder solver(String v) {
            solver = v;
            return this;
        }

        public Builder guard(boolean v) {
            guard = v;
            return this;
        }

        public Builder guardScale(double v) {
            guardScale = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Initial LM damping; 0 is scale-aware. */
        public Builder initialDamping(double v) {
            initialDamping = v;
            return this;
        }

        /** FGN-D (FGN solvers only). */
        public Builder dropCompensation(boolean v) {
            dropCompensation = v;
            return this;
        }

        public Builder maxCgIterations(int v) {
            maxCgIterations = v;
            return this;
        }

        /** 0 uses the common pool. */
        public Builder threads(int v) {
            threads = v;
            return this;
        }

        /** Rows sampled for the curvature each iteration in full mode; 0 uses every row. */
        public Builder curvatureSample(int v) {
            curvatureSample = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the hyper-parameter that is invalid
         */
        public FGNTrainer build() {
            return new FGNTrainer(this);
        }
    }
}
