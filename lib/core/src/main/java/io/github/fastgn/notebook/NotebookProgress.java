package io.github.fastgn.notebook;

import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A live progress line for notebooks, redrawn in place, and a record of the finished runs.
 *
 * <p>The library cannot call a kernel's display functions, so the notebook passes one in. The
 * same cell works on IJava, JJava and the rapaio kernel:
 *
 * <pre>{@code
 * String id = display("waiting for training");
 * NotebookProgress progress = new NotebookProgress(line -> updateDisplay(id, line));
 * trainer.addListener(progress);
 * }</pre>
 *
 * <p>The sink receives plain one-line text such as
 * {@code FGN fgn-row-cholesky  [██████░░░░░░░░░░░░░░]  45/500  f=2.2300e-02  |g|=1.1e-05  0.3 s}:
 * at the start of a run, after an iteration when at least {@code minIntervalMillis} have passed
 * since the last line (so a fast run does not flood the front end), after each epoch of a
 * mini-batch run (same throttle), and always when the run finishes. The text holds no HTML
 * markup, because kernels disagree on the MIME type of a displayed {@code String} (IJava and
 * JJava send {@code text/plain}, rapaio {@code text/html}).
 *
 * <p>Every finished run's {@link TrainingResult}, with its iteration history, is kept for
 * charts: {@link #lastResult()} and {@link #results()}. Callbacks arrive on the training thread;
 * an exception thrown by the sink propagates to the training call.
 */
public final class NotebookProgress implements TrainingListener {

    /** Default minimum time between two iteration lines: at most five redraws per second. */
    public static final long DEFAULT_INTERVAL_MILLIS = 200;

    private static final int BAR_WIDTH = 20;

    private final Consumer<String> sink;
    private final long minIntervalNanos;
    private final LongSupplier clock;
    private final List<TrainingResult> results = new ArrayList<>();

    private String solver = "";
    private int total = 1;
    private long lastNanos;
    private int lastEpoch;
    private String lastLine = "";

    /**
     * A progress display redrawn at most every {@value #DEFAULT_INTERVAL_MILLIS} ms.
     *
     * @param sink receives each new progress line, e.g. {@code line -> updateDisplay(id, line)}
     */
    public NotebookProgress(Consumer<String> sink) {
        this(sink, DEFAULT_INTERVAL_MILLIS);
    }

    /**
     * @param sink              receives each new progress line
     * @param minIntervalMillis minimum time between two iteration lines; 0 sends every iteration
     */
    public NotebookProgress(Consumer<String> sink, long minIntervalMillis) {
        this(sink, minIntervalMillis, System::nanoTime);
    }

    NotebookProgress(Consumer<String> sink, long minIntervalMillis, LongSupplier nanoClock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        if (minIntervalMillis < 0) {
            throw new IllegalArgumentException("minIntervalMillis must be >= 0, got " + minIntervalMillis);
        }
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public synchronized void trainingStarted(String solver, int maxIterations) {
        this.solver = solver;
        this.total = Math.max(1, maxIterations);
        this.lastEpoch = 0;
        this.lastNanos = clock.getAsLong();
        send(String.format(Locale.ROOT, "FGN %s  %s  0/%d  starting", solver, bar(0, total), total));
    }

    @Override
    public synchronized void iterationFinished(IterationRecord r) {
        if (due()) {
            send(String.format(Locale.ROOT, "FGN %s  %s  %d/%d%s  f=%.4e  |g|=%.2e  %.1f s", solver,
                    bar(r.iteration(), total), r.iteration(), total, epochText(), r.objective(), r.gradientNorm(),
                    r.elapsedSeconds()));
        }
    }

    @Override
    public synchronized void epochFinished(int epoch, double objective, double gradientNorm) {
        lastEpoch = epoch;
        if (due()) {
            send(String.format(Locale.ROOT, "FGN %s  epoch %d  full-data f=%.4e  |g|=%.2e", solver, epoch, objective,
                    gradientNorm));
        }
    }

    @Override
    public synchronized void trainingFinished(TrainingResult result) {
        results.add(result);
        send(String.format(Locale.ROOT, "FGN %s  %s  %d iterations (%s)  f=%.4e  |g|=%.2e  %.2f s%s", result.solver(),
                bar(1, 1), result.iterations(), result.stopReason(), result.objective(), result.gradientNorm(),
                result.elapsedSeconds(), stoppedNote(result.stopReason())));
    }

    /** What the finished line adds when the run was stopped from outside before its own rules ended it. */
    private static String stoppedNote(StopReason reason) {
        return switch (reason) {
            case INTERRUPTED -> "  - interrupted: the model is the iterate reached so far";
            case STOPPED_BY_LISTENER -> "  - stopped on request: the model is the iterate reached so far";
            default -> "";
        };
    }

    /** The most recent finished run, or {@code null} before the first one finishes. */
    public synchronized TrainingResult lastResult() {
        return results.isEmpty() ? null : results.get(results.size() - 1);
    }

    /** Every finished run, oldest first (a copy). */
    public synchronized List<TrainingResult> results() {
        return List.copyOf(results);
    }

    /** The last line sent to the sink ({@code ""} before the first). */
    public synchronized String lastLine() {
        return lastLine;
    }

    private boolean due() {
        long now = clock.getAsLong();
        if (now - lastNanos < minIntervalNanos) {
            return false;
        }
        lastNanos = now;
        return true;
    }

    private String epochText() {
        return lastEpoch > 0 ? "  epoch " + lastEpoch : "";
    }

    private void send(String line) {
        lastLine = line;
        sink.accept(line);
    }

    /** A bar of {@value #BAR_WIDTH} cells for {@code done} of {@code total}. */
    static String bar(int done, int total) {
        int filled = (int) Math.min(BAR_WIDTH, Math.round((double) Math.max(0, done) * BAR_WIDTH / Math.max(1, total)));
        StringBuilder b = new StringBuilder(BAR_WIDTH + 2).append('[');
        for (int i = 0; i < BAR_WIDTH; i++) {
            b.append(i < filled ? '\u2588' : '\u2591');
        }
        return b.append(']').toString();
    }
}
