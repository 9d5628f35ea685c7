package io.github.fastgn.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Main class of {@code benchmarks.jar}: runs JMH with its usual command line, then prints, per
 * benchmark, one line per parameter set: the parameters, GFLOP/s of the median measurement
 * iteration and the ratio to the in-run baseline (the variant {@code naive} or {@code crout}
 * with the same other parameters).
 */
public final class BenchMain {

    private static final List<String> BASELINES = List.of("naive", "crout");

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
        // group key (benchmark + params other than variant) -> variant -> GFLOP/s
        Map<String, Map<String, Double>> groups = new LinkedHashMap<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            double seconds = r.getPrimaryResult().getStatistics().getPercentile(50) * toSeconds(r.getPrimaryResult().getScoreUnit());
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

    private static String simpleName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : benchmark;
    }

    private static double flops(String benchmark, Map<String, String> params) {
        if (benchmark.contains("ProductBenchmark")) {
            return ProductBenchmark.flops(params);
        }
        if (benchmark.contains("CholeskyBenchmark")) {
            return CholeskyBenchmark.flops(params);
        }
        return Double.NaN;
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
