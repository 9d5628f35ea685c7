package io.github.fastgn.bench;

import io.github.fastgn.experiment.ClassScalingExperiment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Main class of {@code benchmarks.jar}: runs JMH with its usual command line, then prints, from
 * the median measurement iteration of each parameter set, its figure and the ratio to the in-run
 * baseline with the same other parameters. Build once, from the repository root, then run one
 * benchmark class at a time:
 * <pre>
 * mvn -B -q -Pbench -DskipTests package -pl lib/experiments -am
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar ProductBenchmark -f 1 -wi 3 -i 5
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar CholeskyBenchmark -f 1 -wi 2 -i 3
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar StepBenchmark -f 1 -wi 3 -i 5
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar TrainingBenchmark
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar CsrProductBenchmark -f 1 -wi 2 -i 3
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar FusedProductBenchmark -f 1 -wi 3 -i 5
 * java --add-modules jdk.incubator.vector -jar lib/experiments/target/benchmarks.jar ClassBlockBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * <ul>
 *   <li>{@link ProductBenchmark}, {@link CholeskyBenchmark}: GFLOP/s and the speed-up over the
 *       variant {@code naive} or {@code crout};</li>
 *   <li>{@link StepBenchmark}: milliseconds per step and the time ratio to the full-GGN step
 *       ({@code ggn-param-cg} at B = 1024, {@code ggn-row-cholesky} at B = 8) at each K, then
 *       each method's least-squares slope of log time on log K over K = 10..1000;</li>
 *   <li>{@link TrainingBenchmark}: seconds to the target objective and the time ratio to
 *       {@code lbfgs};</li>
 *   <li>{@link CsrProductBenchmark}: milliseconds per product on CSR and the ratio to the same
 *       matrix dense;</li>
 *   <li>{@link CsrTransposeBenchmark}: milliseconds per transpose product of a text-shaped matrix from
 *       its column copy and the ratio to the scatter.</li>
 *   <li>{@link FusedProductBenchmark}: milliseconds per fused product and the ratio to the two
 *       products apart.</li>
 *   <li>{@link ClassBlockBenchmark}: milliseconds per preconditioner application and set-up on one
 *       tridiagonal reduction, and the ratio to Cholesky factors per shift.</li>
 *   <li>{@link MomentBenchmark}: milliseconds per weighted feature second moment of a block of rows,
 *       and the ratio to the transpose product of a coefficient array.</li>
 * </ul>
 * Any JMH option works (e.g. {@code -p k=10,100}, {@code -rf json}); {@code -h} lists them.
 */
public final class BenchMain {

    private static final List<String> BASELINES = List.of("naive", "crout");

    /**
     * What each benchmark class declares about its report: a rate benchmark gives its flops per
     * operation (GFLOP/s, against the {@link #BASELINES} variant), a time benchmark its baseline
     * method (milliseconds per operation and the ratio to it). Keyed by the exact class name, so a
     * class is never taken for another whose name contains it.
     */
    private static final Map<String, Report> REPORTS = Map.of(
            ProductBenchmark.class.getName(), Report.rate(ProductBenchmark::flops),
            CholeskyBenchmark.class.getName(), Report.rate(CholeskyBenchmark::flops),
            StepBenchmark.class.getName(), Report.time(StepBenchmark::baseline),
            TrainingBenchmark.class.getName(), Report.time(b -> TrainingBenchmark.BASELINE),
            ExpBenchmark.class.getName(), Report.time(b -> ExpBenchmark.BASELINE),
            CsrProductBenchmark.class.getName(), Report.time(b -> CsrProductBenchmark.BASELINE),
            CsrTransposeBenchmark.class.getName(), Report.time(b -> CsrTransposeBenchmark.BASELINE),
            FusedProductBenchmark.class.getName(), Report.time(b -> FusedProductBenchmark.BASELINE),
            ClassBlockBenchmark.class.getName(), Report.time(b -> ClassBlockBenchmark.BASELINE),
            MomentBenchmark.class.getName(), Report.time(b -> MomentBenchmark.BASELINE));

    /**
     * How a benchmark class is reported: {@code flops} (per operation, from its parameters) for a
     * rate benchmark, null for a time benchmark; {@code baseline} maps a benchmark's full name to
     * the method its times are divided by ("-": none).
     */
    private record Report(ToDoubleFunction<Map<String, String>> flops, Function<String, String> baseline) {

        static Report rate(ToDoubleFunction<Map<String, String>> flops) {
            return new Report(flops, b -> "-");
        }

        static Report time(Function<String, String> baseline) {
            return new Report(null, baseline);
        }
    }
    private static final int SLOPE_FROM = 10;
    private static final int SLOPE_TO = 1000;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.print(table(results));
    }

    static String table(Collection<RunResult> results) {
        List<RunResult> rates = new ArrayList<>();
        List<RunResult> times = new ArrayList<>();
        for (RunResult r : results) {
            (Double.isNaN(flops(r.getParams().getBenchmark(), params(r))) ? times : rates).add(r);
        }
        return (rates.isEmpty() ? "" : rateTable(rates)) + (times.isEmpty() ? "" : timeTable(times));
    }

    private static Map<String, String> params(RunResult r) {
        BenchmarkParams p = r.getParams();
        Map<String, String> params = new LinkedHashMap<>();
        for (String key : p.getParamsKeys()) {
            params.put(key, p.getParam(key));
        }
        return params;
    }

    /** Seconds per operation of the median measurement iteration. */
    private static double medianSeconds(RunResult r) {
        return r.getPrimaryResult().getStatistics().getPercentile(50) * toSeconds(r.getPrimaryResult().getScoreUnit());
    }

    private static String rateTable(Collection<RunResult> results) {
        // group key (benchmark + params other than variant) -> variant -> GFLOP/s
        Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            Map<String, String> params = params(r);
            double seconds = medianSeconds(r);
            double flops = flops(p.getBenchmark(), params);
            StringBuilder key = new StringBuilder(simpleName(p.getBenchmark()));
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (!e.getKey().equals("variant")) {
                    key.append(' ').append(e.getValue());
                }
            }
            groups.computeIfAbsent(key.toString(), x -> new LinkedHashMap<>())
                    .put(params.getOrDefault("variant", "-"), flops / seconds / 1e9);
        }
        StringBuilder out = new StringBuilder(String.format("%-48s %-18s %9s %8s%n", "benchmark params", "variant", "GFLOP/s", "ratio"));
        for (Map.Entry<String, Map<String, Double>> g : groups.entrySet()) {
            Double base = null;
            for (String b : BASELINES) {
                if (g.getValue().containsKey(b)) {
                    base = g.getValue().get(b);
                }
            }
            List<String> variants = new ArrayList<>(g.getValue().keySet());
            for (String variant : variants) {
                double gf = g.getValue().get(variant);
                String ratio = base == null ? "-" : String.format("%.2f", gf / base);
                out.append(String.format("%-48s %-18s %9.2f %8s%n", g.getKey(), variant, gf, ratio));
            }
        }
        return out.toString();
    }

    /**
     * Time benchmarks ({@link StepBenchmark}, {@link TrainingBenchmark}): per benchmark and
     * parameters other than {@code method}, each method's median time and its ratio to the
     * baseline method's; for a parameter {@code k}, each method's log-log slope against K.
     */
    private static String timeTable(Collection<RunResult> results) {
        // group key (benchmark + params other than method) -> method -> seconds
        Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
        Map<String, String> baselines = new LinkedHashMap<>();
        // benchmark + method -> K -> seconds, for the slopes
        Map<String, Map<Integer, Double>> byK = new LinkedHashMap<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            Map<String, String> params = params(r);
            String method = params.getOrDefault("method", "-");
            double seconds = medianSeconds(r);
            StringBuilder key = new StringBuilder(simpleName(benchmark));
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (!e.getKey().equals("method")) {
                    key.append(' ').append(e.getKey()).append('=').append(e.getValue());
                }
            }
            groups.computeIfAbsent(key.toString(), x -> new LinkedHashMap<>()).put(method, seconds);
            baselines.put(key.toString(), baseline(benchmark));
            if (params.containsKey("k")) {
                byK.computeIfAbsent(simpleName(benchmark) + " " + method, x -> new java.util.TreeMap<>())
                        .put(Integer.parseInt(params.get("k")), seconds);
            }
        }
        StringBuilder out = new StringBuilder(String.format("%n%-40s %-18s %12s %12s%n", "benchmark params", "method",
                "ms/op", "/baseline"));
        for (Map.Entry<String, Map<String, Double>> g : groups.entrySet()) {
            Double base = g.getValue().get(baselines.get(g.getKey()));
            for (Map.Entry<String, Double> m : g.getValue().entrySet()) {
                String ratio = base == null ? "-" : String.format("%.3f", m.getValue() / base);
                out.append(String.format("%-40s %-18s %12.3f %12s%n", g.getKey(), m.getKey(), m.getValue() * 1e3,
                        ratio));
            }
        }
        if (!byK.isEmpty()) {
            out.append(String.format("%nlog-log slope of time against K, least squares over K = %d..%d:%n", SLOPE_FROM,
                    SLOPE_TO));
            for (Map.Entry<String, Map<Integer, Double>> e : byK.entrySet()) {
                int[] ks = e.getValue().keySet().stream().mapToInt(Integer::intValue).toArray();
                double[] t = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
                double slope = ClassScalingExperiment.slope(ks, t, SLOPE_FROM, SLOPE_TO);
                out.append(String.format("%-59s %12s   (K = %s)%n", e.getKey(),
                        Double.isNaN(slope) ? "-" : String.format("%.3f", slope),
                        e.getValue().keySet().stream().filter(x -> x >= SLOPE_FROM && x <= SLOPE_TO)
                                .map(String::valueOf).collect(java.util.stream.Collectors.joining(","))));
            }
        }
        return out.toString();
    }

    /**
     * How {@code benchmark}'s class reports, looked up by its exact class name in {@link #REPORTS}
     * (JMH names a benchmark {@code package.Class.method}).
     */
    private static Report report(String benchmark) {
        Report r = REPORTS.get(benchmark.substring(0, benchmark.lastIndexOf('.')));
        if (r == null) {
            throw new IllegalStateException("benchmark " + benchmark + " has no entry in BenchMain.REPORTS;"
                    + " add its class there (a rate with its flop count, or a time with its baseline method)");
        }
        return r;
    }

    private static String baseline(String benchmark) {
        return report(benchmark).baseline().apply(benchmark);
    }

    private static String simpleName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    /** The benchmark's flops per operation, or NaN for a time benchmark. */
    private static double flops(String benchmark, Map<String, String> params) {
        Report r = report(benchmark);
        return r.flops() == null ? Double.NaN : r.flops().applyAsDouble(params);
    }

    private static double toSeconds(String unit) {
        switch (unit) {
            case "s/op":
                return 1.0;
            case "ms/op":
                return 1e-3;
            case "us/op":
                return 1e-6;
            case "ns/op":
                return 1e-9;
            default:
                throw new IllegalArgumentException("unexpected score unit " + unit + " (use -bm avgt)");
        }
    }
}
