package io.github.fastgn.internal.linalg;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Deterministic fork-join loops over index ranges.
 *
 * <p>Every kernel in this library splits work so that each output element is computed by
 * exactly one task, in the same arithmetic order as a single-threaded loop. Results are
 * therefore bit-identical whatever the number of threads; no kernel reduces partial sums across
 * tasks. A range is only split when it holds more than {@code grain} indices, so small problems
 * run on the calling thread without any task overhead.
 */
public final class Parallel {

    /** Runs on the calling thread only. */
    public static final Parallel SERIAL = new Parallel(null);

    private final ForkJoinPool pool;
    /** True for pools made by {@link #withThreads(int)}, which {@link #close()} shuts down. */
    private final boolean owned;

    private Parallel(ForkJoinPool pool) {
        this(pool, false);
    }

    private Parallel(ForkJoinPool pool, boolean owned) {
        this.pool = pool;
        this.owned = owned;
    }

    /**
     * Uses every core: the common fork-join pool when it has one worker per core, else (the
     * common pool defaults to one worker fewer than the cores, a single worker on a 2-core
     * machine) a shared pool of daemon threads, one per core, created on first use. Serial on a
     * single core. {@link #close()} leaves either pool alone.
     */
    public static Parallel common() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores <= 1) {
            return SERIAL;
        }
        if (ForkJoinPool.getCommonPoolParallelism() >= cores) {
            return new Parallel(ForkJoinPool.commonPool());
        }
        return SharedPool.PARALLEL;
    }

    /** One worker per core, daemon threads, for {@link #common()}. */
    private static final class SharedPool {
        /** Numbers the workers' names (the pool index is not yet assigned when the factory runs: every worker was "fastgn-0"). */
        static final java.util.concurrent.atomic.AtomicInteger WORKERS = new java.util.concurrent.atomic.AtomicInteger();
        static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), pool -> {
            java.util.concurrent.ForkJoinWorkerThread t =
                    ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("fastgn-" + WORKERS.getAndIncrement());
            return t;
        }, null, false);
        static final Parallel PARALLEL = new Parallel(POOL);
    }

    /**
     * Uses a pool of the given size; {@code threads <= 1} means serial. The caller owns the pool's
     * lifetime through {@link #close()}.
     */
    public static Parallel withThreads(int threads) {
        return threads <= 1 ? SERIAL : new Parallel(new ForkJoinPool(threads), true);
    }

    /** The number of threads work may be spread over. */
    public int threads() {
        return pool == null ? 1 : pool.getParallelism();
    }

    /** A body of work over the half-open index range {@code [lo, hi)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    /**
     * Runs {@code body} over {@code [0, n)}, split into contiguous chunks of at least {@code grain}
     * indices when a pool is available.
     */
    public void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (pool == null || n <= grain) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(4 * pool.getParallelism(), (n + grain - 1) / grain);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        pool.invoke(new Chunk(body, 0, n, Math.max(grain, (n + chunks - 1) / chunks)));
    }

    /** Releases a pool created by {@link #withThreads(int)}; the pools of {@link #common()} are left alone. */
    public void close() {
        if (owned) {
            pool.shutdown();
        }
    }

    private static final class Chunk extends RecursiveAction {
        private final RangeBody body;
        private final int lo;
        private final int hi;
        private final int leaf;

        Chunk(RangeBody body, int lo, int hi, int leaf) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.leaf = leaf;
        }

        @Override
        protected void compute() {
            if (hi - lo <= leaf) {
                body.run(lo, hi);
                return;
            }
            int mid = lo + (hi - lo) / 2;
            invokeAll(new Chunk(body, lo, mid, leaf), new Chunk(body, mid, hi, leaf));
        }
    }
}
