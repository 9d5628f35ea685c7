package io.github.fastgn.experiment;

import io.github.fastgn.plot.ChartExport;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where an experiment puts its results: CSV tables and PNG + SVG figures in one folder, the
 * claims it checked, free-text notes for the report, and progress messages.
 */
public final class ExperimentContext {

    private final Path folder;
    private final Consumer<String> progress;
    private final List<Claim> claims = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> figures = new ArrayList<>();
    private final List<String> tables = new ArrayList<>();
    private final String prefix;

    /**
     * @param folder       the results folder (created if missing)
     * @param experimentId prefix of the files this context writes
     * @param progress     receives one short message per unit of work (for progress bars)
     */
    public ExperimentContext(Path folder, String experimentId, Consumer<String> progress) throws IOException {
        this.folder = Files.createDirectories(folder);
        this.prefix = experimentId + "-";
        this.progress = progress;
    }

    public Path folder() {
        return folder;
    }

    /** Writes {@code <id>-<name>.csv}; returns its file name. */
    public String table(String name, ResultTable table) throws IOException {
        String file = prefix + name + ".csv";
        table.writeCsv(folder.resolve(file));
        tables.add(file);
        return file;
    }

    /** Writes {@code <id>-<name>.png} and {@code .svg}; returns the PNG's file name. */
    public String figure(String name, Chart<?, ?> chart) throws IOException {
        ChartExport.savePngAndSvg(chart, folder.resolve(prefix + name));
        String file = prefix + name + ".png";
        figures.add(file);
        return file;
    }

    /** Records a checked claim. */
    public Claim claim(String id, String statement, boolean pass, String evidence, String figure) {
        Claim c = new Claim(id, statement, pass, evidence, figure == null ? "" : figure);
        claims.add(c);
        return c;
    }

    /** A sentence or table row for the report, in Markdown. */
    public void note(String markdown) {
        notes.add(markdown);
    }

    /** Reports progress (one unit of work done). */
    public void progress(String message) {
        progress.accept(message);
    }

    public List<Claim> claims() {
        return List.copyOf(claims);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public List<String> figures() {
        return List.copyOf(figures);
    }

    public List<String> tables() {
        return List.copyOf(tables);
    }
}
