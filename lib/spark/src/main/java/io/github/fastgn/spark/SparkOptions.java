package io.github.fastgn.spark;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.OptionException;
import io.github.fastgn.optim.OptionSpec;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark names of FastGN's hyper-parameters and the Spark {@link Param}s made from their one
 * definition in {@link FgnOptions} ({@link OptionSpec}: type, default, range, description,
 * validation with the core's message). Spark's own names are used where MLlib has one for the
 * same quantity ({@code regParam} is the core's {@code l2}, {@code maxIter} its {@code maxIterations},
 * {@code tol} its {@code tolerance}, {@code standardization} its {@code standardize},
 * {@code curvatureSampleSize} its {@code curvatureSample}); the others keep the core's name.
 *
 * <p>Not mapped, because the estimator has no use for them: {@code mode}, {@code batchSize},
 * {@code averaging} (it trains in full-batch mode: every step's gradient is one pass over all
 * rows), {@code classWeight} (weight the rows with {@code weightCol}) and {@code featureStorage}
 * (each partition keeps its vectors dense or sparse as they come; the solver sees the data set's
 * share of stored values).
 */
final class SparkOptions {

    /** Spark name to core definition, in the order of {@link FgnOptions#OPTIONS}. */
    static final Map<String, OptionSpec> MAPPED;

    static {
        Map<String, OptionSpec> m = new LinkedHashMap<>();
        m.put("regParam", FgnOptions.L2);
        m.put("standardization", FgnOptions.STANDARDIZE);
        m.put("maxIter", FgnOptions.MAX_ITERATIONS);
        m.put("tol", FgnOptions.TOLERANCE);
        m.put("solver", FgnOptions.SOLVER);
        m.put("guard", FgnOptions.GUARD);
        m.put("guardScale", FgnOptions.GUARD_SCALE);
        m.put("seed", FgnOptions.SEED);
        m.put("initialDamping", FgnOptions.INITIAL_DAMPING);
        m.put("minDamping", FgnOptions.MIN_DAMPING);
        m.put("maxDamping", FgnOptions.MAX_DAMPING);
        m.put("dropCompensation", FgnOptions.DROP_COMPENSATION);
        m.put("maxCgIterations", FgnOptions.MAX_CG_ITERATIONS);
        m.put("maxSeconds", FgnOptions.MAX_SECONDS);
        m.put("threads", FgnOptions.THREADS);
        m.put("curvatureSampleSize", FgnOptions.CURVATURE_SAMPLE);
        m.put("targetObjective", FgnOptions.TARGET_OBJECTIVE);
        MAPPED = java.util.Collections.unmodifiableMap(m);
    }

    /** Core options the estimator does not take (see the class comment). */
    static final java.util.Set<String> NOT_MAPPED = java.util.Set.of("mode", "batchSize", "averaging",
            "classWeight", "featureStorage");

    static final String WEIGHT_COL_DOC = "Column of non-negative example weights (the objective is the weighted"
            + " mean cross-entropy); unset or empty for equal weights.";
    static final String AGGREGATION_DEPTH_DOC = "Depth of the tree that sums the partitions' losses and gradients"
            + " (Spark's treeAggregate rule; the order of the sums is fixed, so a fit is deterministic for a given"
            + " partitioning); at least 1 (1: every partition's sum goes to the driver).";
    static final int AGGREGATION_DEPTH_DEFAULT = 2;

    private SparkOptions() {
    }

    static OptionSpec spec(String sparkName) {
        OptionSpec o = MAPPED.get(sparkName);
        if (o == null) {
            throw new IllegalArgumentException("no FastGN option behind the Spark parameter " + sparkName);
        }
        return o;
    }

    /** The Spark doc of a mapped parameter: the core's description, range and name. */
    static String doc(String sparkName) {
        OptionSpec o = spec(sparkName);
        return o.description() + " Valid: " + o.range() + " (FastGN option " + o.name() + ").";
    }

    /** The parameter {@code sparkName} of {@code owner}, typed by its definition. */
    @SuppressWarnings("unchecked")
    static <P extends Param<?>> P param(Params owner, String sparkName) {
        OptionSpec o = spec(sparkName);
        Check valid = new Check(sparkName);
        Class<?> t = o.type();
        Param<?> p;
        if (t == double.class) {
            p = new DoubleParam(owner.uid(), sparkName, doc(sparkName), valid);
        } else if (t == int.class) {
            p = new IntParam(owner.uid(), sparkName, doc(sparkName), valid);
        } else if (t == long.class) {
            p = new LongParam(owner.uid(), sparkName, doc(sparkName), valid);
        } else if (t == boolean.class) {
            p = new BooleanParam(owner.uid(), sparkName, doc(sparkName));
        } else {
            p = new Param<String>(owner.uid(), sparkName, doc(sparkName), (scala.Function1<String, Object>) (scala.Function1<?, ?>) valid);
        }
        return (P) p;
    }

    /** Sets every mapped parameter's default to its definition's default. */
    static void setDefaults(Params owner) {
        for (String name : MAPPED.keySet()) {
            owner.setDefault((Param<Object>) (Param<?>) param(owner, name), MAPPED.get(name).defaultValue());
        }
    }

    /**
     * The core's validation: {@link OptionSpec#check}, whose {@link OptionException} (an
     * {@code IllegalArgumentException}) carries the core's message prefixed with the Spark name.
     */
    static final class Check extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String sparkName;

        Check(String sparkName) {
            this.sparkName = sparkName;
        }

        @Override
        public Object apply(Object value) {
            OptionSpec o = spec(sparkName);
            if (!o.isValid(value)) {
                throw new OptionException(o.name(), sparkName + ": " + o.message(value));
            }
            return Boolean.TRUE;
        }
    }

    /** {@code aggregationDepth >= 1}. */
    static final class DepthCheck extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        static final DepthCheck INSTANCE = new DepthCheck();

        @Override
        public Object apply(Object v) {
            if (!(v instanceof Integer) || (Integer) v < 1) {
                throw new IllegalArgumentException("aggregationDepth must be at least 1, got " + v);
            }
            return Boolean.TRUE;
        }
    }
}
