package io.github.fastgn.optim;

import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The default stopping rule on real, badly scaled data: scikit-learn's wine (features from 0.1 to
 * 1680), breast-cancer (up to 4254) and iris sets, raw and standardised, l2 1e-4 and 1e-2 (12
 * problems). The reference optima come from scipy in float64 ({@code sklearn_optima.py}, certified
 * by an exact Newton decrement below 1e-17); see the README beside the resources.
 *
 * <p>The default options (only {@code standardize} off: the optimizer trains on the features as
 * given), Newton and FGN must stop {@link StopReason#CONVERGED} within 1e-6 relative of the optimum on
 * all 12 (FGN with the guard forced on too, on raw wine with l2 1e-4, the slowest: the test of it
 * below). Every other FGN solver and L-BFGS (with FGN's default tolerance) must either
 * converge to the same accuracy or say that it did not: a run is never reported converged away
 * from the optimum. A summary table goes to {@code target/sklearn-optima.md}.
 */
class SklearnOptimaTest extends QuietTestBase {

    private static final double ACCURACY = 1e-6;
    /** The problem on which FGN converges slowest (see the test of it below). */
    private static final String SLOW_FOR_FGN = "wine_data raw l2=1.0E-4";
    private static final Set<StopReason> NOT_CONVERGED = Set.of(StopReason.MAX_ITERATIONS, StopReason.STALLED,
            StopReason.DAMPING_LIMIT, StopReason.TIME_LIMIT);

    private record Problem(String data, String features, double l2, double optimum) {
        String name() {
            return data + " " + features + " l2=" + l2;
        }
    }

    private record Outcome(String solver, Problem problem, TrainingResult result) {
        double gap() {
            return (result.objective() - problem.optimum()) / problem.optimum();
        }
    }

    @Test
    void defaultStopLandsWithinOneMillionthOfScipysOptimum() throws IOException {
        Map<String, Function<Double, HeadOptimizer>> solvers = new LinkedHashMap<>();
        solvers.put("default", l2 -> new FgnOptimizer(fgn(l2).build()));
        solvers.put("FGN", l2 -> new FgnOptimizer(fgn(l2).solver(Solvers.FGN).build()));
        solvers.put("Newton", l2 -> new FgnOptimizer(fgn(l2).solver(Solvers.NEWTON).build()));
        for (String name : Solvers.NAMES) {
            solvers.put(name, l2 -> new FgnOptimizer(fgn(l2).solver(name).build()));
        }
        solvers.put("L-BFGS", l2 -> new Lbfgs(FirstOrderOptions.builder().l2(l2)
                .tolerance((Double) FgnOptions.TOLERANCE.defaultValue()).build()));
        List<Outcome> outcomes = new ArrayList<>();
        for (Problem problem : problems()) {
            LabelledData data = data(problem);
            for (Map.Entry<String, Function<Double, HeadOptimizer>> s : solvers.entrySet()) {
                outcomes.add(new Outcome(s.getKey(), problem, s.getValue().apply(problem.l2()).optimize(data)));
            }
        }
        writeTable(outcomes);
        List<String> failures = new ArrayList<>();
        for (Outcome o : outcomes) {
            boolean mustConverge = o.solver().equals("Newton") || o.solver().equals("default")
                    || o.solver().equals("FGN");
            String line = o.solver() + " on " + o.problem().name() + ": " + o.result().stopReason() + " after "
                    + o.result().iterations() + " iterations, relative gap " + o.gap();
            if (o.result().converged()) {
                if (!(o.gap() <= ACCURACY)) {
                    failures.add("reported converged away from the optimum: " + line);
                }
            } else if (mustConverge) {
                failures.add("did not converge: " + line);
            } else if (!NOT_CONVERGED.contains(o.result().stopReason())) {
                failures.add("unexpected stop reason: " + line);
            }
            if (!(o.gap() >= -1e-12)) {
                failures.add("below scipy's optimum (a wrong objective or reference): " + line);
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    /**
     * Raw wine, l2 1e-4 (features from 0.1 to 1680), FGN with the guard forced on: the guard keeps
     * capping steps the full-batch search would accept. While the biases were damped by the same
     * {@code lambda} as the weights, the low-curvature bias directions converged at a linear rate near
     * 0.99 and the default budget of 500 steps ended about 1e-4 above the optimum (about 2000 steps
     * to converge: 2306 guarded, 55 unguarded, measured 2026-12-07). With the bias damping scaled to the
     * features ({@link DampingPolicy#biasScale}, its floor 0.01 here) the run converges within the default
     * budget, guarded or not (81 and 46 steps), and says so.
     */
    @Test
    void fgnOnRawWineConvergesWithinTheDefaultBudget() throws IOException {
        Problem problem = problems().stream().filter(p -> p.name().equals(SLOW_FOR_FGN)).findFirst().orElseThrow();
        LabelledData data = data(problem);
        for (boolean guard : new boolean[] {true, false}) {
            FgnOptions.Builder options = fgn(problem.l2()).solver(Solvers.FGN);
            if (guard) {
                options.guard(true);
            }
            TrainingResult run = new FgnOptimizer(options.build()).optimize(data);
            assertEquals(StopReason.CONVERGED, run.stopReason(), "guard " + guard + ", after " + run.iterations());
            double gap = run.objective() / problem.optimum() - 1;
            assertTrue(gap >= -1e-12 && gap <= ACCURACY, "guard " + guard + ", gap " + gap);
        }
    }

    private static FgnOptions.Builder fgn(double l2) {
        return FgnOptions.builder().standardize(false).l2(l2);
    }

    private static List<Problem> problems() throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<String> lines = lines("optima.csv");
        assertEquals("data,features,l2,fstar,gradient_norm,half_newton_decrement", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            problems.add(new Problem(f[0], f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3])));
        }
        assertEquals(12, problems.size());
        return problems;
    }

    /** A set in scikit-learn's CSV format, standardised as {@code sklearn_optima.py} does. */
    private static LabelledData data(Problem problem) throws IOException {
        List<String> lines = lines(problem.data() + ".csv");
        String[] header = lines.get(0).split(",");
        int n = Integer.parseInt(header[0]);
        int d = Integer.parseInt(header[1]);
        int k = header.length - 2;
        assertEquals(n + 1, lines.size(), problem.data());
        double[] x = new double[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            String[] v = lines.get(i + 1).split(",");
            assertEquals(d + 1, v.length, problem.data() + " row " + i);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = Double.parseDouble(v[j]);
            }
            y[i] = Integer.parseInt(v[d]);
        }
        if (problem.features().equals("standardised")) {
            x = Standardizer.fit(x, n, d).transform(x, n);
        } else {
            assertEquals("raw", problem.features());
        }
        return new LabelledData(x, y, null, n, d, k);
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = SklearnOptimaTest.class.getResourceAsStream("sklearn/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource sklearn/" + resource);
            }
            List<String> lines = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        }
    }

    private static void writeTable(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder("| problem | solver | stop | iterations | relative gap |\n|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.2e |%n", o.problem().name(), o.solver(),
                    o.result().stopReason(), o.result().iterations(), o.gap()));
        }
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "sklearn-optima.md"), sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
