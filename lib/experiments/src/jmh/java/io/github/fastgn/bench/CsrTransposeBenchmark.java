package io.github.fastgn.bench;

import io.github.fastgn.internal.linalg.CsrColumnOrder;
import io.github.fastgn.internal.linalg.CsrRowsFloat;
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
 * The transpose product {@code C^T X} of a text-shaped sparse matrix (bag of words: {@code n} rows of
 * about 50 distinct columns drawn from a Zipf(1) law over {@code d = 2^18} hashed columns, float values,
 * {@code K} classes) in the column order of its temporaries: {@code scatter} adds each stored value's
 * {@code K} products into its slot's sums row by row (the baseline), {@code columns} sums each slot's
 * values from the matrix's column-major copy ({@code CsrRowsFloat.Columns}, built in the setup). Both
 * give the same bits. Run, from the repository root:
 * <pre>
 * mvn -B -q -Pbench -DskipTests package -pl lib/experiments -am
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar CsrTransposeBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * {@link BenchMain} then prints each method's median ms/op and its ratio to {@code scatter}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CsrTransposeBenchmark {

    /** The method {@link BenchMain} divides by. */
    static final String BASELINE = "scatter";

    private static final int D = 1 << 18;

    @Param({"100000"})
    public int rows;

    @Param({"20"})
    public int k;

    @Param({"1", "2"})
    public int threads;

    @Param({"scatter", "columns"})
    public String method;

    private int[] ptr;
    private int[] idx;
    private float[] val;
    private CsrColumnOrder order;
    private CsrRowsFloat.Columns columns;
    private double[] coef;
    private double[] out;
    private Parallel parallel;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        ptr = new int[rows + 1];
        int[][] cols = new int[rows][];
        for (int i = 0; i < rows; i++) {
            java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
            int want = 40 + rnd.nextInt(21);
            while (set.size() < want) {
                // Zipf(1) over the columns: rank = D^u - 1, scattered as a hash would
                int rank = (int) Math.floor(Math.pow(D, rnd.nextDouble())) - 1;
                set.add((int) ((rank * 40503L) % D));
            }
            cols[i] = set.stream().mapToInt(Integer::intValue).toArray();
            ptr[i + 1] = ptr[i] + cols[i].length;
        }
        idx = new int[ptr[rows]];
        val = new float[ptr[rows]];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(cols[i], 0, idx, ptr[i], cols[i].length);
        }
        for (int p = 0; p < val.length; p++) {
            val[p] = (float) rnd.nextDouble();
        }
        order = CsrColumnOrder.of(ptr, idx, rows, D);
        columns = method.equals("columns") ? CsrRowsFloat.columns(ptr, val, rows, order) : null;
        coef = new double[rows * k];
        for (int t = 0; t < coef.length; t++) {
            coef[t] = rnd.nextDouble() - 0.5;
        }
        out = new double[k * (D + 1)];
        parallel = Parallel.withThreads(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        parallel.close();
    }

    @Benchmark
    public double[] transpose() {
        if (columns != null) {
            CsrRowsFloat.transposeProduct(coef, columns, rows, D, k, out, parallel, order);
        } else {
            CsrRowsFloat.transposeProduct(coef, ptr, idx, val, rows, D, k, out, parallel, order);
        }
        return out;
    }
}
