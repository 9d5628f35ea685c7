package io.github.fastgn.bench;

import io.github.fastgn.internal.linalg.Cholesky;
import io.github.fastgn.internal.linalg.HeadKernels;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.linalg.SymmetricTridiagonal;
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
 * The class-block preconditioner's work, {@code out_c = (C + t_c I)^-1 in_c} for {@code K} classes
 * at their own shifts, two ways: {@code reduction}, what the library does (one reduction
 * {@code C = Q T Q^T}, then per application two products with {@code Q} for all classes and a
 * tridiagonal solve each), against {@code cholesky}, the former way and the baseline (a Cholesky
 * factor of {@code C + t I} per distinct shift, each class solved with its factor; the former code
 * rounded shifts to a grid so that classes shared factors: at most {@value #FACTORS} distinct ones
 * here, every class its own at {@code K = 10} as on Fashion-MNIST pixels). {@code apply} is one
 * application; {@code prepare} the set-up (the reduction and an elimination, or the factors).
 * <pre>
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar ClassBlockBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * At {@code K = 1000} the former code solved the classes that shared a factor as the columns of a
 * panel, which took 0.55 of these per-class solves' time (ALGORITHM.md §2); the panels went with it.
 * The former code factored its grid points in parallel, one per thread; here serially.
 *
 * <p>Measured on the 2-vCPU development host (AVX-512, JDK 17), 2026-12-07, the command above,
 * ms per operation (median of 5) and the ratio to {@code cholesky}:
 * <pre>
 *   D x K       apply: cholesky  reduction        prepare: cholesky  reduction
 *   785 x 10          3.469    0.693 (0.200)             67.1      185.6 (2.77)
 *   257 x 1000       18.505    4.416 (0.239)              9.0       17.5 (1.95)
 * </pre>
 * A second run (13:18 UTC, a slower moment of the host, after the application moved into
 * {@code SymmetricTridiagonal.solveShifted}): apply 0.763 against 4.047 (0.188) and 5.428 against 21.684
 * (0.250); prepare 225.5 against 71.3 and 20.6 against 9.5. The reduction is made once per run; the factors were made again whenever the damping moved a
 * class to a grid point not yet factored (kept up to 64 MB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClassBlockBenchmark {

    /** The method {@link BenchMain} divides by. */
    static final String BASELINE = "cholesky";
    /** Distinct shifts (Cholesky factors) at most. */
    static final int FACTORS = 16;

    /** {@code D x K}: Fashion-MNIST pixels with the bias, and {@code syn}. */
    @Param({"785x10", "257x1000"})
    public String shape;

    @Param({"2"})
    public int threads;

    @Param({"cholesky", "reduction"})
    public String method;

    private int n;
    private int k;
    private double[] moment;
    private double[] shifts;
    private double[] scale;
    private double[] in;
    private double[] out;
    private double[][] factors;
    private int[] factorOf;
    private SymmetricTridiagonal reduced;
    private SymmetricTridiagonal.Elimination elimination;
    private Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split("x");
        n = Integer.parseInt(s[0]);
        k = Integer.parseInt(s[1]);
        parallel = Parallel.withThreads(threads);
        SplittableRandom rnd = new SplittableRandom(3);
        // the second moment of 2048 correlated rows on scales 1..100 (pixel-like), with the bias
        int rows = 2048;
        int d = n - 1;
        double[] x = new double[rows * d];
        for (int i = 0; i < rows; i++) {
            double common = rnd.nextGaussian();
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (1 + 99.0 * j / d) * (common + rnd.nextGaussian());
            }
        }
        double[] w = new double[rows];
        java.util.Arrays.fill(w, 1.0 / rows);
        moment = new double[n * n];
        HeadKernels.secondMoment(x, rows, d, w, moment, parallel);
        int distinct = Math.min(k, FACTORS);
        shifts = new double[k];
        factorOf = new int[k];
        scale = new double[k];
        for (int c = 0; c < k; c++) {
            factorOf[c] = c % distinct;
            shifts[c] = Math.pow(2, factorOf[c] / 2.0) * 1e-3;
            scale[c] = 1.0;
        }
        in = new double[k * n];
        for (int t = 0; t < in.length; t++) {
            in[t] = rnd.nextGaussian();
        }
        out = new double[k * n];
        prepare();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public Object prepare() {
        if (method.equals("cholesky")) {
            int distinct = Math.min(k, FACTORS);
            factors = new double[distinct][];
            for (int f = 0; f < distinct; f++) {
                double[] a = moment.clone();
                for (int j = 0; j < n; j++) {
                    a[j * n + j] += shifts[f];
                }
                Cholesky.factor(a, n, Parallel.SERIAL);
                factors[f] = a;
            }
            return factors;
        }
        reduced = SymmetricTridiagonal.of(moment, n, parallel);
        elimination = reduced.eliminate(shifts, k);
        return elimination;
    }

    @Benchmark
    public Object apply() {
        if (method.equals("cholesky")) {
            parallel.forRange(k, 1, (lo, hi) -> {
                for (int c = lo; c < hi; c++) {
                    double[] b = java.util.Arrays.copyOfRange(in, c * n, (c + 1) * n); // as the former code's per-class copy
                    Cholesky.solve(factors[factorOf[c]], n, b);
                    System.arraycopy(b, 0, out, c * n, n);
                }
            });
            return out;
        }
        reduced.solveShifted(elimination, scale, in, out, parallel);
        return out;
    }
}
