package io.github.fastgn.notebook;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotebookProgressTest {

    private static IterationRecord record(int iteration) {
        return new IterationRecord(iteration, iteration, 1.0 / iteration, 0.5 / iteration, 1e-3, 1.0, 0, 0.1, false,
                true, 0.01 * iteration);
    }

    private static TrainingResult result(int iterations) {
        List<IterationRecord> history = new ArrayList<>();
        for (int i = 1; i <= iterations; i++) {
            history.add(record(i));
        }
        return new TrainingResult(new double[]{0}, 0.25, 1e-7, iterations, iterations, 0.0, "fgn-row-cholesky",
                StopReason.CONVERGED, history, 0.5);
    }

    @Test
    void throttlesIterationLinesButAlwaysReportsStartAndFinish() {
        List<String> lines = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        NotebookProgress p = new NotebookProgress(lines::add, 200, now::get);
        p.trainingStarted("fgn-row-cholesky", 50);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("0/50"), lines.get(0));
        for (int i = 1; i <= 10; i++) {
            now.addAndGet(50_000_000L); // 50 ms per iteration: a line every 4 iterations
            p.iterationFinished(record(i));
        }
        assertEquals(1 + 2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains(" 4/50"), lines.get(1));
        assertTrue(lines.get(2).contains(" 8/50"), lines.get(2));
        TrainingResult r = result(10);
        p.trainingFinished(r);
        assertEquals(4, lines.size());
        String last = lines.get(3);
        assertTrue(last.contains("10 iterations (CONVERGED)"), last);
        assertTrue(last.contains("[" + "\u2588".repeat(20) + "]"), last);
        assertEquals(last, p.lastLine());
        assertSame(r, p.lastResult());
    }

    @Test
    void finishedLineSaysARunWasStoppedOrInterrupted() {
        List<String> lines = new ArrayList<>();
        NotebookProgress p = new NotebookProgress(lines::add, 0);
        TrainingResult full = result(3);
        p.trainingFinished(new TrainingResult(new double[]{0}, 0.25, 1e-3, 3, 3, 0.0, "fgn-row-cholesky",
                StopReason.INTERRUPTED, full.history(), 0.5));
        assertTrue(p.lastLine().contains("3 iterations (INTERRUPTED)"), p.lastLine());
        assertTrue(p.lastLine().contains("interrupted: the model is the iterate reached so far"), p.lastLine());
        p.trainingFinished(new TrainingResult(new double[]{0}, 0.25, 1e-3, 3, 3, 0.0, "fgn-row-cholesky",
                StopReason.STOPPED_BY_LISTENER, full.history(), 0.5));
        assertTrue(p.lastLine().contains("(STOPPED_BY_LISTENER)"), p.lastLine());
        assertTrue(p.lastLine().contains("stopped on request"), p.lastLine());
        p.trainingFinished(result(3));
        assertFalse(p.lastLine().contains("stopped") || p.lastLine().contains("interrupted"), p.lastLine());
    }

    @Test
    void linesArePlainTextWithoutMarkup() {
        List<String> lines = new ArrayList<>();
        NotebookProgress p = new NotebookProgress(lines::add, 0);
        p.trainingStarted("fgn-param-cg", 3);
        p.iterationFinished(record(1));
        p.epochFinished(1, 0.5, 0.1);
        p.iterationFinished(record(2));
        p.trainingFinished(result(2));
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(3).contains("epoch 1"), lines.get(3));
        for (String line : lines) {
            assertFalse(line.contains("<") || line.contains(">") || line.contains("&") || line.contains("\n"), line);
        }
    }

    @Test
    void keepsEveryFinishedRun() {
        NotebookProgress p = new NotebookProgress(s -> { }, 0);
        assertNull(p.lastResult());
        assertEquals("", p.lastLine());
        p.trainingFinished(result(3));
        p.trainingFinished(result(5));
        assertEquals(2, p.results().size());
        assertEquals(5, p.lastResult().iterations());
        assertThrows(UnsupportedOperationException.class, () -> p.results().clear());
    }

    @Test
    void observesARealRun() {
        LabelledData digits = Digits.load();
        int[] first = new int[300];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        List<String> lines = new ArrayList<>();
        NotebookProgress p = new NotebookProgress(lines::add);
        SoftmaxHeadTrainer.Fit fit = new SoftmaxHeadTrainer(FgnOptions.builder().l2(1e-3).maxIterations(40).build())
                .addListener(p).fit(digits.subset(first));
        assertEquals(fit.training().iterations(), p.lastResult().iterations());
        assertEquals(fit.training().history(), p.lastResult().history());
        assertTrue(lines.size() >= 2, lines.toString());
        assertTrue(lines.get(lines.size() - 1).contains(fit.training().stopReason().name()));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(NullPointerException.class, () -> new NotebookProgress(null));
        assertThrows(IllegalArgumentException.class, () -> new NotebookProgress(s -> { }, -1));
    }
}
