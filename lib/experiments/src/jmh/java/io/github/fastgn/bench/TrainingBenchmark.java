package io.github.fastgn.bench;

import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.HeadOptimizer;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import java.util.Locale;
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
 * Full-batch training to a target objective (issue 5): the wall-clock time of one run from zero
 * to {@code f <= f* (1 + 1e-4)} on seeded, standardised Gaussian prototypes (n = {@value #N},
 * d = {@value #D}, K = {@value #K}, sigma 3, L2 {@value #L2}), single shot, on the common thread
 * pool. {@code f*} comes from one long damped-Newton run (gradient tolerance 1e-10) in each trial's
 * set-up. Methods ({@code method}):
 * <ul>
 *   <li>{@code lbfgs}: {@link Lbfgs} (memory 10, no guard) with
 *       {@link FirstOrderOptions#targetObjective()}, the in-run baseline;</li>
 *   <li>{@code fgn}: {@link FgnOptimizer} with the default options (solver {@code auto}, guard
 *       on);</li>
 *   <li>{@code newton}: {@link FgnOptimizer}, solver {@code newton} with the curvature on a
 *       sample of 4096 rows, guard off, initial damping 1e-3.</li>
 * </ul>
 * Every run must stop with {@link StopReason#TARGET_REACHED}; any other stop fails the benchmark
 * rather than timing a run that did not finish. Run, from the repository root:
 * <pre>
 * mvn -B -q -Pbench -DskipTests package -pl lib/experiments -am
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar TrainingBenchmark
 * </pre>
 * (defaults: 2 forks, 1 warm-up and 3 measured runs each). After JMH's own report,
 * {@link BenchMain} prints each method's median seconds and its ratio to L-BFGS.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class TrainingBenchmark {

    public static final int N = 20000;
    public static final int D = 128;
    public static final int K = 50;
    public static final double L2 = 1e-4;
    /** Relative gap of the target above {@code f*}. */
    public static final double GAP = 1e-4;
    /** The in-run baseline method. */
    static final String BASELINE = "lbfgs";
    /** Iteration budget of every method; far beyond what reaching the target takes. */
    private static final int BUDGET = 100_000;

    @Param({"lbfgs", "fgn", "newton"})
    public String method;

    private LabelledData train;
    private double fStar;
    private double target;
    private HeadOptimizer optimizer;
    private TrainingResult last;

    @Setup(Level.Trial)
    public void setUp() {
        LabelledData data = Synthetic.gaussianPrototypes(N, D, K, 3.0, 5);
        train = new LabelledData(Standardizer.fit(data.features(), N, D).transform(data.features(), N),
                data.labels(), null, N, D, K);
        TrainingResult reference = new FgnOptimizer(FgnOptions.builder().l2(L2).standardize(false).solver("newton").tolerance(1e-10)
                .maxIterations(1000).build()).optimize(train);
        fStar = reference.objective();
        target = fStar * (1 + GAP);
        System.out.printf(Locale.ROOT, "%nf* = %.12g (%s, %d iterations, gradient norm %.3g, %.1f s); target %.12g%n",
                fStar, reference.stopReason(), reference.iterations(), reference.gradientNorm(),
                reference.elapsedSeconds(), target);
        switch (method) {
            case "lbfgs":
                optimizer = new Lbfgs(FirstOrderOptions.builder().l2(L2).maxIterations(BUDGET).tolerance(0)
                        .targetObjective(target).build());
                break;
            case "fgn":
                optimizer = new FgnOptimizer(FgnOptions.builder().l2(L2).standardize(false).maxIterations(BUDGET)
                        .tolerance(0).targetObjective(target).build());
                break;
            case "newton":
                optimizer = new FgnOptimizer(FgnOptions.builder().l2(L2).standardize(false).maxIterations(BUDGET)
                        .tolerance(0).solver("newton").curvatureSample(4096).guard(false).initialDamping(1e-3)
                        .targetObjective(target).build());
                break;
            default:
                throw new IllegalArgumentException("unknown method " + method);
        }
    }

    @Benchmark
    public TrainingResult train() {
        last = optimizer.optimize(train);
        return last;
    }

    @TearDown(Level.Iteration)
    public void check() {
        System.out.printf(Locale.ROOT, "%n%s (%s): %s after %d iterations, f = %.12g (target %.12g)%n", method,
                last.solver(), last.stopReason(), last.iterations(), last.objective(), target);
        if (last.stopReason() != StopReason.TARGET_REACHED || !(last.objective() <= target)) {
            throw new IllegalStateException(method + " did not reach the target " + target + ": " + last.stopReason()
                    + " at f = " + last.objective());
        }
    }
}
