package io.github.fastgn.bench;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The weighted feature second moment {@code sum_i w_i x~_i x~_i^T} of one block of rows (float
 * features, the selected kernels), as the top-competitor curvature forms its tail moment every
 * step and the class-block preconditioner its {@code C} once: {@code moment} is the library's
 * {@link HeadKernels#stepSecondMoment} (the lower triangle on the packed panels, the scaled rows
 * packed as the kernel's left panel, mirrored), against the in-run baseline {@code transpose}, the
 * straightforward way: the coefficient array {@code w_i x_i} formed, then the head's transpose
 * product with the {@code d} features as classes (the whole square).
 * <pre>
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar MomentBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MomentBenchmark {

    /** The method {@link BenchMain} divides by. */
    static final String BASELINE = "transpose";

    /** Rows x features of the block. */
    @Param({"4096x256", "4096x512"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    @Param({"transpose", "moment"})
    public String method;

    private int rows;
    private int d;
    private float[] x;
    private double[] w;
    private double[] coef;
    private double[] out;
    private Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        rows = Integer.parseInt(p[0]);
        d = Integer.parseInt(p[1]);
        SplittableRandom rnd = new SplittableRandom(7);
        x = new float[rows * d];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) (rnd.nextDouble() * 2 - 1);
        }
        w = new double[rows];
        for (int i = 0; i < rows; i++) {
            w[i] = rnd.nextDouble() / rows;
        }
        coef = new double[rows * d];
        out = new double[(d + 1) * (d + 1)];
        parallel = threads == 1 ? Parallel.SERIAL : Parallel.withThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public double[] moment() {
        if (method.equals("moment")) {
            HeadKernels.stepSecondMoment(x, rows, d, w, out, parallel);
        } else {
            for (int i = 0; i < rows; i++) {
                double wi = w[i];
                for (int j = 0, o = i * d; j < d; j++) {
                    coef[o + j] = wi * x[o + j];
                }
            }
            HeadKernels.transposeProduct(coef, x, rows, d, d, out, parallel);
        }
        return out;
    }
}
