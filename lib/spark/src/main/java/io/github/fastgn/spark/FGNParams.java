package io.github.fastgn.spark;

import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.OptionException;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The parameters {@link FGNClassifier} and {@link FGNClassificationModel} share (the Spark
 * convention: a fitted model carries the values it was trained with). Each mapped parameter is
 * made from its one definition in {@link FgnOptions} (default, range, description, validation
 * with the core's message; see the table in the module README): {@code regParam} is the core's
 * {@code l2}, the weight of {@code l2/2 ||W||^2} in the objective (the bias is not penalised),
 * on the standardised features when {@code standardization} is on. Spark-only:
 * {@code weightCol} and {@code aggregationDepth}.
 */
public interface FGNParams extends Params {

    /** The L2 weight (the core's {@code l2}): objective = weighted mean CE + regParam/2 ||W||^2. */
    default DoubleParam regParam() {
        return SparkOptions.param(this, "regParam");
    }

    default double getRegParam() {
        return (Double) getOrDefault(regParam());
    }

    /** Train on standardised features and fold the scaling back (the core's {@code standardize}). */
    default BooleanParam standardization() {
        return SparkOptions.param(this, "standardization");
    }

    default boolean getStandardization() {
        return (Boolean) getOrDefault(standardization());
    }

    /** Iteration budget (the core's {@code maxIterations}). */
    default IntParam maxIter() {
        return SparkOptions.param(this, "maxIter");
    }

    default int getMaxIter() {
        return (Integer) getOrDefault(maxIter());
    }

    /** Relative optimality-gap tolerance (the core's {@code tolerance}). */
    default DoubleParam tol() {
        return SparkOptions.param(this, "tol");
    }

    default double getTol() {
        return (Double) getOrDefault(tol());
    }

    /** The step solver (the core's {@code solver}). */
    default Param<String> solver() {
        return SparkOptions.param(this, "solver");
    }

    default String getSolver() {
        return (String) getOrDefault(solver());
    }

    /** The Ghosts-of-Softmax guard, "auto", "on" or "off" (the core's {@code guard}). */
    default Param<String> guard() {
        return SparkOptions.param(this, "guard");
    }

    default String getGuard() {
        return (String) getOrDefault(guard());
    }

    /** The guard's scale (the core's {@code guardScale}). */
    default DoubleParam guardScale() {
        return SparkOptions.param(this, "guardScale");
    }

    default double getGuardScale() {
        return (Double) getOrDefault(guardScale());
    }

    /** Seed of the curvature samples (the core's {@code seed}). */
    default LongParam seed() {
        return SparkOptions.param(this, "seed");
    }

    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** The core's {@code initialDamping}. */
    default DoubleParam initialDamping() {
        return SparkOptions.param(this, "initialDamping");
    }

    default double getInitialDamping() {
        return (Double) getOrDefault(initialDamping());
    }

    /** The core's {@code minDamping}. */
    default DoubleParam minDamping() {
        return SparkOptions.param(this, "minDamping");
    }

    default double getMinDamping() {
        return (Double) getOrDefault(minDamping());
    }

    /** The core's {@code maxDamping}. */
    default DoubleParam maxDamping() {
        return SparkOptions.param(this, "maxDamping");
    }

    default double getMaxDamping() {
        return (Double) getOrDefault(maxDamping());
    }

    /** The core's {@code dropCompensation} (FGN-D). */
    default BooleanParam dropCompensation() {
        return SparkOptions.param(this, "dropCompensation");
    }

    default boolean getDropCompensation() {
        return (Boolean) getOrDefault(dropCompensation());
    }

    /** The core's {@code maxCgIterations}. */
    default IntParam maxCgIterations() {
        return SparkOptions.param(this, "maxCgIterations");
    }

    default int getMaxCgIterations() {
        return (Integer) getOrDefault(maxCgIterations());
    }

    /** The core's {@code maxSeconds}. */
    default DoubleParam maxSeconds() {
        return SparkOptions.param(this, "maxSeconds");
    }

    default double getMaxSeconds() {
        return (Double) getOrDefault(maxSeconds());
    }

    /** Driver threads of the step solves (the core's {@code threads}). */
    default IntParam threads() {
        return SparkOptions.param(this, "threads");
    }

    default int getThreads() {
        return (Integer) getOrDefault(threads());
    }

    /** Rows of each step's curvature sample, collected to the driver (the core's {@code curvatureSample}). */
    default IntParam curvatureSampleSize() {
        return SparkOptions.param(this, "curvatureSampleSize");
    }

    default int getCurvatureSampleSize() {
        return (Integer) getOrDefault(curvatureSampleSize());
    }

    /** The core's {@code targetObjective}. */
    default DoubleParam targetObjective() {
        return SparkOptions.param(this, "targetObjective");
    }

    default double getTargetObjective() {
        return (Double) getOrDefault(targetObjective());
    }

    /** Column of example weights; unset or empty for equal weights. */
    default Param<String> weightCol() {
        return new Param<>(uid(), "weightCol", SparkOptions.WEIGHT_COL_DOC);
    }

    /** The weight column, or "" when unset. */
    default String getWeightCol() {
        return isDefined(weightCol()) ? (String) getOrDefault(weightCol()) : "";
    }

    /** Depth of the partition-sum tree (Spark's {@code aggregationDepth}). */
    default IntParam aggregationDepth() {
        return new IntParam(uid(), "aggregationDepth", SparkOptions.AGGREGATION_DEPTH_DOC,
                SparkOptions.DepthCheck.INSTANCE);
    }

    default int getAggregationDepth() {
        return (Integer) getOrDefault(aggregationDepth());
    }

    /**
     * These values as the core's options (full-batch mode, the features as given: the estimator
     * standardises them itself, and the class weights come from {@code weightCol}).
     *
     * @throws OptionException naming the option, with the core's message, for a bad combination
     */
    default FgnOptions fgnOptions() {
        return FgnOptions.builder()
                .l2(getRegParam())
                .standardize(false)
                .maxIterations(getMaxIter())
                .tolerance(getTol())
                .solver(getSolver())
                .guard(getGuard())
                .guardScale(getGuardScale())
                .seed(getSeed())
                .initialDamping(getInitialDamping())
                .minDamping(getMinDamping())
                .maxDamping(getMaxDamping())
                .dropCompensation(getDropCompensation())
                .maxCgIterations(getMaxCgIterations())
                .maxSeconds(getMaxSeconds())
                .threads(getThreads())
                .curvatureSample(getCurvatureSampleSize())
                .targetObjective(getTargetObjective())
                .build();
    }
}
