package io.github.fastgn.spark;

import io.github.fastgn.data.ColumnMoments;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.Attribute$;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.apache.spark.sql.functions.col;

/**
 * FastGN as a Spark ML estimator: a multinomial (softmax) logistic regression of
 * {@code labelCol} on the {@code featuresCol} vectors (dense or sparse), minimising
 * {@code sum_i c_i CE(W x_i + b, y_i) / sum_i c_i + regParam/2 ||W||^2} (weights {@code c_i}
 * from {@code weightCol}; the bias is not penalised; on standardised features when
 * {@code standardization} is on, folded back into a model on the raw features), the objective of
 * MLlib's {@code LogisticRegression} with {@code family="multinomial"} and {@code elasticNetParam=0}.
 *
 * <p>The fit runs the core's FGN optimizer ({@link FgnOptimizer}: the damping, the
 * Ghosts-of-Softmax guard, the Armijo search, the ratio test, the stop rules and convergence
 * certificates are the core's) with the rows left on the executors: a step the search accepts at
 * length 1 is one Spark job (the step's logit image with its trial lengths at once: eight, or
 * two after a step taken at length 1; it also
 * computes the loss and gradient at length 1 and gathers the next step's curvature sample); a
 * step accepted at a shorter length takes one more job for the gradient where it lands, and a
 * step the guard caps one more again for the trial lengths from the cap. The step itself is solved on the
 * driver from a seeded sample of {@code curvatureSampleSize} rows. Before the steps, one job reads
 * and checks the rows (cached on the executors for the fit) and one computes the first gradient. The result is
 * deterministic for a given seed and partitioning. Progress goes to {@code java.util.logging}
 * (loggers {@code io.github.fastgn.*}), to the Spark UI as job descriptions, and to the
 * listeners added with {@link #addListener}.
 *
 * <p>Labels are class indices {@code 0 .. K-1} (doubles, as {@code StringIndexer} writes them);
 * {@code K} is the label column's nominal size when it has one, else the largest label plus one.
 */
public final class FGNClassifier extends ProbabilisticClassifier<Vector, FGNClassifier, FGNClassificationModel>
        implements FGNParams, DefaultParamsWritable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(FGNClassifier.class.getName());

    private final String uid;
    private transient List<TrainingListener> listeners;

    public FGNClassifier() {
        this(Identifiable$.MODULE$.randomUID("fgn"));
    }

    /** With the given uid (Spark's copy and load use this constructor). */
    public FGNClassifier(String uid) {
        this(Uids.begin(uid), true);
    }

    private FGNClassifier(String uid, boolean begun) {
        super(); // Spark's parameter traits read uid() here (Uids)
        this.uid = uid;
        Uids.end();
        SparkOptions.setDefaults(this);
        setDefault(aggregationDepth(), SparkOptions.AGGREGATION_DEPTH_DEFAULT);
    }

    @Override
    public String uid() {
        return uid != null ? uid : Uids.pending();
    }

    @Override
    public FGNClassifier copy(ParamMap extra) {
        FGNClassifier copy = defaultCopy(extra);
        copy.listeners = listeners;
        return copy;
    }

    /**
     * Adds a listener that observes every following fit (iterations, the result); listeners are
     * not parameters (not saved), and copies made by Spark (a {@code CrossValidator}'s) share them.
     */
    public FGNClassifier addListener(TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        if (listeners == null) {
            listeners = new ArrayList<>();
        }
        listeners.add(listener);
        return this;
    }

    // ---- setters (the getters and parameters are in FGNParams) ----

    public FGNClassifier setRegParam(double v) {
        return (FGNClassifier) set(regParam(), v);
    }

    public FGNClassifier setStandardization(boolean v) {
        return (FGNClassifier) set(standardization(), v);
    }

    public FGNClassifier setMaxIter(int v) {
        return (FGNClassifier) set(maxIter(), v);
    }

    public FGNClassifier setTol(double v) {
        return (FGNClassifier) set(tol(), v);
    }

    public FGNClassifier setSolver(String v) {
        return (FGNClassifier) set(solver(), v);
    }

    /** "auto" (the default: off here, where every step is checked on all rows), "on" or "off". */
    public FGNClassifier setGuard(String v) {
        return (FGNClassifier) set(guard(), v);
    }

    public FGNClassifier setGuardScale(double v) {
        return (FGNClassifier) set(guardScale(), v);
    }

    public FGNClassifier setSeed(long v) {
        return (FGNClassifier) set(seed(), v);
    }

    public FGNClassifier setInitialDamping(double v) {
        return (FGNClassifier) set(initialDamping(), v);
    }

    public FGNClassifier setMinDamping(double v) {
        return (FGNClassifier) set(minDamping(), v);
    }

    public FGNClassifier setMaxDamping(double v) {
        return (FGNClassifier) set(maxDamping(), v);
    }

    public FGNClassifier setDropCompensation(boolean v) {
        return (FGNClassifier) set(dropCompensation(), v);
    }

    public FGNClassifier setMaxCgIterations(int v) {
        return (FGNClassifier) set(maxCgIterations(), v);
    }

    public FGNClassifier setMaxSeconds(double v) {
        return (FGNClassifier) set(maxSeconds(), v);
    }

    public FGNClassifier setThreads(int v) {
        return (FGNClassifier) set(threads(), v);
    }

    public FGNClassifier setCurvatureSampleSize(int v) {
        return (FGNClassifier) set(curvatureSampleSize(), v);
    }

    public FGNClassifier setTargetObjective(double v) {
        return (FGNClassifier) set(targetObjective(), v);
    }

    public FGNClassifier setWeightCol(String v) {
        return (FGNClassifier) set(weightCol(), v);
    }

    public FGNClassifier setAggregationDepth(int v) {
        return (FGNClassifier) set(aggregationDepth(), v);
    }

    public static MLReader<FGNClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static FGNClassifier load(String path) {
        return read().load(path);
    }

    @Override
    public FGNClassificationModel train(Dataset<?> dataset) {
        FgnOptions options = fgnOptions();
        StructType schema = dataset.schema();
        String weightCol = getWeightCol();
        boolean weighted = !weightCol.isEmpty();
        List<Column> columns = new ArrayList<>(List.of(col(getLabelCol()).cast("double"), col(getFeaturesCol())));
        if (weighted) {
            if (!Arrays.asList(schema.fieldNames()).contains(weightCol)) {
                throw new IllegalArgumentException("weightCol " + weightCol + " is not a column of the data set (columns: "
                        + String.join(", ", schema.fieldNames()) + "); set weightCol to a numeric column or to \"\"");
            }
            if (!(schema.apply(weightCol).dataType() instanceof NumericType)) {
                throw new IllegalArgumentException("weightCol " + weightCol + " has type "
                        + schema.apply(weightCol).dataType().simpleString() + "; example weights must be numeric");
            }
            columns.add(col(weightCol).cast("double"));
        }
        Dataset<Row> rows = dataset.select(columns.toArray(new Column[0]));
        JavaRDD<Block> blocks = rows.toJavaRDD()
                .mapPartitionsWithIndex((p, it) -> List.of(Block.read(p, it, weighted)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            blocks.context().setJobDescription("FastGN: read and check the rows");
            List<Stats> stats = blocks.map(b -> b.stats).collect();
            blocks.context().setJobDescription(null);
            Checked data = check(stats, numClassesOf(schema.apply(getLabelCol())), getStandardization());
            boolean sparse = (double) data.stored * 100 <= (double) FgnOptions.SPARSE_PERCENT * data.n * data.d;
            // dense rows are centred virtually (the means folded into the bias, see SparkRows); sparse rows
            // are scaled only, as the core scales them: centring would fill in their zeros on the driver
            Standardizer standardizer = sparse ? data.standardizer.scaleOnly() : data.standardizer;
            SparkRows source = new SparkRows(blocks, data.n, data.d, data.k, data.stored, sparse, data.weight,
                    data.offsets, standardizer, getAggregationDepth(), getSeed());
            FgnOptimizer optimizer = new FgnOptimizer(options);
            if (listeners != null) {
                listeners.forEach(optimizer::addListener);
            }
            TrainingResult result = optimizer.optimize(source, null);
            double[] w = source.toRaw(result.weights());
            for (double x : w) {
                if (!Double.isFinite(x)) {
                    throw new ArithmeticException("FGN training produced non-finite weights (" + x + ") after "
                            + result.iterations() + " iterations; raise initialDamping or set guard=on");
                }
            }
            if (LOG.isLoggable(Level.INFO)) {
                LOG.info(String.format(Locale.ROOT, "FGN trained on %d rows, %d features, %d classes in %d Spark jobs:"
                                + " %d iterations (%s), solver %s, objective %.10e, |grad| %.3e, %.3f s", data.n, data.d,
                        data.k, source.passes() + 1, result.iterations(), result.stopReason(), result.solver(),
                        result.objective(), result.gradientNorm(), result.elapsedSeconds()));
            }
            return new FGNClassificationModel(uid, w, data.d, data.k, result, source.passes() + 1);
        } finally {
            blocks.context().setJobDescription(null);
            blocks.unpersist(false);
        }
    }

    /** The number of classes a label column's metadata declares, or -1. */
    static int numClassesOf(StructField label) {
        Attribute a = Attribute$.MODULE$.fromStructField(label);
        if (a instanceof BinaryAttribute) {
            return 2;
        }
        if (a instanceof NominalAttribute nominal && nominal.getNumValues().isDefined()) {
            return (Integer) nominal.getNumValues().get();
        }
        return -1;
    }

    /** The checked shape of the rows. */
    record Checked(long n, int d, int k, long stored, double weight, long[] offsets, Standardizer standardizer) {
    }

    /**
     * The data set's shape from the partitions' reading, or the core's message for the first
     * problem (an empty data set, a bad value, one class).
     *
     * @param declared the classes the label metadata declares, or -1
     */
    static Checked check(List<Stats> stats, int declared, boolean standardize) {
        long n = 0;
        long[] offsets = new long[stats.size()];
        for (Stats s : stats) {
            offsets[s.partition] = n;
            n += s.rows;
        }
        if (n == 0) {
            throw new IllegalArgumentException("the data set is empty: training needs at least one example");
        }
        int d = -1;
        long stored = 0;
        double weight = 0;
        int maxLabel = -1;
        int minLabel = Integer.MAX_VALUE;
        for (Stats s : stats) {
            if (s.problem != null) {
                throw new IllegalArgumentException(s.problem.replace("%d", Long.toString(offsets[s.partition]
                        + s.problemRow)));
            }
            if (s.rows > 0) {
                if (d >= 0 && s.d != d) {
                    throw new IllegalArgumentException("example " + offsets[s.partition] + " has " + s.d
                            + " features, the rows before it " + d + "; every feature vector must have the same size");
                }
                d = s.d;
            }
            stored += s.stored;
            weight += s.weight;
            maxLabel = Math.max(maxLabel, s.maxLabel);
            minLabel = Math.min(minLabel, s.minLabel);
        }
        if (d < 1) {
            throw new IllegalArgumentException("the examples have no features (d = " + d + "); give each example at"
                    + " least one feature");
        }
        if (!(weight > 0)) {
            throw new IllegalArgumentException("all example weights are zero");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("the example weights sum to " + weight + " (past the double range);"
                    + " rescale the weights (only their ratios matter), e.g. divide them by their largest value");
        }
        if (declared > 0 && maxLabel >= declared) {
            throw new IllegalArgumentException("label " + maxLabel + " is outside [0, " + declared + "), the classes"
                    + " the label column's metadata declares");
        }
        int k = declared > 0 ? declared : maxLabel + 1;
        if (k < 2) {
            throw new IllegalArgumentException("a softmax head needs at least 2 classes, got " + k
                    + "; add examples of another class");
        }
        if (minLabel == maxLabel) {
            throw new IllegalArgumentException("every example has label " + maxLabel + ": a softmax head needs"
                    + " examples of at least 2 classes; add examples of another class");
        }
        Standardizer standardizer = Standardizer.identity(d);
        if (standardize) {
            ColumnMoments merged = ColumnMoments.none(d);
            for (Stats s : stats) {
                if (s.moments != null) {
                    merged.merge(s.moments);
                }
            }
            standardizer = merged.standardizer();
        }
        return new Checked(n, d, k, stored, weight, offsets, standardizer);
    }
}
