package io.github.fastgn.internal.race;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.MappedFloatFeatures;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The {@code bigdense} race of issue 13: dense float features bigger than the heap. A seeded set of
 * {@value #ROWS} x {@value #COLUMNS} float features (2 GB) with {@value #CLASSES} classes is written
 * once as a {@link MappedFloatFeatures} file ({@code bigdense_X.f32m}) and labels
 * ({@code bigdense_y.i32}, little-endian int32) into the race data folder, streaming (the generator
 * holds one block of rows), and FastGN trains on it through its plain-array entry point
 * ({@link SoftmaxHeadTrainer}) at its defaults with the race's {@code l2} and
 * {@code standardize = false}, from the mapped file: the bench runs it with {@code -Xmx1g}. There is
 * no peer and no reference optimum: the run stops at FastGN's own tolerance (or the time cap), and
 * reports its time, passes, iterations, final gradient norm and convergence and the peak memory.
 *
 * <p>The data: {@code x_ij ~ N(0, 1)}; labels drawn from a softmax teacher, {@code y_i = argmax_c
 * (w_c . x_i + g_ic)} with {@code w_cj ~ N(0, (3/sqrt(d))^2)} and Gumbel noise {@code g_ic}, so the
 * classes overlap and the optimum is finite. Every block of {@value #BLOCK} rows draws from its own
 * seeded stream, so the file does not depend on the thread count.
 */
public final class BigDense {

    /** The set's name in the bench. */
    public static final String NAME = "bigdense";
    public static final int ROWS = 2_000_000;
    public static final int COLUMNS = 256;
    public static final int CLASSES = 100;
    public static final long SEED = 13;
    /** Rows generated (and written) at once. */
    static final int BLOCK = 4096;

    private BigDense() {
    }

    /** The features file in {@code folder}. */
    public static Path featuresFile(Path folder) {
        return folder.resolve(NAME + "_X.f32m");
    }

    /** The labels file in {@code folder}. */
    public static Path labelsFile(Path folder) {
        return folder.resolve(NAME + "_y.i32");
    }

    /**
     * Writes the set into {@code folder} unless it is there with the right shape (the features
     * file opens and the labels file has one label per row); returns whether it wrote it.
     */
    public static boolean generateIfMissing(Path folder, int rows, int columns, int classes, long seed)
            throws IOException {
        Path x = featuresFile(folder);
        Path y = labelsFile(folder);
        if (Files.exists(x) && Files.exists(y) && Files.size(y) == 4L * rows) {
            try {
                MappedFloatFeatures m = MappedFloatFeatures.open(x);
                if (m.rows() == rows && m.columns() == columns) {
                    return false;
                }
            } catch (IllegalArgumentException e) {
                // unfinished or other data: written again below
            }
        }
        generate(folder, rows, columns, classes, seed);
        return true;
    }

    /** Writes the set into {@code folder} (created if needed), replacing what is there. */
    public static void generate(Path folder, int rows, int columns, int classes, long seed) throws IOException {
        if (rows < 1 || columns < 1 || classes < 2) {
            throw new IllegalArgumentException("needs rows, columns >= 1 and classes >= 2, got " + rows + ", "
                    + columns + ", " + classes);
        }
        Files.createDirectories(folder);
        double[] teacher = new double[classes * columns];
        SplittableRandom t = new SplittableRandom(seed);
        double scale = 3 / Math.sqrt(columns);
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = scale * t.nextGaussian();
        }
        float[] x = new float[BLOCK * columns];
        double[] noise = new double[BLOCK * classes];
        int[] y = new int[BLOCK];
        ByteBuffer labels = ByteBuffer.allocate(4 * BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        try (MappedFloatFeatures.Writer w = MappedFloatFeatures.Writer.create(featuresFile(folder), columns);
             FileChannel out = FileChannel.open(labelsFile(folder), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int r0 = 0, b = 0; r0 < rows; r0 += BLOCK, b++) {
                int count = Math.min(BLOCK, rows - r0);
                SplittableRandom rnd = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (b + 1));
                for (int i = 0; i < count * columns; i++) {
                    x[i] = (float) rnd.nextGaussian();
                }
                for (int i = 0; i < count * classes; i++) {
                    noise[i] = -Math.log(-Math.log(rnd.nextDouble(Double.MIN_VALUE, 1.0)));
                }
                IntStream.range(0, count).parallel().forEach(i -> y[i] = teacherLabel(teacher, x, noise, i, columns,
                        classes));
                w.appendRows(x, count);
                labels.clear();
                for (int i = 0; i < count; i++) {
                    labels.putInt(y[i]);
                }
                labels.flip();
                while (labels.hasRemaining()) {
                    out.write(labels);
                }
            }
        }
    }

    private static int teacherLabel(double[] teacher, float[] x, double[] noise, int i, int d, int k) {
        int best = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = noise[i * k + c];
            for (int j = 0; j < d; j++) {
                s += teacher[c * d + j] * x[i * d + j];
            }
            if (s > top) {
                top = s;
                best = c;
            }
        }
        return best;
    }

    /** The options of the race: FastGN's defaults with the race's {@code l2}, raw features and a time cap. */
    public static FgnOptions options(double maxSeconds) {
        return FgnOptions.builder().l2(RaceConfig.L2).standardize(false).mode(FgnOptions.Mode.FULL)
                .maxSeconds(maxSeconds).build();
    }

    /**
     * Trains once on the set in {@code folder} from its mapped file and returns the
     * {@code RESULT} line (the peers' format, with the final gradient norm and convergence added).
     */
    public static String race(Path folder, int classes, double maxSeconds, List<TrainingListener> listeners)
            throws IOException {
        long t0 = System.nanoTime();
        MappedFloatFeatures x = MappedFloatFeatures.open(featuresFile(folder)); // checks every value: one pass
        int[] y = readLabels(labelsFile(folder), x.rows(), classes);
        LabelledData data = LabelledData.mapped(x, y, null, classes);
        double convert = (System.nanoTime() - t0) * 1e-9;
        FgnOptions options = options(maxSeconds);
        SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer(options);
        listeners.forEach(trainer::addListener);
        long t1 = System.nanoTime();
        TrainingResult r = trainer.fit(data).training();
        double seconds = (System.nanoTime() - t1) * 1e-9;
        return String.format(Locale.ROOT, "RESULT\tpeer=%s\tdata=%s\tmode=first\tkernels=%s\tsetting=defaults,l2=%s,"
                        + "standardize=false,mode=full,mapped,stop@tolerance=%s,maxSeconds=%.0f\tseconds=%.3f"
                        + "\tconvert_s=%.3f\titers=%d\tpasses=%.2f\tobj=%.10f\trelgap=nan\ttest_acc=nan\tpeak_mb=%.0f"
                        + "\tgrad_norm=%.3e\tconverged=%s\tsolver=%s\tnote=stop=%s; n=%d d=%d K=%d from %s; no f*"
                        + " (no peer); peak_mb is the process VmHWM (mapped file pages included); peak_heap_mb=%.0f;"
                        + " max_heap_mb=%.0f",
                RaceEntry.ARRAYS.peer(), NAME, RaceRunner.kernels(), options.l2(), options.tolerance(), maxSeconds,
                seconds, convert, r.iterations(), r.dataPasses(), r.objective(), RaceRunner.peakResidentMb(),
                r.gradientNorm(), r.converged(), r.solver(), r.stopReason(), x.rows(), x.columns(), classes,
                x.file().getFileName(), RaceRunner.peakHeapMb(), Runtime.getRuntime().maxMemory() / 1048576.0);
    }

    /** {@code n} little-endian int32 labels in {@code [0, k)}. */
    static int[] readLabels(Path file, int n, int k) throws IOException {
        long size = Files.size(file);
        if (size != 4L * n) {
            throw new IllegalArgumentException(file + ": " + size + " bytes, expected " + n + " int32 labels; write"
                    + " the set again (bigdense --data DIR)");
        }
        int[] y = new int[n];
        ByteBuffer buf = ByteBuffer.allocate(4 * BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i0 = 0; i0 < n; i0 += BLOCK) {
                int count = Math.min(BLOCK, n - i0);
                buf.clear().limit(4 * count);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new IllegalArgumentException(file + ": ended early");
                    }
                }
                buf.flip();
                for (int i = i0; i < i0 + count; i++) {
                    int v = buf.getInt();
                    if (v < 0 || v >= k) {
                        throw new IllegalArgumentException(file + ": label " + v + " of row " + i + " is outside [0, "
                                + k + ")");
                    }
                    y[i] = v;
                }
            }
        }
        return y;
    }
}
