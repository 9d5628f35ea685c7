package io.github.fastgn.bench;

import io.github.fastgn.internal.linalg.HeadKernels;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The softmax exponentials of a logit pass: {@code 2^18} logits as rows of {@code k} classes, each
 * row shifted by its max and exponentiated in place ({@code HeadKernels.Variant#expInPlace}).
 * {@code method}: {@code mathexp}, the plain loop over {@code Math.exp} the kernels used before
 * (the baseline); {@code scalar} and {@code vector}, the kernels' deterministic exponential on
 * the two paths. Every invocation first copies the logits back (the same copy for every method).
 * <pre>
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar ExpBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExpBenchmark {

    /** The method the others are compared with. */
    static final String BASELINE = "mathexp";
    private static final int N = 1 << 18;

    @Param({"10", "1000"})
    public int k;

    @Param({"mathexp", "scalar", "vector"})
    public String method;

    private double[] logits;
    private double[] max;
    private double[] work;
    private HeadKernels.Variant kernels;

    @Setup(Level.Trial)
    public void setUp() {
        int rows = N / k;
        SplittableRandom rnd = new SplittableRandom(7);
        logits = new double[rows * k];
        for (int t = 0; t < logits.length; t++) {
            logits[t] = rnd.nextDouble() * 30 - 20;
        }
        max = new double[rows];
        for (int i = 0; i < rows; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                m = Math.max(m, logits[i * k + c]);
            }
            max[i] = m;
        }
        work = new double[logits.length];
        kernels = method.equals("vector")
                ? HeadKernels.vector().orElseThrow(() -> new IllegalStateException("run the JVM with --add-modules jdk.incubator.vector"))
                : HeadKernels.scalar();
    }

    @Benchmark
    public double softmaxRows() {
        System.arraycopy(logits, 0, work, 0, work.length);
        int rows = max.length;
        double total = 0;
        if (method.equals(BASELINE)) {
            for (int i = 0; i < rows; i++) {
                total += mathExp(work, i * k, i * k + k, max[i]);
            }
        } else {
            for (int i = 0; i < rows; i++) {
                total += kernels.expInPlace(work, i * k, i * k + k, max[i]);
            }
        }
        return total;
    }

    /** The kernels' exponential before the deterministic one: a loop over {@link Math#exp}. */
    static double mathExp(double[] v, int from, int to, double shift) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double e = Math.exp(v[i] - shift);
            v[i] = e;
            sum += e;
        }
        return sum;
    }
}
