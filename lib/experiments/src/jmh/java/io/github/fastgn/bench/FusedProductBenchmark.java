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
 * A GGN-style product at few classes, {@code X~ V^T}, a per-row map, then {@code C^T X~}: the two
 * products apart ({@code method=apart}, the in-run baseline: {@link HeadKernels#rowProduct}, the
 * map, {@link HeadKernels#transposeProduct}) against {@link HeadKernels#fusedProduct}, one read of
 * the features, on the Vector API kernels with float features and {@code threads} threads. The map
 * scales each row (the work of the GGN map is the same on both sides). Run, from the repository root:
 * <pre>
 * mvn -B -q -Pbench -DskipTests package -pl lib/experiments -am
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar FusedProductBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * {@link BenchMain} then prints each method's median ms/op and its ratio to {@code apart}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FusedProductBenchmark {

    /** The method {@link BenchMain} divides by. */
    static final String BASELINE = "apart";

    /** {@code fmnist}'s curvature sample and its whole training set. */
    @Param({"8192x784x10", "60000x784x10"})
    public String shape;

    @Param({"2"})
    public int threads;

    @Param({"apart", "fused"})
    public String method;

    private int b;
    private int d;
    private int k;
    private float[] x;
    private double[] v;
    private double[] z;
    private double[] scale;
    private double[][] partials;
    private double[] out;
    private HeadKernels.Variant kernels;
    private Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = ProductBenchmark.parseShape(shape);
        b = s[0];
        d = s[1];
        k = s[2];
        SplittableRandom rnd = new SplittableRandom(42);
        x = new float[b * d];
        for (int t = 0; t < x.length; t++) {
            x[t] = (float) rnd.nextDouble();
        }
        v = new double[k * (d + 1)];
        for (int t = 0; t < v.length; t++) {
            v[t] = rnd.nextDouble() - 0.5;
        }
        scale = new double[b];
        for (int i = 0; i < b; i++) {
            scale[i] = rnd.nextDouble();
        }
        z = new double[b * k];
        out = new double[k * (d + 1)];
        partials = new double[HeadKernels.fusedBlocks(b)][k * (d + 1)];
        kernels = HeadKernels.vector().orElseThrow(() -> new IllegalStateException("run the JVM with --add-modules jdk.incubator.vector"));
        if (!kernels.fuses(d, k)) {
            throw new IllegalStateException("the vector kernels do not fuse " + shape);
        }
        parallel = Parallel.withThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public double[] product() {
        if (method.equals("fused")) {
            kernels.fusedProduct(x, b, d, v, k, z, this::map, z, partials, out, parallel);
        } else {
            kernels.rowProduct(x, b, d, v, k, z, parallel);
            map(0, b);
            kernels.transposeProduct(z, x, b, d, k, out, parallel);
        }
        return out;
    }

    private void map(int r0, int r1) {
        for (int i = r0; i < r1; i++) {
            double s = scale[i];
            for (int c = i * k, end = c + k; c < end; c++) {
                z[c] *= s;
            }
        }
    }
}
