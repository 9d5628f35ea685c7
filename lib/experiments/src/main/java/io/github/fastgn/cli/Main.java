package io.github.fastgn.cli;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.experiment.ProgressBar;
import io.github.fastgn.optim.TrainingResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Command line: trains an FGN softmax head on the bundled digits data (or a digits-format CSV),
 * prints the per-iteration history and the evaluation on a stratified held-out split.
 *
 * <pre>
 * java -jar fastgn-all.jar [--data digits|FILE.csv[.gz]] [--solver auto|newton|NAME] [--mode full|minibatch]
 *                          [--l2 1e-4] [--batch-size 1024] [--max-iterations 500] [--tolerance 1e-6]
 *                          [--seed 42] [--test-fraction 0.2] [--no-guard] [--fgn-d] [--compare]
 *
 * java --add-modules jdk.incubator.vector -jar fastgn-all.jar bench --set fmnist|syn|probe|text [--data DIR]
 *                          [--entry arrays|tribuo|tribuo-logistic] [--warm-ups 1] [--repeats 3] [--max-seconds 900]
 *
 * java -Xmx1g --add-modules jdk.incubator.vector -jar fastgn-all.jar bigdense [--data DIR]
 *                          [--step generate|train|both] [--max-seconds 900] [--rows 2000000] [--columns 256]
 *                          [--classes 100]
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        int code;
        try {
            code = run(args, out);
        } catch (UsageException e) {
            // a user error: the message names the option and the expected form; no stack trace
            System.err.println("fastgn: " + e.getMessage());
            System.err.println(usage());
            code = 2;
        } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
            // bad input data: the message names the file, the position and the fix
            System.err.println("fastgn: " + message(e));
            code = 1;
        }
        System.exit(code);
    }

    /** A command-line mistake: exit code 2 and the usage text. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    private static String message(Exception e) {
        if (e instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            return e.getMessage() + ": " + message(u.getCause());
        }
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return n.getFile() + ": no such file" + (n.getReason() != null ? " (" + n.getReason() + ")" : "");
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e.getMessage();
    }

    /** {@code --key} as a double in {@code [min, max]}, else a usage error naming the option. */
    static double doubleOption(Map<String, String> opt, String key, String def, double min, double max,
                               String expected) {
        String v = opt.getOrDefault(key, def);
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects " + expected + ", got \"" + v + "\"");
        }
        if (!(d >= min && d <= max)) {
            throw new UsageException("--" + key + " expects " + expected + ", got \"" + v + "\"");
        }
        return d;
    }

    /** {@code --key} as a long in {@code [min, max]}, else a usage error naming the option. */
    static long longOption(Map<String, String> opt, String key, String def, long min, long max, String expected) {
        String v = opt.getOrDefault(key, def);
        long d;
        try {
            d = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects " + expected + ", got \"" + v + "\"");
        }
        if (d < min || d > max) {
            throw new UsageException("--" + key + " expects " + expected + ", got \"" + v + "\"");
        }
        return d;
    }

    static String usage() {
        return "usage: java -jar fastgn-all.jar reproduce [--preset quick|full|tiny] [--out results] [--only a,b,c,d,e]\n"
                + "       java --add-modules jdk.incubator.vector -jar fastgn-all.jar bench --set fmnist|syn|probe|text"
                + " [--data DIR] [--entry arrays|tribuo|tribuo-logistic] [--warm-ups 1] [--repeats 3] [--max-seconds 900]\n"
                + "       java -Xmx1g -jar fastgn-all.jar bigdense [--data DIR] [--step generate|train|both]"
                + " [--max-seconds 900] [--rows 2000000] [--columns 256] [--classes 100]\n"
                + "       java -jar fastgn-all.jar [train] [--data digits|FILE.csv[.gz]] [--solver auto|newton|NAME]"
                + " [--mode full|minibatch] [--l2 1e-4] [--batch-size 1024] [--max-iterations 500]"
                + " [--tolerance 1e-6] [--seed 42] [--test-fraction 0.2] [--no-guard] [--fgn-d] [--compare]";
    }

    /** Runs the command; returns the exit code. */
    static int run(String[] args, PrintStream out) throws IOException {
        if (args.length > 0 && args[0].equals("reproduce")) {
            return reproduce(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (args.length > 0 && args[0].equals("bench")) {
            return bench(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (args.length > 0 && args[0].equals("bigdense")) {
            return bigdense(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (args.length > 0 && args[0].equals("train")) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        Map<String, String> opt = parse(args);
        if (opt.containsKey("help")) {
            out.println(usage());
            return 0;
        }
        String source = opt.getOrDefault("data", "digits");
        // every option value is checked before the data is read
        long seed = longOption(opt, "seed", "42", Long.MIN_VALUE, Long.MAX_VALUE, "a whole number");
        double testFraction = doubleOption(opt, "test-fraction", "0.2", Double.MIN_VALUE, Math.nextDown(1.0),
                "a number in (0, 1)");
        double l2 = doubleOption(opt, "l2", "1e-4", 0, Double.MAX_VALUE, "a number >= 0");
        int batchSize = (int) longOption(opt, "batch-size", "1024", 1, Integer.MAX_VALUE, "a whole number >= 1");
        int maxIterations = (int) longOption(opt, "max-iterations", "500", 1, Integer.MAX_VALUE,
                "a whole number >= 1");
        double tolerance = doubleOption(opt, "tolerance", "1e-6", 0, Double.MAX_VALUE, "a number >= 0");
        FgnOptions.Mode mode;
        try {
            mode = FgnOptions.Mode.parse(opt.getOrDefault("mode", "full"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--mode expects full or minibatch, got \"" + opt.get("mode") + "\"");
        }
        LabelledData data;
        if (source.equals("digits")) {
            data = Digits.load();
        } else {
            Path file = Path.of(source);
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new UsageException("--data expects digits or a readable CSV file (.csv or .csv.gz), but "
                        + file + (java.nio.file.Files.exists(file) ? " is not a regular file" : " does not exist"));
            }
            try {
                data = Digits.load(file);
            } catch (IOException e) {
                throw new IOException("--data " + file + ": " + message(e), e);
            } catch (IllegalArgumentException e) {
                // the message already names the file and the line; say which option brought it
                throw new IllegalArgumentException("--data: " + e.getMessage(), e);
            }
        }
        Splits.Split split;
        try {
            split = Splits.stratified(data, testFraction, seed);
        } catch (IllegalArgumentException e) {
            // e.g. too few examples for the test fraction: say which data and option
            throw new IllegalArgumentException("--data " + source + ", --test-fraction " + testFraction + ": "
                    + e.getMessage(), e);
        }
        FgnOptions options;
        try {
            options = FgnOptions.builder()
                    .solver(opt.getOrDefault("solver", "auto"))
                    .mode(mode)
                    .l2(l2)
                    .batchSize(batchSize)
                    .maxIterations(maxIterations)
                    .tolerance(tolerance)
                    .guard(opt.containsKey("no-guard") ? FgnOptions.GUARD_OFF : FgnOptions.GUARD_AUTO)
                    .dropCompensation(opt.containsKey("fgn-d"))
                    .seed(seed)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }

        out.printf(Locale.ROOT, "FastGN: Fast Gauss-Newton softmax head on %s (%d examples, %d features, %d classes)%n",
                source, data.size(), data.featureCount(), data.classCount());
        out.printf(Locale.ROOT, "split: %d train / %d test (stratified, seed %d); %s%n%n", split.train().size(),
                split.test().size(), seed, options);
        SoftmaxHeadTrainer.Fit fit = train(options, split, out, true);
        if (opt.containsKey("compare") && !options.solver().equals("newton")) {
            out.println();
            out.println("Comparison: damped Newton (full GGN) with the same objective and stopping rule");
            SoftmaxHeadTrainer.Fit newton = train(options.toBuilder().solver("newton").dropCompensation(false).build(),
                    split, out, false);
            out.printf(Locale.ROOT, "objective difference FGN - Newton: %.3e (relative %.3e)%n",
                    fit.training().objective() - newton.training().objective(),
                    (fit.training().objective() - newton.training().objective())
                            / Math.abs(newton.training().objective()));
        }
        return 0;
    }

    /** The library's root logger, held here because java.util.logging keeps loggers weakly. */
    private static final java.util.logging.Logger LIBRARY_LOG = java.util.logging.Logger.getLogger("io.github.fastgn");

    /**
     * {@code reproduce [--preset quick|full|tiny] [--out results] [--only a,b,c,d,e]}: runs the
     * experiments and writes tables, figures and {@code report.md}.
     */
    static int reproduce(String[] args, PrintStream out) throws IOException {
        Map<String, String> opt = valueOptions("reproduce", args, "preset", "out", "only");
        String preset = opt.getOrDefault("preset", "quick");
        Path folder = Path.of(opt.getOrDefault("out", "results"));
        java.util.Set<String> only = opt.containsKey("only")
                ? new java.util.HashSet<>(java.util.Arrays.asList(opt.get("only").split(","))) : null;
        java.util.List<io.github.fastgn.experiment.Experiment> experiments = new java.util.ArrayList<>();
        for (io.github.fastgn.experiment.Experiment e : io.github.fastgn.experiment.Reproduction.all()) {
            if (only == null || only.contains(e.id().substring(0, 1)) || only.contains(e.id())) {
                experiments.add(e);
            }
        }
        if (experiments.isEmpty()) {
            throw new UsageException("--only expects a comma-separated list of a, b, c, d, e, got \"" + opt.get("only")
                    + "\"");
        }
        io.github.fastgn.experiment.Preset p;
        try {
            p = io.github.fastgn.experiment.Preset.parse(preset);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--preset expects tiny, quick or full, got \"" + preset + "\"");
        }
        out.printf(Locale.ROOT, "FastGN reproduction, preset %s: %d experiments into %s%n", preset,
                experiments.size(), folder.toAbsolutePath());
        // the experiments run some optimizers on fixed budgets on purpose and record every run's stop
        // reason in their tables, so the library's "did not converge" warnings would only break the
        // progress bar; errors still show
        LIBRARY_LOG.setLevel(java.util.logging.Level.SEVERE);
        long t0 = System.nanoTime();
        java.util.List<io.github.fastgn.experiment.Reproduction.Section> sections =
                new io.github.fastgn.experiment.Reproduction(experiments).run(p, folder, System.err);
        out.println();
        out.println("claim      verdict  evidence");
        int failed = 0;
        for (io.github.fastgn.experiment.Reproduction.Section s : sections) {
            for (io.github.fastgn.experiment.Claim c : s.claims()) {
                out.printf(Locale.ROOT, "%-10s %-7s  %s%n", c.id(), c.verdict(), c.evidence());
                failed += c.pass() ? 0 : 1;
            }
        }
        out.printf(Locale.ROOT, "%nwrote %s (%.0f s); %d claim(s) not supported by the measurements%n",
                folder.resolve("report.md"), (System.nanoTime() - t0) * 1e-9, failed);
        return 0;
    }

    /**
     * {@code bench --set NAME [--data DIR] [--entry arrays|tribuo|tribuo-logistic] [--warm-ups 1] [--repeats 3]
     * [--max-seconds 900]}: races
     * FastGN with its default options on a peer-harness data set (written by {@code bench.sh}) to
     * {@code f*(1 + 1e-4)} through one public entry point: {@code warm-ups} untimed and
     * {@code repeats} timed runs in this JVM ({@code --warm-ups 0 --repeats 1} is a first-run
     * figure); prints one {@code RESULT} line (the run with the median time) on standard output and
     * the progress on standard error.
     */
    static int bench(String[] args, PrintStream out) throws IOException {
        Map<String, String> opt = valueOptions("bench", args, "set", "data", "repeats", "warm-ups", "entry",
                "max-seconds");
        String set = opt.get("set");
        if (set == null) {
            throw new UsageException("bench needs --set NAME (fmnist, syn, probe or text)");
        }
        Path folder = opt.containsKey("data") ? Path.of(opt.get("data"))
                : io.github.fastgn.internal.race.RaceData.defaultFolder();
        int repeats = (int) longOption(opt, "repeats", "3", 1, 1_000_000, "a whole number >= 1");
        int warmUps = (int) longOption(opt, "warm-ups", "1", 0, 1_000_000, "a whole number >= 0");
        double cap = doubleOption(opt, "max-seconds",
                Double.toString(io.github.fastgn.internal.race.RaceConfig.MAX_SECONDS), Double.MIN_VALUE, 1e9,
                "a time cap in seconds > 0");
        io.github.fastgn.internal.race.RaceEntry entry;
        try {
            entry = io.github.fastgn.internal.race.RaceEntry.of(opt.getOrDefault("entry", "arrays"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--entry expects arrays, tribuo or tribuo-logistic (Tribuo's LogisticRegressionTrainer, a peer), got \"" + opt.get("entry") + "\"");
        }
        if (!java.nio.file.Files.isDirectory(folder)) {
            throw new java.nio.file.NoSuchFileException(folder.toString(), null, "--data expects the folder of the"
                    + " race data, which does not exist; " + io.github.fastgn.internal.race.RaceData.howToCreate());
        }
        io.github.fastgn.internal.race.RaceData data;
        double fstar;
        try {
            data = io.github.fastgn.internal.race.RaceData.read(folder, set);
            fstar = io.github.fastgn.internal.race.RaceData.readFstar(folder, set);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new java.nio.file.NoSuchFileException(e.getFile(), null, "set --set " + set + " in folder --data "
                    + folder + " is incomplete: " + e.getReason());
        }
        io.github.fastgn.internal.race.RaceRunner runner = new io.github.fastgn.internal.race.RaceRunner(data, fstar,
                io.github.fastgn.internal.race.RaceConfig.options(fstar, cap));
        PrintStream err = System.err;
        err.printf(Locale.ROOT, "fastgn bench %s via %s (%s kernels): n=%d d=%d K=%d f*=%.10f target=%.10f; %d warm-up(s)"
                        + " + %d timed run(s); %s%n", set, entry.peer(),
                io.github.fastgn.internal.race.RaceRunner.kernels(), data.trainSize(), data.featureCount(),
                data.classCount(), fstar, io.github.fastgn.internal.race.RaceConfig.target(fstar), warmUps, repeats,
                runner.options());
        runner.addListener(new RaceProgress(err, fstar, warmUps, repeats));
        io.github.fastgn.internal.race.RaceRunner.Outcome outcome = runner.race(entry, warmUps, repeats);
        out.println(outcome.resultLine());
        return 0;
    }

    /**
     * {@code bigdense [--data DIR] [--step generate|train|both] [--max-seconds 900] [--rows N]
     * [--columns D] [--classes K]}: the bigger-than-the-heap race ({@link
     * io.github.fastgn.internal.race.BigDense}): writes the seeded set into the race data folder unless
     * it is there ({@code generate}), then trains FastGN on it from the mapped file ({@code train})
     * and prints the {@code RESULT} line on standard output, the progress on standard error.
     */
    static int bigdense(String[] args, PrintStream out) throws IOException {
        Map<String, String> opt = valueOptions("bigdense", args, "data", "step", "max-seconds", "rows", "columns",
                "classes");
        Path folder = opt.containsKey("data") ? Path.of(opt.get("data"))
                : io.github.fastgn.internal.race.RaceData.defaultFolder();
        String step = opt.getOrDefault("step", "both");
        if (!step.equals("generate") && !step.equals("train") && !step.equals("both")) {
            throw new UsageException("--step expects generate, train or both, got \"" + step + "\"");
        }
        int rows = (int) longOption(opt, "rows", Integer.toString(io.github.fastgn.internal.race.BigDense.ROWS), 1,
                Integer.MAX_VALUE, "a whole number >= 1");
        int columns = (int) longOption(opt, "columns", Integer.toString(io.github.fastgn.internal.race.BigDense.COLUMNS),
                1, 1 << 20, "a whole number >= 1");
        int classes = (int) longOption(opt, "classes", Integer.toString(io.github.fastgn.internal.race.BigDense.CLASSES),
                2, 1 << 20, "a whole number >= 2");
        double cap = doubleOption(opt, "max-seconds",
                Double.toString(io.github.fastgn.internal.race.RaceConfig.MAX_SECONDS), Double.MIN_VALUE, 1e9,
                "a time cap in seconds > 0");
        PrintStream err = System.err;
        if (!step.equals("train")) {
            long t0 = System.nanoTime();
            boolean wrote = io.github.fastgn.internal.race.BigDense.generateIfMissing(folder, rows, columns, classes,
                    io.github.fastgn.internal.race.BigDense.SEED);
            err.printf(Locale.ROOT, "fastgn bigdense: %s %s (%d x %d floats, K=%d) in %.1f s%n",
                    wrote ? "wrote" : "kept", io.github.fastgn.internal.race.BigDense.featuresFile(folder), rows, columns,
                    classes, (System.nanoTime() - t0) * 1e-9);
        }
        if (!step.equals("generate")) {
            err.printf(Locale.ROOT, "fastgn bigdense (%s kernels, max heap %d MB): training from the mapped file%n",
                    io.github.fastgn.internal.race.RaceRunner.kernels(), Runtime.getRuntime().maxMemory() >> 20);
            out.println(io.github.fastgn.internal.race.BigDense.race(folder, classes, cap,
                    java.util.List.of(new RaceProgress(err, Double.NaN, 0, 1))));
        }
        return 0;
    }

    /** Progress of a race on the given stream: one line per iteration and one per finished run. */
    private static final class RaceProgress implements io.github.fastgn.optim.TrainingListener {
        private final PrintStream err;
        private final double fstar;
        private final int warmUps;
        private final int repeats;
        private int run = -1;

        RaceProgress(PrintStream err, double fstar, int warmUps, int repeats) {
            this.err = err;
            this.fstar = fstar;
            this.warmUps = warmUps;
            this.repeats = repeats;
        }

        @Override
        public void trainingStarted(String solver, int maxIterations) {
            run++;
        }

        @Override
        public void iterationFinished(IterationRecord r) {
            // without a reference optimum (bigdense) the gradient norm stands where the gap would
            String gap = Double.isNaN(fstar) ? String.format(Locale.ROOT, "|g|=%.2e", r.gradientNorm())
                    : String.format(Locale.ROOT, "gap=%.2e", (r.objective() - fstar) / fstar);
            err.printf(Locale.ROOT, "  %s it %3d  f=%.10f  %s  cg=%3d  %s%.2fs%n", label(), r.iteration(),
                    r.objective(), gap, r.cgIterations(), r.accepted() ? "" : "rejected ", r.elapsedSeconds());
        }

        @Override
        public void trainingFinished(TrainingResult r) {
            err.printf(Locale.ROOT, "%s: %d iterations, %s, f=%.10f, %.1f passes over the data, %.3f s%n", label(),
                    r.iterations(), r.stopReason(), r.objective(), r.dataPasses(), r.elapsedSeconds());
        }

        private String label() {
            return run < warmUps ? "warm-up " + (run + 1) + "/" + warmUps : "run " + (run - warmUps + 1) + "/" + repeats;
        }
    }

    private static SoftmaxHeadTrainer.Fit train(FgnOptions options, Splits.Split split, PrintStream out,
                                                boolean history) {
        SoftmaxHeadTrainer trainer = new SoftmaxHeadTrainer(options).addListener(ProgressBar.onStandardError());
        SoftmaxHeadTrainer.Fit fit = trainer.fit(split.train());
        TrainingResult r = fit.training();
        if (history) {
            out.println("history (objective and gradient on the standardised training data):");
            out.println("  iter  epoch      objective        |grad|     lambda   alpha   cg  guard r  note");
            for (IterationRecord h : r.history()) {
                out.printf(Locale.ROOT, "  %4d  %5d  %.12f  %.3e  %.2e  %.3f  %3d  %7.3f  %s%n", h.iteration(),
                        h.epoch(), h.objective(), h.gradientNorm(), h.lambda(), h.alpha(), h.cgIterations(),
                        h.guardRatio(), h.accepted() ? (h.guardBound() ? "guard bound" : "") : "rejected");
            }
            out.println();
        }
        LabelledData train = split.train();
        LabelledData test = split.test();
        out.printf(Locale.ROOT, "solver %s: %d iterations (%s) in %.3f s%n", r.solver(), r.iterations(),
                r.stopReason(), r.elapsedSeconds());
        out.printf(Locale.ROOT, "  objective     %.12f%n  |gradient|    %.3e%n", r.objective(), r.gradientNorm());
        out.printf(Locale.ROOT, "  train accuracy %.4f%n  test accuracy  %.4f%n",
                fit.model().accuracy(train.features(), train.labels(), train.size()),
                fit.model().accuracy(test.features(), test.labels(), test.size()));
        return fit;
    }

    /** Parses {@code --name value} pairs of a subcommand that takes only the given names. */
    private static Map<String, String> valueOptions(String command, String[] args, String... names) {
        java.util.List<String> known = java.util.Arrays.asList(names);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length || !a.startsWith("--")) {
                throw new UsageException(command + " takes --" + String.join(", --", known)
                        + " with a value each, got '" + a + "'");
            }
            if (!known.contains(a.substring(2))) {
                throw new UsageException("unknown option '" + a + "' for " + command);
            }
            m.put(a.substring(2), args[++i]);
        }
        return m;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            switch (key) {
                case "no-guard":
                case "fgn-d":
                case "compare":
                case "help":
                    m.put(key, "true");
                    break;
                case "data":
                case "solver":
                case "mode":
                case "l2":
                case "batch-size":
                case "max-iterations":
                case "tolerance":
                case "seed":
                case "test-fraction":
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + key + " needs a value");
                    }
                    m.put(key, args[++i]);
                    break;
                default:
                    throw new UsageException("unknown option '" + a + "'");
            }
        }
        return m;
    }
}
