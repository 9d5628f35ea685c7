package io.github.fastgn.internal.head;

/**
 * The rows of a full-batch run held outside this JVM's arrays (a Spark {@code Dataset} partitioned
 * over executors): the service provider interface through which {@code FgnOptimizer} runs its one
 * loop (damping, guard, Armijo search, ratio, stop rules, certificates) on them. Internal: public
 * only for FastGN's own modules (fastgn-spark), not an API.
 *
 * <p>The optimizer calls {@link #begin} once, then alternates: {@link #evaluate} or {@link #move}
 * (objective and gradient on all rows at the new point), {@link #sampleInto} (the curvature rows,
 * which the optimizer evaluates and solves on locally; or, with a fixed sample, {@link #curvatureData}
 * once, whose every row feeds a top-competitor curvature here), {@link #direction} (the logit image of the
 * solved step on all rows), {@link #curvatureAlong} and {@link #dataLossAlong} (the search).
 * Every quantity is a weighted mean over all rows, {@code sum_i c_i (.) / sum_i c_i}, exactly as
 * {@link HeadBatch} computes it on one batch with the weight floor given to {@link #begin}.
 */
public interface ExternalRows {

    /** The number of rows {@code n}. */
    long size();

    /** The number of features {@code d}. */
    int featureCount();

    /** The number of classes {@code K}. */
    int classCount();

    /**
     * The feature values stored over all rows: {@code n d} for dense rows, the nonzeros for sparse
     * ones (the solver's cost model counts them).
     */
    long storedValues();

    /** Whether the rows are sparse (solvers that need dense rows are then never chosen). */
    boolean sparse();

    /**
     * Starts a run.
     *
     * @param sampleSize  the curvature rows: {@code size()} for all rows, fewer for a seeded sample
     * @param fixed       whether the sample is drawn once (by the first pass) and kept for the whole run,
     *                    for {@link #curvatureData}; else each {@link #sampleInto} gives a fresh one
     * @param weightFloor the solver's floor on the FGN weight (what {@link #curvatureAlong} uses)
     * @param gamma       the L2 weight on W
     */
    void begin(int sampleSize, boolean fixed, double weightFloor, double gamma);

    /**
     * The curvature rows of a run begun with a fixed sample, brought here once (after the first
     * {@link #evaluate}) and kept: their features as the optimizer sees them, in float (they only
     * feed the curvature; the objective and gradient stay the exact ones of all rows), labels and
     * weights. Its logits are the caller's to compute ({@link FullData#keepLogitsAt}).
     */
    FullData curvatureData(io.github.fastgn.internal.linalg.Parallel parallel);

    /** The objective at {@code params} (data loss plus {@code gamma/2 ||W||^2}); its gradient into {@code grad}. */
    double evaluate(double[] params, double[] grad);

    /**
     * Objective and gradient at {@code params}, the point reached by {@code alpha} times the kept
     * direction (an implementation may move kept logits, or recompute them from {@code params}).
     */
    double move(double alpha, double[] params, double[] grad);

    /**
     * Points {@code rows} (capacity {@code sampleSize}) at the curvature rows for the current point: all
     * rows, or a seeded sample of {@code sampleSize} rows without replacement. The caller evaluates them.
     */
    void sampleInto(HeadBatch rows);

    /** Computes and keeps the logit image of {@code step} at the current point; returns its largest spread. */
    double direction(double[] step);

    /** {@code dz^T G dz} over all rows along the kept direction: the FGN curvature if {@code fgn}, else the full GGN. */
    double curvatureAlong(boolean fgn);

    /** The data loss (without the L2 term) at step length {@code alpha} along the kept direction. */
    double dataLossAlong(double alpha);

    /** Feature rows read so far, all rows and curvature rows together. */
    long rowsRead();

    /**
     * The most curvature rows one pass may bring here (a bound on what a pass can return to this
     * JVM, as Spark's {@code spark.driver.maxResultSize}); unbounded by default.
     */
    default int gatherLimit() {
        return Integer.MAX_VALUE;
    }
}
