package io.github.fastgn.bench;

import io.github.fastgn.experiment.StepProblem;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.internal.solver.StepSolver;
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
 * Per-step cost against the number of classes K at fixed B and d (issue 5, target 4): the average
 * time of one damped step of a {@link StepProblem} (logits and margins, gradient, the solve from
 * zero, the step's logit image; the same batch every step, so the feature Gram of the row solvers
 * is computed once, as in full-batch training; seeded Gaussian prototypes at one point off the
 * origin), for K = 10, 30, 100, 300, 1000 and d = 256, on the common thread pool. Two benchmarks:
 * <ul>
 *   <li>{@code step}, B = {@value #B}: the FGN steps {@code fgn-row-cholesky} (the B x B row
 *       system) and {@code fgn-row-cg}, against the full-GGN step {@code ggn-param-cg} (the in-run
 *       baseline). Both CG solvers run exactly {@value #CG_ITERATIONS} iterations (tolerance 0),
 *       the cost model's planned count.</li>
 *   <li>{@code smallBatchStep}, B = {@value #SMALL_B}: {@code fgn-row-cholesky} against the
 *       full-GGN direct solve {@code ggn-row-cholesky} (the baseline), whose system has B K rows
 *       and grows about K^3. JMH cannot skip parameter combinations, so this baseline runs on its
 *       own smaller batch, where B K &lt;= 8000 at every K (8000 rows at K = 1000: a 512 MB
 *       system and a few seconds to tens of seconds per step on 2 cores).</li>
 * </ul>
 * Run, from the repository root:
 * <pre>
 * mvn -B -q -Pbench -DskipTests package -pl lib/experiments -am
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar StepBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * (a subset: append e.g. {@code -p k=10,100}; one benchmark: {@code StepBenchmark.step}). After
 * JMH's own report, {@link BenchMain} prints, per benchmark and K, each method's milliseconds per
 * step and its ratio to the GGN baseline at the same K, then each method's least-squares log-log
 * slope of time against K over K = 10..1000.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms3g", "-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StepBenchmark {

    /** Rows of the {@code step} benchmark's batch. */
    public static final int B = 1024;
    /** Rows of the {@code smallBatchStep} benchmark's batch ({@code 8 K <= 8192} for every K). */
    public static final int SMALL_B = 8;
    /** Features. */
    public static final int D = 256;
    /** Iterations of the CG solvers (tolerance 0: every step runs exactly this many). */
    public static final int CG_ITERATIONS = 20;

    /** The baseline method of each benchmark, for {@link BenchMain}. */
    static String baseline(String benchmark) {
        return benchmark.endsWith("smallBatchStep") ? "ggn-row-cholesky" : "ggn-param-cg";
    }

    /** The FGN steps and the full-GGN parameter-space CG baseline at B = {@value #B}. */
    @State(Scope.Benchmark)
    public static class Batch {
        @Param({"10", "30", "100", "300", "1000"})
        public int k;

        @Param({"ggn-param-cg", "fgn-row-cholesky", "fgn-row-cg"})
        public String method;

        Step step;

        @Setup(Level.Trial)
        public void setUp() {
            step = new Step(B, k, method);
        }
    }

    /** FGN row Cholesky and the full-GGN B K-row Cholesky baseline at B = {@value #SMALL_B}. */
    @State(Scope.Benchmark)
    public static class SmallBatch {
        @Param({"10", "30", "100", "300", "1000"})
        public int k;

        @Param({"ggn-row-cholesky", "fgn-row-cholesky"})
        public String method;

        Step step;

        @Setup(Level.Trial)
        public void setUp() {
            step = new Step(SMALL_B, k, method);
        }
    }

    /** A problem, its solver and the step buffer; two untimed steps size the solver's buffers. */
    static final class Step {
        final StepProblem problem;
        final StepSolver solver;
        final double[] s;

        Step(int b, int k, String method) {
            problem = new StepProblem(b, D, k, Parallel.common());
            solver = Solvers.create(method, b, D, k, false, CG_ITERATIONS);
            s = new double[problem.parameters()];
            problem.step(solver, s);
            problem.step(solver, s);
        }
    }

    @Benchmark
    public double[] step(Batch state) {
        state.step.problem.step(state.step.solver, state.step.s);
        return state.step.s;
    }

    @Benchmark
    public double[] smallBatchStep(SmallBatch state) {
        state.step.problem.step(state.step.solver, state.step.s);
        return state.step.s;
    }
}
