package io.github.fastgn.bench;

import io.github.fastgn.data.CsrFeatures;
import io.github.fastgn.data.DenseFeatures;
import io.github.fastgn.data.FeatureMatrix;
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
 * The head products on compressed sparse rows against the same matrix dense, at about 1% and 10%
 * density: {@code row} = {@code X~ V^T}, {@code transpose} = {@code C^T X~}, through
 * {@link FeatureMatrix} ({@link CsrFeatures} against {@link DenseFeatures}, double values, the
 * kernels the JVM selects) on {@code threads} threads. The in-run baseline is {@code method=dense}.
 * Run, from the repository root:
 * <pre>
 * mvn -B -q -Pbench -DskipTests package -pl lib/experiments -am
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar CsrProductBenchmark -f 1 -wi 2 -i 3
 * </pre>
 * {@link BenchMain} then prints each method's median ms/op and its ratio to {@code dense}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CsrProductBenchmark {

    /** The method {@link BenchMain} divides by. */
    static final String BASELINE = "dense";

    @Param({"8192x4096x20"})
    public String shape;

    @Param({"0.01", "0.1"})
    public double density;

    @Param({"row", "transpose"})
    public String op;

    @Param({"1"})
    public int threads;

    @Param({"dense", "csr"})
    public String method;

    private FeatureMatrix x;
    private int k;
    private double[] v;
    private double[] coef;
    private double[] out;
    private Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = ProductBenchmark.parseShape(shape);
        int n = s[0];
        int d = s[1];
        k = s[2];
        SplittableRandom rnd = new SplittableRandom(42);
        double[] dense = new double[n * d];
        int[] start = new int[n + 1];
        int nnz = 0;
        for (int t = 0; t < dense.length; t++) {
            if (rnd.nextDouble() < density) {
                dense[t] = rnd.nextDouble() * 2 - 1;
                nnz++;
            }
        }
        int[] cols = new int[nnz];
        double[] vals = new double[nnz];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                if (dense[i * d + j] != 0) {
                    cols[p] = j;
                    vals[p++] = dense[i * d + j];
                }
            }
            start[i + 1] = p;
        }
        x = method.equals("csr") ? CsrFeatures.of(start, cols, vals, n, d) : DenseFeatures.of(dense, n, d);
        v = new double[k * (d + 1)];
        for (int t = 0; t < v.length; t++) {
            v[t] = rnd.nextDouble() - 0.5;
        }
        coef = new double[n * k];
        for (int t = 0; t < coef.length; t++) {
            coef[t] = rnd.nextDouble() - 0.5;
        }
        out = new double[Math.max(n * k, k * (d + 1))];
        parallel = Parallel.withThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public double[] product() {
        if (op.equals("row")) {
            x.rowProduct(v, k, out, parallel);
        } else {
            x.transposeProduct(coef, k, out, parallel);
        }
        return out;
    }
}
