package io.github.fastgn.experiment;

import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.optim.TrainingResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line text progress bar for terminals, redrawn with a carriage return:
 * {@code [#########.........] 45/500 f=2.23e-02 |g|=1.1e-05 2.3s}. The library never attaches it
 * by itself; command-line tools pass the stream they want it on (usually standard error).
 * Without a terminal (redirected output) it prints one line per {@code 10%} instead.
 */
public final class ProgressBar implements TrainingListener {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean interactive;
    private int total = 1;
    private int lastDecile = -1;

    /**
     * @param out         where to draw
     * @param interactive true to redraw one line in place; false for a line per 10 %
     */
    public ProgressBar(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** A bar on standard error, redrawn in place when a console is attached. */
    public static ProgressBar onStandardError() {
        return new ProgressBar(System.err, System.console() != null);
    }

    @Override
    public void trainingStarted(String solver, int maxIterations) {
        total = Math.max(1, maxIterations);
        lastDecile = -1;
    }

    @Override
    public void iterationFinished(IterationRecord r) {
        String line = render(r.iteration(), total, String.format(Locale.ROOT, "f=%.4e |g|=%.2e %.1fs",
                r.objective(), r.gradientNorm(), r.elapsedSeconds()));
        if (interactive) {
            out.print("\r" + line);
            out.flush();
        } else {
            int decile = Math.min(10, r.iteration() * 10 / total);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line);
            }
        }
    }

    @Override
    public void trainingFinished(TrainingResult result) {
        String line = render(result.iterations(), result.iterations(), String.format(Locale.ROOT,
                "f=%.4e |g|=%.2e %.1fs (%s)", result.objective(), result.gradientNorm(), result.elapsedSeconds(),
                result.stopReason()));
        out.println(interactive ? "\r" + line : line);
        out.flush();
    }

    /** The bar text for {@code done} of {@code total} steps followed by {@code suffix}. */
    public static String render(int done, int total, String suffix) {
        int filled = (int) Math.min(WIDTH, Math.round((double) done * WIDTH / Math.max(1, total)));
        StringBuilder b = new StringBuilder(WIDTH + 40);
        b.append('[');
        for (int i = 0; i < WIDTH; i++) {
            b.append(i < filled ? '#' : '.');
        }
        b.append("] ").append(done).append('/').append(total).append(' ').append(suffix);
        return b.toString();
    }
}
