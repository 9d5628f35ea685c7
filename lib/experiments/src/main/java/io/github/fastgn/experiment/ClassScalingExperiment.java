package io.github.fastgn.experiment;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.FgnRowCgSolver;
import io.github.fastgn.internal.solver.FgnRowCholeskySolver;
import io.github.fastgn.internal.solver.GgnRowCholeskySolver;
import io.github.fastgn.internal.solver.ParamCgSolver;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.internal.solver.StepSolver;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * (c) Per-step time and memory against the number of classes (EXPERIMENTS.md (c)): one damped step at a
 * fixed batch ({@code B} rows, {@code d} features) of a Gaussian-prototype problem, for FGN row
 * Cholesky, FGN row CG (20 iterations), full-GGN parameter CG (20 iterations), full-GGN row
 * Cholesky ({@code B K} rows, while {@code B K <= 4096}) and one SGD step; with the flop model
 * of ALGORITHM.md §2 (cost model) converted to seconds at the rate this machine ran the SGD step.
 *
 * <p>A step is: logits and margins, gradient, the solve, and the step's logit image
 * ({@code X~ S^T}, needed by the guard and the line search). Time is the median of repeated
 * steps after a warm-up; memory is what the solver allocated on its first call (its work
 * buffers), measured with the thread allocation counter.
 */
public final class ClassScalingExperiment implements Experiment {

    private static final String FGN_CHOL = "FGN row Cholesky";
    private static final String FGN_CG = "FGN row CG (20 it)";
    private static final String GGN_CG = "GGN param CG (20 it)";
    private static final String GGN_CHOL = "GGN row Cholesky";
    private static final String SGD = "SGD step";

    @Override
    public String id() {
        return "c-class-scaling";
    }

    @Override
    public String title() {
        return "(c) Per-step cost against the number of classes K";
    }

    private static int[] ks(Preset p) {
        return p.pick(new int[] {2, 10, 50}, new int[] {2, 5, 10, 20, 50, 100, 200, 500, 1000},
                new int[] {2, 5, 10, 20, 50, 100, 200, 500, 1000});
    }

    @Override
    public int workUnits(Preset preset) {
        return ks(preset).length;
    }

    /**
     * The measurements of one class-scaling run.
     *
     * @param batchRows              {@code B}
     * @param features               {@code d}
     * @param ks                     the numbers of classes
     * @param seconds                method to the median seconds per step at each K ({@code NaN}: not run)
     * @param modelFlops             method to the flop model of ALGORITHM.md §2 (cost model) at each K
     * @param modelSeconds           the flop model converted to seconds at {@code flopRate}
     * @param flopRate               flops per second of the SGD step at the largest K, the rate that
     *                               converts the model to seconds
     * @param cgIterationsToTolerance FGN row CG operator applications to a relative residual of 1e-6 at each K
     * @param cosine                 {@code cos(s_FGN, s_GGN)} of the two damped steps at each K
     * @param perStep                one row per K and method: median seconds, model flops, bytes
     *                               allocated by the solver's first call, modelled bytes, CG iterations
     * @param agreement              one row per K: CG iterations to tolerance and the cosine
     */
    public record Scaling(int batchRows, int features, int[] ks, Map<String, double[]> seconds,
                          Map<String, double[]> modelFlops, Map<String, double[]> modelSeconds, double flopRate,
                          int[] cgIterationsToTolerance, double[] cosine, ResultTable perStep,
                          ResultTable agreement) {

        /**
         * The least-squares slope of log(seconds) on log(K) for a method over {@code lo <= K <= hi}
         * ({@code NaN} with fewer than two measured points).
         */
        public double slope(String method, int lo, int hi) {
            double[] t = seconds.get(method);
            if (t == null) {
                throw new IllegalArgumentException("no method '" + method + "' in " + seconds.keySet());
            }
            return ClassScalingExperiment.slope(ks, t, lo, hi);
        }
    }

    /** The measured methods, in chart order. */
    public static final List<String> METHODS = List.of(FGN_CHOL, FGN_CG, GGN_CG, GGN_CHOL, SGD);

    /** The most rows (B, or B K for the full-GGN row system) the library factors directly. */
    public static final int MAX_DIRECT_ROWS = Solvers.MAX_DIRECT_ROWS;

    /**
     * The flop model of one step of the named solver (e.g. "fgn-row-cholesky", "ggn-row-cholesky")
     * on {@code b} rows of {@code d} features and {@code k} classes (lib/core/ALGORITHM.md §2, cost
     * model), or infinity when the library would not factor a system that large.
     */
    public static double stepFlops(String solver, int b, int d, int k) {
        return Solvers.estimatedFlops(solver, b, d, k, false);
    }

    @Override
    public void run(Preset preset, ExperimentContext ctx) throws IOException {
        int b = preset.pick(64, 512, 512);
        int d = preset.pick(32, 256, 256);
        int repeats = preset.pick(2, 5, 20);
        int[] ks = ks(preset);
        // GGN row Cholesky while B K <= 8192 (EXPERIMENTS.md (c)): at B = 512 that is K = 2, 5, 10
        Scaling m = measure(b, d, ks, repeats, preset.pick(512, 8192, 8192), ctx::progress);
        ctx.table("per-step", m.perStep());
        ctx.table("agreement", m.agreement());
        String fig = ctx.figure("time-vs-k", PaperCharts.costVsK(m.seconds(), m.modelSeconds(), ks));
        double fgnSlope = m.slope(FGN_CHOL, 10, ks[ks.length - 1]);
        double sgdSlope = m.slope(SGD, 10, ks[ks.length - 1]);
        double ggnSlope = m.slope(GGN_CHOL, 2, 16);
        double rate = m.flopRate();
        ctx.note(String.format(Locale.ROOT, "B = %d, d = %d; model seconds = model flops / %.2f GFLOP/s (the rate of "
                        + "the SGD step at K = %d). Log-log slopes: FGN row Cholesky %.2f, SGD step %.2f "
                        + "(K >= 10), GGN row Cholesky %.2f (K <= 16).", b, d, rate * 1e-9, ks[ks.length - 1],
                fgnSlope, sgdSlope, ggnSlope));
        ctx.claim("FGN-cost", "FGN's per-step cost is essentially flat in K apart from the O(BKD) products: it grows "
                + "no faster than the products themselves, while the full GGN's direct solve grows like K^3.",
                fgnSlope <= Math.max(1.1, sgdSlope + 0.1) && (Double.isNaN(ggnSlope) || ggnSlope >= 2),
                String.format(Locale.ROOT, "log-log slope of FGN row Cholesky step time for K >= 10: %.2f (the "
                        + "SGD step's, pure O(BKD) products: %.2f); GGN row Cholesky for K <= 16 (a K^3 solve plus K^2 and K terms): %.2f", fgnSlope,
                        sgdSlope, ggnSlope), fig);
    }

    /**
     * Times one damped step of every method in {@link #METHODS} at each K (EXPERIMENTS.md (c)): a
     * {@link StepProblem} (Gaussian-prototype batch of {@code b} rows and {@code d} features, one
     * point off the origin, damping {@code 1e-2} and L2 {@code 1e-4}). A step is: logits and
     * margins, gradient, the solve and the step's logit image. The time is the median of
     * {@code repeats} steps after one warm-up step, on the common thread pool.
     *
     * @param b          rows {@code B}
     * @param d          features
     * @param ks         the numbers of classes, in increasing order
     * @param repeats    timed steps per method and K (at least 1)
     * @param maxGgnRows the GGN row Cholesky runs only while {@code B K} is at most this
     * @param progress   receives "K = ..." after each K
     */
    public static Scaling measure(int b, int d, int[] ks, int repeats, int maxGgnRows, Consumer<String> progress) {
        if (ks.length == 0 || repeats < 1) {
            throw new IllegalArgumentException("measure needs at least one K and one repeat");
        }
        String[] methods = METHODS.toArray(new String[0]);
        Map<String, double[]> seconds = new LinkedHashMap<>();
        Map<String, double[]> model = new LinkedHashMap<>();
        for (String m : methods) {
            seconds.put(m, nanArray(ks.length));
            model.put(m, nanArray(ks.length));
        }
        ResultTable table = new ResultTable("K", "method", "best_seconds", "median_seconds", "model_flops",
                "allocated_bytes", "model_bytes", "cg_iterations");
        double[] cosine = new double[ks.length];
        int[] cgToTolerance = new int[ks.length];
        double rate = Double.NaN;
        Parallel parallel = Parallel.common();
        for (int ki = 0; ki < ks.length; ki++) {
            int k = ks[ki];
            StepProblem problem = new StepProblem(b, d, k, parallel);
            int p = problem.parameters();
            double dd = d + 1.0;
            double overhead = 3 * 2.0 * b * k * dd; // logits, gradient, logit image of the step
            for (String m : methods) {
                if (m.equals(GGN_CHOL) && (long) b * k > maxGgnRows) {
                    continue;
                }
                StepSolver solver = solverFor(m, b);
                double[] s = new double[p];
                long allocated = 0;
                double[] times = new double[repeats];
                int iterations = 0;
                // two untimed steps (the first also measures the solver's allocations), then the timed ones
                for (int r = -2; r < repeats; r++) {
                    long a0 = allocatedBytes();
                    long t0 = System.nanoTime();
                    iterations = problem.step(solver, s);
                    long t1 = System.nanoTime();
                    if (r == -2) {
                        allocated = allocatedBytes() - a0;
                    } else if (r >= 0) {
                        times[r] = (t1 - t0) * 1e-9;
                    }
                }
                double median = median(times);
                // the best of the repeats: on a shared machine interference only ever adds time
                double best = Arrays.stream(times).min().orElse(Double.NaN);
                seconds.get(m)[ki] = best;
                double flops = solver == null ? 4.0 * b * k * dd
                        : Solvers.modelFlops(solverName(m), b, d, k, false) + overhead;
                if (m.equals(FGN_CG) || m.equals(GGN_CG)) {
                    flops = 20 * 4.0 * b * k * dd + overhead; // fixed 20 iterations here
                }
                model.get(m)[ki] = flops;
                table.add(k, m, best, median, flops, allocated, modelBytes(m, b, d, k), iterations);
                if (m.equals(SGD) && ki == ks.length - 1) {
                    rate = flops / best;
                }
            }
            // agreement and CG iterations to tolerance (relative residual 1e-6) at this K
            problem.evaluate();
            HeadBatch batch = problem.batch();
            Damping damp = problem.damping();
            double[] h = problem.gradient();
            double[] sF = new double[p];
            double[] sG = new double[p];
            cgToTolerance[ki] = new FgnRowCgSolver(b).solve(batch, damp, h, sF, 1e-6).iterations();
            new ParamCgSolver(StepSolver.Curvature.FULL, Math.min(10 * p, 3000)).solve(batch, damp, h, sG, 1e-8);
            cosine[ki] = MechanismProbe.cosine(sF, sG);
            progress.accept("K = " + k);
        }
        ResultTable extra = new ResultTable("K", "fgn_row_cg_iterations_to_1e-6", "cosine_fgn_ggn");
        for (int ki = 0; ki < ks.length; ki++) {
            extra.add(ks[ki], cgToTolerance[ki], cosine[ki]);
        }
        Map<String, double[]> modelSeconds = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : model.entrySet()) {
            double[] s = e.getValue().clone();
            for (int i = 0; i < s.length; i++) {
                s[i] = s[i] / rate;
            }
            modelSeconds.put(e.getKey(), s);
        }
        return new Scaling(b, d, ks.clone(), seconds, model, modelSeconds, rate, cgToTolerance, cosine, table, extra);
    }

    private static StepSolver solverFor(String m, int b) {
        switch (m) {
            case FGN_CHOL:
                return new FgnRowCholeskySolver();
            case FGN_CG:
                return new FgnRowCgSolver(20);
            case GGN_CG:
                return new ParamCgSolver(StepSolver.Curvature.FULL, 20);
            case GGN_CHOL:
                return new GgnRowCholeskySolver();
            default:
                return null;
        }
    }

    private static String solverName(String m) {
        switch (m) {
            case FGN_CHOL:
                return FgnRowCholeskySolver.NAME;
            case FGN_CG:
                return FgnRowCgSolver.NAME;
            case GGN_CG:
                return ParamCgSolver.GGN_NAME;
            default:
                return GgnRowCholeskySolver.NAME;
        }
    }

    /** Work-buffer memory of the cost model (ALGORITHM.md §2), in bytes. */
    private static double modelBytes(String m, int b, int d, int k) {
        double p = k * (d + 1.0);
        switch (m) {
            case FGN_CHOL:
                return 8.0 * (2.0 * b * b + p);
            case FGN_CG:
                return 8.0 * (4.0 * b + 2 * p + b * k);
            case GGN_CG:
                return 8.0 * (4.0 * p + b);
            case GGN_CHOL:
                return 8.0 * ((double) b * k * b * k + b * b + 2.0 * b * k + p);
            default:
                return 0;
        }
    }

    private static long allocatedBytes() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean) {
            return ((com.sun.management.ThreadMXBean) bean).getCurrentThreadAllocatedBytes();
        }
        return 0;
    }

    /** Least-squares slope of log(time) on log(K) over {@code lo <= K <= hi} (NaN if < 2 points). */
    public static double slope(int[] ks, double[] t, int lo, int hi) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] >= lo && ks[i] <= hi && Double.isFinite(t[i]) && t[i] > 0) {
                pts.add(new double[] {Math.log(ks[i]), Math.log(t[i])});
            }
        }
        if (pts.size() < 2) {
            return Double.NaN;
        }
        double mx = pts.stream().mapToDouble(q -> q[0]).average().orElse(0);
        double my = pts.stream().mapToDouble(q -> q[1]).average().orElse(0);
        double num = 0;
        double den = 0;
        for (double[] q : pts) {
            num += (q[0] - mx) * (q[1] - my);
            den += (q[0] - mx) * (q[0] - mx);
        }
        return num / den;
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}
