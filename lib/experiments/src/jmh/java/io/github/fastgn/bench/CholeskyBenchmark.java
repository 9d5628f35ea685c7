package io.github.fastgn.bench;

import io.github.fastgn.internal.linalg.Cholesky;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
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
 * {@link Cholesky#factor} (blocked, scalar or vector kernels, 1 or 2 threads) against the previous
 * unblocked inner-product form ({@code variant=crout}, the in-run baseline, copied here) and
 * Commons Math's {@code CholeskyDecomposition} on {@code double[][]}, for SPD matrices of order
 * 512, 1437 (a FGN row system of that batch size) and 4096:
 * <pre>
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar CholeskyBenchmark -f 1 -wi 2 -i 3
 * </pre>
 * Every variant restores the matrix before each call (not timed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CholeskyBenchmark {

    @Param({"512", "1437", "4096"})
    public int n;

    @Param({"crout", "commons-math", "blocked-scalar-1t", "blocked-vector-1t", "blocked-vector-2t"})
    public String variant;

    private double[] original;
    private double[] a;
    private Array2DRowRealMatrix full;
    private HeadKernels.Variant kernels;
    private Parallel parallel;

    /** Floating-point operations of one factorisation, {@code n^3 / 3}. */
    public static double flops(Map<String, String> params) {
        double n = Double.parseDouble(params.get("n"));
        return n * n * n / 3.0;
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(7);
        // a Gram matrix of n random rows of dimension n/2 (rank n/2) plus a ridge: SPD, FGN-like
        int m = Math.max(1, n / 2);
        double[] g = new double[n * m];
        for (int t = 0; t < g.length; t++) {
            g[t] = rnd.nextDouble() * 2 - 1;
        }
        original = new double[n * n];
        HeadKernels.gram(g, n, m, original, Parallel.common());
        for (int i = 0; i < n; i++) {
            original[i * n + i] += 1e-2 * m;
        }
        a = original.clone();
        if (variant.equals("commons-math")) {
            double[][] rows = new double[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = java.util.Arrays.copyOfRange(original, i * n, (i + 1) * n);
            }
            full = new Array2DRowRealMatrix(rows, false);
        }
        if (variant.startsWith("blocked")) {
            String[] p = variant.split("-");
            kernels = p[1].equals("vector")
                    ? HeadKernels.vector().orElseThrow(() -> new IllegalStateException("run the JVM with --add-modules jdk.incubator.vector"))
                    : HeadKernels.scalar();
            parallel = Parallel.withThreads(Integer.parseInt(p[2].replace("t", "")));
        }
    }

    @Setup(Level.Invocation)
    public void restore() {
        System.arraycopy(original, 0, a, 0, a.length);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (parallel != null) {
            parallel.close();
        }
    }

    @Benchmark
    public Object factor() {
        switch (variant) {
            case "crout":
                crout(a, n);
                return a;
            case "commons-math":
                return new CholeskyDecomposition(full, 1e-15, 1e-10).getL();
            default:
                Cholesky.factor(a, n, parallel, kernels);
                return a;
        }
    }

    /** The unblocked inner-product factorisation this library used before (for the baseline). */
    static void crout(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                int rj = j * n;
                double s = a[ri + j];
                double s1 = 0;
                int k = 0;
                for (; k + 1 < j; k += 2) {
                    s -= a[ri + k] * a[rj + k];
                    s1 -= a[ri + k + 1] * a[rj + k + 1];
                }
                for (; k < j; k++) {
                    s -= a[ri + k] * a[rj + k];
                }
                s += s1;
                if (j < i) {
                    a[ri + j] = s / a[rj + j];
                } else {
                    a[ri + i] = Math.sqrt(s);
                }
            }
        }
    }
}
