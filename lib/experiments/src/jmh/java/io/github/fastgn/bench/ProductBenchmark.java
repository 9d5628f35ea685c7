package io.github.fastgn.bench;

import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;
import java.util.Map;
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
 * The two products of a Gauss-Newton CG iteration on the shapes {@code B x d x K}:
 * {@code row} = {@code X~ V^T} ({@link HeadKernels#rowProduct}) and {@code transpose} =
 * {@code C^T X~} ({@link HeadKernels#transposeProduct}), with features stored as double or float,
 * on the scalar and the Vector API kernels, on 1 and 2 threads.
 *
 * <p>The in-run baseline ({@code variant=naive}) is the textbook loop a test would use as a
 * reference: one thread, no blocking ({@code T[i][c] = sum_j x[i][j] v[c][j] + b[c]};
 * {@code G[c][:] += c[i][c] x[i][:]} row by row). Run, from the repository root:
 * <pre>
 * mvn -B -q -Pbench -DskipTests package
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar ProductBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * (a subset: append e.g. {@code -p shape=4096x512x1000 -p op=row}). After JMH's own report,
 * {@link BenchMain} prints {@code shape op storage variant GFLOP/s ratio-to-naive} from the
 * median iteration. The forked JVM always gets {@code --add-modules jdk.incubator.vector}.
 * {@link BenchMain} lists every benchmark of the jar ({@link CholeskyBenchmark},
 * {@link StepBenchmark}, {@link TrainingBenchmark}) with its command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProductBenchmark {

    @Param({"4096x784x10", "4096x256x1000", "4096x2048x10", "4096x512x1000"})
    public String shape;

    @Param({"row", "transpose"})
    public String op;

    @Param({"double", "float"})
    public String storage;

    @Param({"naive", "scalar-1t", "scalar-2t", "vector-1t", "vector-2t"})
    public String variant;

    private int b;
    private int d;
    private int k;
    private double[] xd;
    private float[] xf;
    private double[] v;
    private double[] coef;
    private double[] out;
    private HeadKernels.Variant kernels;
    private Parallel parallel;

    /** Floating-point operations of one product (multiply and add counted separately). */
    public static double flops(Map<String, String> params) {
        int[] s = parseShape(params.get("shape"));
        return 2.0 * s[0] * s[1] * s[2];
    }

    static int[] parseShape(String shape) {
        String[] p = shape.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = parseShape(shape);
        b = s[0];
        d = s[1];
        k = s[2];
        SplittableRandom rnd = new SplittableRandom(42);
        if (storage.equals("float")) {
            xf = new float[b * d];
            for (int t = 0; t < xf.length; t++) {
                xf[t] = (float) (rnd.nextDouble() * 2 - 1);
            }
        } else {
            xd = new double[b * d];
            for (int t = 0; t < xd.length; t++) {
                xd[t] = rnd.nextDouble() * 2 - 1;
            }
        }
        v = new double[k * (d + 1)];
        for (int t = 0; t < v.length; t++) {
            v[t] = rnd.nextDouble() - 0.5;
        }
        coef = new double[b * k];
        for (int t = 0; t < coef.length; t++) {
            coef[t] = rnd.nextDouble() - 0.5;
        }
        out = new double[Math.max(b * k, k * (d + 1))];
        if (!variant.equals("naive")) {
            String[] p = variant.split("-");
            kernels = p[0].equals("vector")
                    ? HeadKernels.vector().orElseThrow(() -> new IllegalStateException("run the JVM with --add-modules jdk.incubator.vector"))
                    : HeadKernels.scalar();
            parallel = Parallel.withThreads(Integer.parseInt(p[1].replace("t", "")));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (parallel != null) {
            parallel.close();
        }
    }

    @Benchmark
    public double[] product() {
        boolean row = op.equals("row");
        if (kernels == null) {
            if (row) {
                if (xf != null) {
                    naiveRow(xf, b, d, v, k, out);
                } else {
                    naiveRow(xd, b, d, v, k, out);
                }
            } else if (xf != null) {
                naiveTranspose(coef, xf, b, d, k, out);
            } else {
                naiveTranspose(coef, xd, b, d, k, out);
            }
        } else if (row) {
            if (xf != null) {
                kernels.rowProduct(xf, b, d, v, k, out, parallel);
            } else {
                kernels.rowProduct(xd, b, d, v, k, out, parallel);
            }
        } else if (xf != null) {
            kernels.transposeProduct(coef, xf, b, d, k, out, parallel);
        } else {
            kernels.transposeProduct(coef, xd, b, d, k, out, parallel);
        }
        return out;
    }

    static void naiveRow(double[] x, int rows, int d, double[] v, int k, double[] out) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < k; c++) {
                double s = v[c * (d + 1) + d];
                for (int j = 0; j < d; j++) {
                    s += x[i * d + j] * v[c * (d + 1) + j];
                }
                out[i * k + c] = s;
            }
        }
    }

    static void naiveRow(float[] x, int rows, int d, double[] v, int k, double[] out) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < k; c++) {
                double s = v[c * (d + 1) + d];
                for (int j = 0; j < d; j++) {
                    s += x[i * d + j] * v[c * (d + 1) + j];
                }
                out[i * k + c] = s;
            }
        }
    }

    static void naiveTranspose(double[] coef, double[] x, int rows, int d, int k, double[] out) {
        java.util.Arrays.fill(out, 0, k * (d + 1), 0.0);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < k; c++) {
                double a = coef[i * k + c];
                int o = c * (d + 1);
                for (int j = 0; j < d; j++) {
                    out[o + j] += a * x[i * d + j];
                }
                out[o + d] += a;
            }
        }
    }

    static void naiveTranspose(double[] coef, float[] x, int rows, int d, int k, double[] out) {
        java.util.Arrays.fill(out, 0, k * (d + 1), 0.0);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < k; c++) {
                double a = coef[i * k + c];
                int o = c * (d + 1);
                for (int j = 0; j < d; j++) {
                    out[o + j] += a * x[i * d + j];
                }
                out[o + d] += a;
            }
        }
    }
}
