package io.github.fastgn.optim;

import io.github.fastgn.internal.head.CompetitorCurvature;
import io.github.fastgn.internal.head.ExternalRows;
import io.github.fastgn.internal.head.FullData;
import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.solver.StepSolver;

import java.util.SplittableRandom;

/**
 * The rows of a full-batch run: all rows, on which the objective, the gradient and the step
 * search are measured, with the logits at the current point kept (the objective after a step
 * comes from moving them along the kept logit image of the step); and the rows the step's
 * curvature comes from. The {@link Line} it extends is the search's view of all rows.
 */
interface RowSource extends Line {

    /** Recomputes the logits at {@code params}; returns the objective, gradient into {@code grad}. */
    double evaluate(double[] params, double[] grad);

    /** Moves the logits by {@code alpha} times the kept direction; objective and gradient at {@code params}. */
    double move(double alpha, double[] params, double[] grad);

    /**
     * Recomputes the kept logits at {@code params} (the current point, reached by moves) from the
     * features, against the rounding drift of the moves; the last move's objective and gradient stand.
     * Nothing to do for rows whose passes recompute the logits from the point anyway.
     */
    void refreshLogits(double[] params);

    /** The rows the next step's curvature comes from, evaluated at {@code params} (the current point). */
    HeadBatch curvatureRows(double[] params);

    /** Whether the curvature comes from a sample of the rows (its steps are solved more loosely). */
    boolean sampled();

    /** Feature rows read so far ({@link HeadBatch#rowsRead()}), all rows and curvature rows together. */
    long rowsRead();

    /**
     * Every row's top-competitor curvature at the current point (the kept logits), for a solver
     * that takes it; null when the curvature comes from {@link #curvatureRows} alone.
     */
    default CompetitorCurvature competitors() {
        return null;
    }

    /** All rows in one batch, which also gives the curvature: memory O(n K) several times over. */
    static RowSource oneBatch(HeadBatch batch, double gamma) {
        return new OneBatch(batch, gamma);
    }

    /**
     * All rows in {@link FullData} blocks (only the logits and the step's logit image kept), the
     * curvature from a fresh seeded sample of {@code size} rows each step.
     *
     * @param sampleRows a batch of capacity {@code size} to hold the sample
     */
    static RowSource sampledCurvature(FullData data, HeadBatch sampleRows, boolean weighted, long seed,
                                      double gamma) {
        return new SampledCurvature(data, sampleRows, weighted, seed, gamma);
    }

    /**
     * Rows held elsewhere ({@link ExternalRows}, e.g. a Spark data set): the objective, gradient and search
     * measured there; the curvature rows (all, or a sample of {@code rows.capacity()}) brought into
     * {@code rows} and evaluated here at the current point (null when a wrapper brings them).
     */
    static RowSource external(ExternalRows source, HeadBatch rows, boolean sampled) {
        return new External(source, rows, sampled);
    }

    /** See {@link #external}. */
    final class External implements RowSource {
        private final ExternalRows source;
        private final HeadBatch rows;
        private final boolean sampled;

        External(ExternalRows source, HeadBatch rows, boolean sampled) {
            this.source = source;
            this.rows = rows;
            this.sampled = sampled;
        }

        @Override
        public double evaluate(double[] params, double[] grad) {
            return source.evaluate(params, grad);
        }

        @Override
        public double move(double a, double[] params, double[] grad) {
            return source.move(a, params, grad);
        }

        @Override
        public void refreshLogits(double[] params) {
            // every pass of rows held elsewhere computes the logits from the point
        }

        @Override
        public double direction(double[] step) {
            return source.direction(step);
        }

        @Override
        public double curvatureAlong(StepSolver.Curvature kind) {
            return source.curvatureAlong(kind == StepSolver.Curvature.FGN);
        }

        @Override
        public double dataLossAlong(double a) {
            return source.dataLossAlong(a);
        }

        @Override
        public HeadBatch curvatureRows(double[] params) {
            source.sampleInto(rows);
            rows.evaluate(params);
            return rows;
        }

        @Override
        public boolean sampled() {
            return sampled;
        }

        @Override
        public long rowsRead() {
            return source.rowsRead() + (rows == null ? 0 : rows.rowsRead());
        }
    }

    /**
     * All rows in {@link FullData} blocks; the step's curvature from every row through
     * {@code competitors} ({@link CompetitorCurvature}, prepared at the current point each step),
     * and a fresh seeded sample of {@code sampleRows.capacity()} rows as {@link #curvatureRows}
     * for the initial damping and the convergence certificate. Its steps are solved with the usual
     * forcing ({@link #sampled()} is false: the curvature is every row's).
     */
    static RowSource topCompetitors(FullData data, CompetitorCurvature competitors, HeadBatch sampleRows,
                                    boolean weighted, long seed, double gamma) {
        SampledCurvature rows = new SampledCurvature(data, sampleRows, weighted, seed, gamma);
        return new TopCompetitors(rows, rows, null, competitors, false);
    }

    /**
     * Rows held elsewhere ({@link ExternalRows}): the objective, gradient and search measured there;
     * the step's curvature through {@code competitors}, the top-competitor structure of
     * {@code kept} (the run's fixed curvature rows, {@link ExternalRows#curvatureData}, every one
     * of them, their logits recomputed here at each new point), and a fresh seeded sample of
     * {@code sampleRows.capacity()} of them for the initial damping and the certificate. Its steps
     * are solved as sampled ones when {@code kept} holds fewer rows than the data set.
     */
    static RowSource externalTopCompetitors(ExternalRows source, FullData kept, CompetitorCurvature competitors,
                                            HeadBatch sampleRows, long seed, double gamma) {
        boolean sampled = kept.size() < source.size();
        return new TopCompetitors(new External(source, null, sampled),
                new SampledCurvature(kept, sampleRows, kept.weighted(), seed, gamma), kept, competitors, sampled);
    }

    /** See {@link #topCompetitors} and {@link #externalTopCompetitors}. */
    final class TopCompetitors implements RowSource {
        /** All rows: objective, gradient and search. */
        private final RowSource all;
        /** The curvature rows' sampled side uses (the same object as {@link #all} in the heap). */
        private final SampledCurvature side;
        /** The competitors' rows when {@link #all} does not keep their logits, else null. */
        private final FullData refresh;
        private final CompetitorCurvature competitors;
        private final boolean sampled;
        /** Whether {@link #competitors} was prepared at the current point (a rejected step does not move it). */
        private boolean prepared;
        /** The current point, when {@link #refresh} needs it. */
        private double[] point;

        TopCompetitors(RowSource all, SampledCurvature side, FullData refresh, CompetitorCurvature competitors,
                       boolean sampled) {
            this.all = all;
            this.side = side;
            this.refresh = refresh;
            this.competitors = competitors;
            this.sampled = sampled;
        }

        @Override
        public double evaluate(double[] params, double[] grad) {
            at(params);
            return all.evaluate(params, grad);
        }

        @Override
        public double move(double alpha, double[] params, double[] grad) {
            at(params);
            return all.move(alpha, params, grad);
        }

        @Override
        public void refreshLogits(double[] params) {
            at(params);
            all.refreshLogits(params);
        }

        private void at(double[] params) {
            prepared = false;
            if (refresh != null) {
                if (point == null) {
                    point = new double[params.length];
                }
                System.arraycopy(params, 0, point, 0, params.length);
            }
        }

        @Override
        public HeadBatch curvatureRows(double[] params) {
            return side.curvatureRows(params);
        }

        @Override
        public CompetitorCurvature competitors() {
            if (!prepared) {
                if (refresh != null) {
                    refresh.keepLogitsAt(point);
                }
                competitors.prepare();
                prepared = true;
            }
            return competitors;
        }

        @Override
        public boolean sampled() {
            return sampled;
        }

        @Override
        public long rowsRead() {
            return all.rowsRead() + (side != all ? side.rowsRead() : 0) + competitors.rowsRead();
        }

        @Override
        public double direction(double[] step) {
            return all.direction(step);
        }

        @Override
        public double curvatureAlong(StepSolver.Curvature kind) {
            return all.curvatureAlong(kind);
        }

        @Override
        public double dataLossAlong(double a) {
            return all.dataLossAlong(a);
        }
    }

    /** See {@link #oneBatch}. */
    final class OneBatch extends Line.OnBatch implements RowSource {
        private final double gamma;

        OneBatch(HeadBatch batch, double gamma) {
            super(batch);
            this.gamma = gamma;
        }

        @Override
        public double evaluate(double[] params, double[] grad) {
            batch.evaluate(params);
            batch.gradient(params, gamma, grad);
            return batch.objective(params, gamma);
        }

        @Override
        public double move(double a, double[] params, double[] grad) {
            move(a);
            batch.gradient(params, gamma, grad);
            return batch.objective(params, gamma);
        }

        @Override
        public void refreshLogits(double[] params) {
            batch.evaluate(params);
        }

        @Override
        public HeadBatch curvatureRows(double[] params) {
            return batch; // kept at the current point by evaluate and move
        }

        @Override
        public boolean sampled() {
            return false;
        }

        @Override
        public long rowsRead() {
            return batch.rowsRead();
        }
    }

    /**
     * See {@link #sampledCurvature}: subsampled Gauss-Newton. Gradient, search and ratio use all
     * rows (the ratio against all rows' curvature along the step); the row system is
     * {@code sample x sample}, and the Woodbury form accepts a gradient outside the sample's row space.
     */
    final class SampledCurvature implements RowSource {
        private final FullData data;
        private final double gamma;
        private final HeadBatch rows;
        private final Object sx;
        private final int[] sy;
        private final double[] sw;
        private final int[] index;
        private final SplittableRandom rng;
        /** The data loss at length 1 along the current step with its gradient in {@link #aheadGradient}, or NaN. */
        private double ahead = Double.NaN;
        private double[] aheadGradient;
        /** Whether the last step was taken at length 1 (true before the first). */
        private boolean lastFull = true;

        SampledCurvature(FullData data, HeadBatch rows, boolean weighted, long seed, double gamma) {
            this.data = data;
            this.gamma = gamma;
            this.rows = rows;
            int size = rows.capacity();
            int n = data.size();
            sx = data.newRows(size);
            sy = new int[size];
            sw = weighted ? new double[size] : null;
            index = new int[n];
            for (int i = 0; i < n; i++) {
                index[i] = i;
            }
            rng = new SplittableRandom(seed);
        }

        @Override
        public double evaluate(double[] params, double[] grad) {
            ahead = Double.NaN;
            return data.evaluate(params, gamma, grad);
        }

        @Override
        public double move(double a, double[] params, double[] grad) {
            data.step(a);
            lastFull = a == 1.0;
            if (a == 1.0 && !Double.isNaN(ahead)) {
                // the search's trial at length 1 took the loss and gradient there: the same bits, no pass
                System.arraycopy(aheadGradient, 0, grad, 0, grad.length);
                double dataLoss = ahead;
                ahead = Double.NaN;
                return data.objectiveAt(dataLoss, params, gamma, grad);
            }
            ahead = Double.NaN;
            return data.objectiveAndGradient(params, gamma, grad);
        }

        @Override
        public void refreshLogits(double[] params) {
            ahead = Double.NaN;
            data.keepLogitsAt(params);
        }

        @Override
        public double direction(double[] step) {
            ahead = Double.NaN;
            return data.direction(step);
        }

        @Override
        public double curvatureAlong(StepSolver.Curvature kind) {
            return data.curvatureAlong(kind == StepSolver.Curvature.FGN);
        }

        /**
         * The data loss at length {@code a} along the step. The trial at length 1 after a step taken at length 1
         * also takes the gradient there ({@link FullData#dataLossAndGradientAlong}: one transpose product more
         * now, none when {@link #move} takes that length, which is what such a search mostly does), so the
         * trial's {@code n K} exponentials are not computed twice; otherwise the loss alone, {@code O(n K)}.
         */
        @Override
        public double dataLossAlong(double a) {
            if (a == 1.0 && lastFull) {
                if (aheadGradient == null) {
                    aheadGradient = new double[data.parameterCount()];
                }
                ahead = data.dataLossAndGradientAlong(1.0, aheadGradient);
                return ahead;
            }
            return data.dataLossAlong(a);
        }

        /**
         * A fresh sample without replacement (partial Fisher-Yates), evaluated at {@code params};
         * all rows in order when the sample is all rows (mapped features, which always come here).
         */
        @Override
        public HeadBatch curvatureRows(double[] params) {
            int size = sy.length;
            int n = index.length;
            for (int r = 0; r < size && size < n; r++) {
                int j = r + rng.nextInt(n - r);
                int t = index[r];
                index[r] = index[j];
                index[j] = t;
            }
            data.pointAtRows(rows, index, size, sx, sy, sw);
            rows.evaluate(params);
            return rows;
        }

        @Override
        public boolean sampled() {
            return sy.length < index.length;
        }

        @Override
        public long rowsRead() {
            return data.rowsRead() + rows.rowsRead();
        }
    }
}
