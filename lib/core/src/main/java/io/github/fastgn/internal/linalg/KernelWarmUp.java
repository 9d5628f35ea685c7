package io.github.fastgn.internal.linalg;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Compiles the dense product kernels ahead of a training run. In a fresh JVM the first products of
 * a run execute the selected kernels ({@link HeadKernels#selected()}) in the interpreter and C1
 * until C2 has compiled them, which for the Vector API kernels is orders of magnitude slower (each
 * vector operation is an allocation until C2 intrinsifies it). {@link #start} runs the kernels of one
 * shape on a small synthetic problem in a daemon thread, so that C2 compiles them while the caller
 * still reads, converts or standardises its data.
 *
 * <ul>
 *   <li>Results never change: the thread works on its own arrays only, and every kernel gives the
 *       same bits in every JIT tier (ALGORITHM.md §3, determinism), so whether or when it runs
 *       cannot change a model.</li>
 *   <li>It costs nothing when already warm: one thread per feature storage (float, double) per
 *       JVM; later calls return at once.</li>
 *   <li>It is small: {@link #ROWS} rows of the run's {@code d} and {@code K} (so C2 compiles the
 *       branches of the run's shape; fewer classes when {@code ROWS d K} exceeds {@link #WORK}
 *       multiply-adds), repeated {@link #rounds} times, serial, at minimum priority; not for runs
 *       of fewer than {@link #MIN_DATA_ROWS} rows, which compile on the way at little cost. Training
 *       starts it by itself only with {@code -Dfastgn.warmUp=true} ({@link #automatic}: whole runs
 *       measured no gain from it); {@code -Dfastgn.warmUp=false} refuses explicit starts too.</li>
 *   <li>It never prints; a failure (none is expected) is logged at FINE and ends the thread.</li>
 * </ul>
 */
public final class KernelWarmUp {

    /**
     * The system property: {@code -Dfastgn.warmUp=true} makes training start the warm-up by itself
     * ({@link #automatic}), {@code false} refuses every start, explicit ones included.
     */
    public static final String PROPERTY = "fastgn.warmUp";
    /** Rows of the synthetic problem: two full row tiles and a remainder (every row branch). */
    static final int ROWS = 2 * Kernels.ROW_TILE + 3;
    /** Micro-kernel calls per kernel to aim for: past C2's invocation thresholds. */
    static final int CALLS = 6_000;
    static final int MIN_ROUNDS = 3;
    /** Multiply-adds of one synthetic product at most (the classes are cut to fit). */
    static final long WORK = 1L << 23;
    /** Runs on fewer rows are not warmed up (and the synthetic rows stay a small part of the data). */
    static final int MIN_DATA_ROWS = 16 * ROWS;
    static final int MAX_ROUNDS = 64;

    private static final Logger LOG = Logger.getLogger(KernelWarmUp.class.getName());
    private static final AtomicBoolean FLOAT_STARTED = new AtomicBoolean();
    private static final AtomicBoolean DOUBLE_STARTED = new AtomicBoolean();

    private KernelWarmUp() {
    }

    /**
     * Starts compiling the product kernels for {@code n} rows of {@code d} features and {@code k}
     * classes stored as float ({@code floatFeatures}) or double, in a daemon thread, unless a warm-up
     * of that storage has already started in this JVM, {@code n < MIN_DATA_ROWS} or
     * {@code -Dfastgn.warmUp=false}. Returns at once.
     *
     * @return the thread started, or null when none was
     */
    public static Thread start(int n, int d, int k, boolean floatFeatures) {
        if (n < MIN_DATA_ROWS || d < 1 || k < 1 || (long) ROWS * d > Integer.MAX_VALUE / 2
                || "false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
            return null;
        }
        int classes = classes(d, k);
        AtomicBoolean started = floatFeatures ? FLOAT_STARTED : DOUBLE_STARTED;
        if (started.get() || !started.compareAndSet(false, true)) {
            return null;
        }
        Thread t = new Thread(() -> run(d, classes, floatFeatures), "fastgn-kernel-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /**
     * Whether training starts the warm-up by itself: only with {@code -Dfastgn.warmUp=true}. Off by
     * default because whole runs showed no gain from it on the 2-core development host, quiet, first
     * run in a fresh JVM: {@code fmnist} through the arrays 12.54 s with it against 11.85 s without,
     * through {@code FGNTrainer} 6.64 s against 6.28 s (the thread competes for the cores with the
     * conversion and the first products). An explicit {@link #start} still runs it.
     */
    public static boolean automatic() {
        return "true".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim());
    }

    /** The classes of the synthetic problem: {@code k}, or fewer so that a product costs at most {@link #WORK}. */
    static int classes(int d, int k) {
        return (int) Math.max(1, Math.min(k, WORK / ((long) ROWS * d)));
    }

    /**
     * Rounds of products: enough that the row product's 4 x 3 micro-kernel is called about
     * {@link #CALLS} times ({@code ROWS / 4 * ceil(K / 3)} calls a round), within
     * [{@link #MIN_ROUNDS}, {@link #MAX_ROUNDS}].
     */
    static int rounds(int k) {
        long perRound = (long) (ROWS / 4) * ((k + 2) / 3);
        return (int) Math.max(MIN_ROUNDS, Math.min(MAX_ROUNDS, (CALLS + perRound - 1) / perRound));
    }

    /** The warm-up itself: products of the selected kernels on a fixed synthetic problem. */
    static void run(int d, int k, boolean floatFeatures) {
        try {
            HeadKernels.Variant kernels = HeadKernels.selected();
            int dd = d + 1;
            double[] v = new double[k * dd];
            for (int t = 0; t < v.length; t++) {
                v[t] = ((t * 7) % 13 - 6) * 1e-3;
            }
            double[] xd = floatFeatures ? null : new double[ROWS * d];
            float[] xf = floatFeatures ? new float[ROWS * d] : null;
            for (int t = 0; t < ROWS * d; t++) {
                double value = ((t * 5) % 11) * 0.1;
                if (floatFeatures) {
                    xf[t] = (float) value;
                } else {
                    xd[t] = value;
                }
            }
            double[] logits = new double[ROWS * k];
            double[] grad = new double[k * dd];
            int rounds = rounds(k);
            for (int r = 0; r < rounds; r++) {
                if (floatFeatures) {
                    kernels.rowProduct(xf, ROWS, d, v, k, logits, Parallel.SERIAL);
                } else {
                    kernels.rowProduct(xd, ROWS, d, v, k, logits, Parallel.SERIAL);
                }
                for (int i = 0; i < ROWS; i++) {
                    double sum = kernels.expInPlace(logits, i * k, (i + 1) * k, 0.0);
                    for (int c = 0; c < k; c++) {
                        logits[i * k + c] /= sum;
                    }
                }
                if (floatFeatures) {
                    kernels.transposeProduct(logits, xf, ROWS, d, k, grad, Parallel.SERIAL);
                } else {
                    kernels.transposeProduct(logits, xd, ROWS, d, k, grad, Parallel.SERIAL);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "kernel warm-up ended early", e);
        }
    }
}
