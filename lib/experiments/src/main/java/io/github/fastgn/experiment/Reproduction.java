package io.github.fastgn.experiment;

import io.github.fastgn.experiment.ProgressBar;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the experiments at a preset and writes {@code report.md} beside their tables and figures:
 * every claim with its verdict, key numbers and figure.
 */
public final class Reproduction {

    private final List<Experiment> experiments;

    public Reproduction(List<Experiment> experiments) {
        this.experiments = List.copyOf(experiments);
    }

    /** All experiments in report order. */
    public static List<Experiment> all() {
        return List.of(new MechanismExperiment(), new FixedFeatureHeadExperiment(), new ClassScalingExperiment(),
                new SafeStepExperiment(), new RelatedMethodsExperiment());
    }

    /** The outcome of one experiment. */
    public record Section(Experiment experiment, List<Claim> claims, List<String> notes, List<String> figures,
                          List<String> tables, double seconds) {
    }

    /**
     * Runs every experiment, writing into {@code folder}.
     *
     * @param log where to draw the progress bar (standard error on the command line), or null
     */
    public List<Section> run(Preset preset, Path folder, PrintStream log) throws IOException {
        int total = 0;
        for (Experiment e : experiments) {
            total += e.workUnits(preset);
        }
        int[] done = {0};
        int all = Math.max(1, total);
        boolean interactive = System.console() != null;
        long start = System.nanoTime();
        List<Section> sections = new ArrayList<>();
        for (Experiment e : experiments) {
            long t0 = System.nanoTime();
            ExperimentContext ctx = new ExperimentContext(folder, e.id(), message -> {
                done[0]++;
                if (log != null) {
                    String line = ProgressBar.render(Math.min(done[0], all), all, String.format(Locale.ROOT,
                            "%5.0fs %s: %s", (System.nanoTime() - start) * 1e-9, e.id(), message));
                    if (interactive) {
                        log.print("\r" + line + "\u001b[K");
                    } else {
                        log.println(line);
                    }
                    log.flush();
                }
            });
            e.run(preset, ctx);
            sections.add(new Section(e, ctx.claims(), ctx.notes(), ctx.figures(), ctx.tables(),
                    (System.nanoTime() - t0) * 1e-9));
        }
        if (log != null && interactive) {
            log.println();
        }
        writeReport(preset, folder, sections, (System.nanoTime() - start) * 1e-9);
        return sections;
    }

    /** Writes {@code report.md}. */
    static void writeReport(Preset preset, Path folder, List<Section> sections, double seconds) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# FastGN reproduction report\n\n");
        b.append(String.format(Locale.ROOT, "Preset `%s`, %s, %.0f s on %d cores (Java %s).%n%n",
                preset.name().toLowerCase(Locale.ROOT),
                OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                seconds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        b.append("Claims of Korbit and Zanon, \"Fast Gauss-Newton for Multiclass Cross-Entropy\" (2026) (FGN-n), ")
                .append("and Sao, \"Ghosts of Softmax\" (2026) (Ghosts-n), and of the related works of experiment (e): ")
                .append("Przybysz et al. (OGR-n), Bercu, Fredes and Gbaguidi (BFG-n), Ghane, Akhtiamov and Hassibi ")
                .append("(DSP-n) and Couto et al. (HSS-n), checked on real and synthetic data. ")
                .append("A claim that the measurements do not support is reported as FAIL.\n\n");
        b.append("| claim | verdict | statement | key numbers | figure |\n|---|---|---|---|---|\n");
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Section s : sections) {
            for (Claim c : s.claims()) {
                counts.merge(c.verdict(), 1, Integer::sum);
                b.append("| ").append(c.id()).append(" | **").append(c.verdict()).append("** | ")
                        .append(escape(c.statement())).append(" | ").append(escape(c.evidence())).append(" | ")
                        .append(c.figure().isEmpty() ? "" : "[" + c.figure() + "](" + c.figure() + ")")
                        .append(" |\n");
            }
        }
        b.append("\nTotals: ").append(counts).append("\n\n");
        for (Section s : sections) {
            b.append("## ").append(s.experiment().title()).append("\n\n");
            b.append(String.format(Locale.ROOT, "Run time %.1f s. Tables: %s.%n%n", s.seconds(),
                    String.join(", ", s.tables().stream().map(t -> "[" + t + "](" + t + ")").toList())));
            for (String note : s.notes()) {
                b.append(note).append("\n\n");
            }
            for (String f : s.figures()) {
                b.append("![").append(f).append("](").append(f).append(")\n\n");
            }
        }
        Files.writeString(folder.resolve("report.md"), b.toString(), StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
