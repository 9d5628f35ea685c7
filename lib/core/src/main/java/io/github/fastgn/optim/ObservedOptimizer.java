package io.github.fastgn.optim;

import io.github.fastgn.internal.optim.StopRules;
import io.github.fastgn.internal.optim.TrainingRun;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.Parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The plumbing FGN, Newton, L-BFGS and the first-order baselines share around a run: the
 * listeners, a {@link TrainingRun} per run, and the thread pool.
 *
 * @param <S> the optimizer's own type, returned by {@link #addListener} for chaining
 */
public abstract class ObservedOptimizer<S extends ObservedOptimizer<S>> implements HeadOptimizer {

    private final List<TrainingListener> listeners = new ArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public S addListener(TrainingListener listener) {
        if (listener == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
        return (S) this;
    }

    /** Checks the arguments, then {@link #run} on a copy of {@code start}. */
    @Override
    public final TrainingResult optimize(LabelledData data, double[] start) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (!takes(data.storage())) {
            String what = data.isSparse() ? "sparse rows" : "a memory-mapped matrix (" + data.mappedFeatures().file()
                    + ")";
            throw new IllegalArgumentException(name() + " needs the features as a dense array in the heap, but these"
                    + " are " + what + " (" + data.size() + " x " + data.featureCount() + "); convert them with"
                    + " LabelledData.toDense() if they fit, or train with FgnOptimizer, Lbfgs or FirstOrderOptimizer,"
                    + " which take every storage without copying it");
        }
        int p = data.classCount() * (data.featureCount() + 1);
        if (start != null) {
            if (start.length != p) {
                throw new IllegalArgumentException("start has " + start.length + " entries, expected k*(d+1) = " + p
                        + " (row-major [W | b], one row per class); pass null to start from zero");
            }
            for (int t = 0; t < p; t++) {
                if (!Double.isFinite(start[t])) {
                    throw new IllegalArgumentException("start[" + t + "] is " + start[t]
                            + "; a starting point must be finite");
                }
            }
        }
        return run(data, start == null ? null : start.clone());
    }

    /**
     * Whether {@link #run} takes features of this storage without copying them into a dense heap
     * array (sparse rows not densified, a mapped matrix streamed); data of a storage an optimizer
     * does not take is refused with a message naming the fix.
     */
    protected boolean takes(LabelledData.Storage storage) {
        return true;
    }

    /**
     * Trains on checked data from {@code start} (a copy the run may overwrite, or null for zeros).
     */
    protected abstract TrainingResult run(LabelledData data, double[] start);

    /** A run scaffold reporting to this optimizer's listeners. */
    protected TrainingRun newRun(String solver, StopRules rules, Logger log) {
        return new TrainingRun(solver, listeners, rules, log);
    }

    /** Runs {@code body} on a pool of {@code threads} threads (0: the common pool), closed afterwards. */
    protected static <T> T withPool(int threads, Function<Parallel, T> body) {
        Parallel parallel = threads == 0 ? Parallel.common() : Parallel.withThreads(threads);
        try {
            return body.apply(parallel);
        } finally {
            parallel.close();
        }
    }
}
