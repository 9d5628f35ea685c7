package io.github.fastgn.internal.race;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingListener;

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
 * Races FastGN on one {@link RaceData} set against its reference optimum through one public
 * {@link RaceEntry entry point}, each run stopped at the target {@link RaceConfig#target(double)}:
 * {@code warmUps} untimed runs, then {@code repeats} timed runs, all in this JVM. A first-run
 * figure is a race with no warm-up and one timed run in a fresh JVM (bench.sh starts one per
 * run); a warm figure is the median after a warm-up. The result prints as a {@code RESULT} line
 * in the peer harness's format, with the passes over the data, the conversion time, the kernels
 * and the peak memory beside the time.
 *
 * <p>The runner never prints; progress goes to the listeners the caller adds.
 */
public final class RaceRunner {

    private static final Logger LOG = Logger.getLogger(RaceRunner.class.getName());

    /**
     * One timed run.
     *
     * @param seconds        wall clock of the training call (the run stops at the target)
     * @param convertSeconds wall clock of building the entry point's data from the race arrays (not in {@code seconds})
     * @param iterations     optimizer iterations (accepted or rejected)
     * @param dataPasses     passes over the training features ({@code TrainingResult#dataPasses})
     * @param objective      final objective on the training data (double precision)
     * @param relativeGap    {@code (objective - f*) / f*}
     * @param testAccuracy   accuracy of the trained model on the test set
     * @param stopReason     why the run stopped
     */
    public record Run(double seconds, double convertSeconds, int iterations, double dataPasses, double objective,
                      double relativeGap, double testAccuracy, StopReason stopReason) {

        /** Whether the run reached the target {@code f <= f*(1 + REL_TOL)}. */
        public boolean reachedTarget() {
            return stopReason == StopReason.TARGET_REACHED;
        }
    }

    /**
     * The outcome of a race.
     *
     * @param set        data set name
     * @param entry      the entry point raced
     * @param kernels    the kernels this JVM ran ({@code HeadKernels.implementation()}: scalar or vector)
     * @param setting    the options that matter, compact
     * @param fstar      reference optimum
     * @param median     the timed run with the median time
     * @param timed      every timed run, in order
     * @param warmUps    the untimed runs before them (none for a first-run figure)
     * @param peakRssMb  process peak resident memory (VmHWM of /proc/self/status) in MiB, or -1 where unknown
     * @param peakHeapMb sum of the heap pools' peak usage in MiB (an upper bound of the heap peak)
     */
    public record Outcome(String set, RaceEntry entry, String kernels, String setting, double fstar, Run median,
                          List<Run> timed, List<Run> warmUps, double peakRssMb, double peakHeapMb) {

        public Outcome {
            timed = List.copyOf(timed);
            warmUps = List.copyOf(warmUps);
        }

        /** {@code first} (no warm-up: the first run in its JVM) or {@code warm}. */
        public String mode() {
            return warmUps.isEmpty() ? "first" : "warm";
        }

        /** The machine-readable line, tab separated, as the peers' {@code RESULT} lines. */
        public String resultLine() {
            String times = timed.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.seconds()))
                    .collect(Collectors.joining(","));
            String warm = warmUps.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.seconds()))
                    .collect(Collectors.joining(","));
            return String.format(Locale.ROOT, "RESULT\tpeer=%s\tdata=%s\tmode=%s\tkernels=%s\tsetting=%s"
                            + "\tseconds=%.3f\tconvert_s=%.3f\titers=%d\tpasses=%.2f\tobj=%.10f\trelgap=%.3e"
                            + "\ttest_acc=%.4f\tpeak_mb=%.0f\tnote=stop=%s; median of %d timed run(s) (%s s) after %d"
                            + " warm-up(s)%s; peak_mb is the process VmHWM; peak_heap_mb=%.0f",
                    entry.peer(), set, mode(), kernels, setting, median.seconds(), median.convertSeconds(),
                    median.iterations(), median.dataPasses(), median.objective(), median.relativeGap(),
                    median.testAccuracy(), peakRssMb, median.stopReason(), timed.size(), times, warmUps.size(),
                    warm.isEmpty() ? "" : " (" + warm + " s)", peakHeapMb);
        }
    }

    private final RaceData data;
    private final double fstar;
    private final FgnOptions options;
    private final List<TrainingListener> listeners = new ArrayList<>();

    /** A race with the options of {@link RaceConfig#options(double)}. */
    public RaceRunner(RaceData data, double fstar) {
        this(data, fstar, RaceConfig.options(fstar));
    }

    /** A race with other options (tests). */
    public RaceRunner(RaceData data, double fstar, FgnOptions options) {
        if (!(fstar > 0) || !Double.isFinite(fstar)) {
            throw new IllegalArgumentException("the reference optimum must be a finite number > 0, got " + fstar);
        }
        this.data = data;
        this.fstar = fstar;
        this.options = options;
    }

    /** Adds a listener to every run (warm-ups included). */
    public RaceRunner addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    public FgnOptions options() {
        return options;
    }

    /** Runs {@code warmUps} untimed and {@code repeats} timed runs through {@code entry}. */
    public Outcome race(RaceEntry entry, int warmUps, int repeats) {
        if (repeats < 1 || warmUps < 0) {
            throw new IllegalArgumentException("needs repeats >= 1 and warmUps >= 0, got repeats=" + repeats
                    + ", warmUps=" + warmUps);
        }
        List<Run> warm = new ArrayList<>();
        for (int r = 0; r < warmUps; r++) {
            warm.add(entry.run(data, fstar, options, listeners));
        }
        List<Run> timed = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            timed.add(entry.run(data, fstar, options, listeners));
        }
        List<Run> sorted = new ArrayList<>(timed);
        sorted.sort(Comparator.comparingDouble(Run::seconds));
        Run median = sorted.get((sorted.size() - 1) / 2);
        return new Outcome(data.name(), entry, kernels(), entry.setting(options), fstar, median, timed,
                warm, peakResidentMb(), peakHeapMb());
    }

    /**
     * The kernels this JVM runs: {@code scalar}, or {@code vector<bits>} when it was started with
     * {@code --add-modules jdk.incubator.vector}.
     */
    public static String kernels() {
        return HeadKernels.implementation();
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

    /**
     * Accuracy of {@code argmax_c (W_c x + b_c)} on CSR rows, parameters as
     * {@link #accuracy(double[], float[], int[], int, int, int)}.
     */
    static double accuracy(double[] w, io.github.fastgn.data.CsrFeatures x, int[] y, int k) {
        int n = x.rows();
        if (n == 0) {
            return Double.NaN;
        }
        int dd = x.columns() + 1;
        int[] ptr = x.rowStart();
        int[] col = x.columnIndices();
        float[] fv = x.isFloat() ? x.floatValues() : null;
        double[] dv = x.isFloat() ? null : x.values();
        long correct = java.util.stream.IntStream.range(0, n).parallel().filter(i -> {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                int off = c * dd;
                double s = w[off + dd - 1];
                for (int t = ptr[i]; t < ptr[i + 1]; t++) {
                    s += w[off + col[t]] * (fv != null ? fv[t] : dv[t]);
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

    /** The options a race sets (RaceConfig), compact; everything else is the default. */
    static String setting(FgnOptions o) {
        return String.format(Locale.ROOT, "defaults,l2=%s,standardize=%s,mode=%s,stop@target,maxSeconds=%.0f",
                o.l2(), o.standardize(), o.mode().name().toLowerCase(Locale.ROOT), o.maxSeconds());
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
