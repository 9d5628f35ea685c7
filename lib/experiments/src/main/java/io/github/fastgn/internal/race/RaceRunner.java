package io.github.fastgn.internal.race;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Races FastGN on one {@link RaceData} set against its reference optimum: one untimed warm-up
 * run, then {@code repeats} timed runs in the same JVM, each stopped at the target
 * {@link RaceConfig#target(double)}. The time of a run is the wall clock of
 * {@link FgnOptimizer#optimize}; the reported figures are those of the run with the median time.
 * The result prints as a {@code RESULT} line in the peer harness's format.
 *
 * <p>The runner never prints; progress goes to the listeners the caller adds.
 */
public final class RaceRunner {

    private static final Logger LOG = Logger.getLogger(RaceRunner.class.getName());

    /**
     * One timed run.
     *
     * @param seconds      wall clock of {@code optimize} (the run stops at the target)
     * @param iterations   optimizer iterations (accepted or rejected)
     * @param objective    final objective on the training data (double precision)
     * @param relativeGap  {@code (objective - f*) / f*}
     * @param testAccuracy accuracy of {@code argmax (W x + b)} on the test set
     * @param stopReason   why the run stopped
     */
    public record Run(double seconds, int iterations, double objective, double relativeGap, double testAccuracy,
                      StopReason stopReason) {

        /** Whether the run reached the target {@code f <= f*(1 + REL_TOL)}. */
        public boolean reachedTarget() {
            return stopReason == StopReason.TARGET_REACHED;
        }
    }

    /**
     * The outcome of a race.
     *
     * @param set        data set name
     * @param peer       peer name ({@code fastgn-<solver>})
     * @param setting    the options that matter, compact
     * @param fstar      reference optimum
     * @param median     the timed run with the median time
     * @param timed      every timed run, in order
     * @param warmUp     the untimed first run (includes the JIT compiling the kernels)
     * @param peakRssMb  process peak resident memory (VmHWM) in MiB, or -1 where unknown
     * @param peakHeapMb sum of the heap pools' peak usage in MiB (an upper bound of the heap peak)
     */
    public record Outcome(String set, String peer, String setting, double fstar, Run median, List<Run> timed,
                          Run warmUp, double peakRssMb, double peakHeapMb) {

        public Outcome {
            timed = List.copyOf(timed);
        }

        /** The machine-readable line, tab separated, as the peers' {@code RESULT} lines. */
        public String resultLine() {
            String times = timed.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.seconds()))
                    .collect(Collectors.joining(","));
            return String.format(Locale.ROOT, "RESULT\tpeer=%s\tdata=%s\tsetting=%s\tseconds=%.3f\titers=%d"
                            + "\tobj=%.10f\trelgap=%.3e\ttest_acc=%.4f\tpeak_mb=%.0f\tnote=stop=%s; median of %d timed "
                            + "runs (%s s) after 1 warm-up (%.3f s, first run in the JVM); peak_heap_mb=%.0f", peer, set,
                    setting, median.seconds(), median.iterations(), median.objective(), median.relativeGap(),
                    median.testAccuracy(), peakRssMb, median.stopReason(), timed.size(), times, warmUp.seconds(),
                    peakHeapMb);
        }
    }

    private final RaceData data;
    private final double fstar;
    private final FgnOptions options;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /** A race with the options of {@link RaceConfig#options(String, double)}. */
    public RaceRunner(RaceData data, double fstar) {
        this(data, fstar, RaceConfig.options(data.name(), fstar));
    }

    /** A race with other options (tests, tuning). */
    public RaceRunner(RaceData data, double fstar, FgnOptions options) {
        if (!(fstar > 0) || !Double.isFinite(fstar)) {
            throw new IllegalArgumentException("the reference optimum must be a finite number > 0, got " + fstar);
        }
        this.data = data;
        this.fstar = fstar;
        this.options = options;
    }

    /** Adds a listener to every run (warm-up included). */
    public RaceRunner addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public FgnOptions options() {
        return options;
    }

    /** Runs 1 warm-up and {@code repeats} timed runs. */
    public Outcome race(int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        int n = data.trainSize();
        int d = data.featureCount();
        int k = data.classCount();
        // built (and checked) once, outside the timed runs
        LabelledData train = LabelledData.ofFloat(data.trainFeatures(), data.trainLabels(), null, n, d, k);
        Run warmUp = once(train);
        List<Run> timed = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            timed.add(once(train));
        }
        List<Run> sorted = new ArrayList<>(timed);
        sorted.sort(Comparator.comparingDouble(Run::seconds));
        Run median = sorted.get((sorted.size() - 1) / 2);
        return new Outcome(data.name(), "fastgn-" + options.solver(), setting(options), fstar, median, timed, warmUp,
                peakResidentMb(), peakHeapMb());
    }

    private Run once(LabelledData train) {
        int d = train.featureCount();
        int k = train.classCount();
        FgnOptimizer optimizer = new FgnOptimizer(options);
        for (TrainingListener l : listeners) {
            optimizer.addListener(l);
        }
        long t0 = System.nanoTime();
        TrainingResult result = optimizer.optimize(train);
        double seconds = (System.nanoTime() - t0) * 1e-9;
        double acc = accuracy(result.weights(), data.testFeatures(), data.testLabels(), data.testSize(), d, k);
        return new Run(seconds, result.iterations(), result.objective(), (result.objective() - fstar) / fstar, acc,
                result.stopReason());
    }

    /**
     * Accuracy of {@code argmax_c (W_c x + b_c)} with parameters row-major {@code K x (d+1)},
     * {@code [W | b]} per class; ties go to the lower class (as numpy's argmax).
     */
    static double accuracy(double[] w, float[] x, int[] y, int n, int d, int k) {
        if (n == 0) {
            return Double.NaN;
        }
        int dd = d + 1;
        long correct = java.util.stream.IntStream.range(0, n).parallel().filter(i -> {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            int row = i * d;
            for (int c = 0; c < k; c++) {
                int off = c * dd;
                double s = w[off + d];
                for (int j = 0; j < d; j++) {
                    s += w[off + j] * x[row + j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            return best == y[i];
        }).count();
        return correct / (double) n;
    }

    static String setting(FgnOptions o) {
        return String.format(Locale.ROOT, "mode=%s,standardize=%s,curvatureSample=%d,maxCg=%d,guard=%s,"
                        + "damping0=%s,stop@target", o.mode().name().toLowerCase(Locale.ROOT), o.standardize(),
                o.curvatureSample(), o.maxCgIterations(), o.guard() ? "on" : "off", o.initialDamping());
    }

    /** Process peak resident set (VmHWM of /proc/self/status) in MiB, or -1 where unavailable. */
    static double peakResidentMb() {
        Path status = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "no VmHWM in " + status, e);
        }
        return -1;
    }

    /** Sum of the heap memory pools' peak usage in MiB (each pool peaks at its own time: an upper bound). */
    static double peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024.0);
    }
}
