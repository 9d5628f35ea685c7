package io.github.fastgn.tribuo;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.TrainingListener;
import io.github.fastgn.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping a Tribuo train: the time budget, an interrupt, a listener's request; all in the provenance. */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class FGNTrainerStopTest {

    private static final Logger LOG = Logger.getLogger(FGNTrainer.class.getName());
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        LOG.addHandler(capture);
        LOG.setUseParentHandlers(false);
    }

    @AfterEach
    void restore() {
        LOG.removeHandler(capture);
        LOG.setUseParentHandlers(true);
        Thread.interrupted();
    }

    private static FgnOptions.Builder longRun() {
        return FgnOptions.builder().l2(1e-4).mode(FgnOptions.Mode.MINIBATCH).batchSize(64).tolerance(0)
                .maxIterations(1_000_000).maxSeconds(60);
    }

    private static Map<String, ? extends Provenance> instance(LinearSGDModel model) {
        return model.getProvenance().getInstanceProvenance().getMap();
    }

    private static String stopReason(LinearSGDModel model) {
        return ((StringProvenance) instance(model).get(FGNTrainer.STOP_REASON)).getValue();
    }

    private static void checkFinite(LinearSGDModel model) {
        model.getTopFeatures(-1).values().forEach(list -> list.forEach(
                pair -> assertTrue(Double.isFinite(pair.getB()), "weight " + pair)));
    }

    @Test
    void honoursMaxSeconds() {
        MutableDataset<Label> train = TestSupport.digitsTrain();
        long start = System.nanoTime();
        LinearSGDModel model = new FGNTrainer(longRun().maxSeconds(0.3).build()).train(train);
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertEquals("TIME_LIMIT", stopReason(model));
        assertTrue(seconds < 30, "took " + seconds + " s");
        int iterations = ((IntProvenance) instance(model).get(FGNTrainer.ITERATIONS)).getValue();
        assertTrue(iterations > 0 && iterations < 1_000_000, "iterations " + iterations);
        checkFinite(model);
        assertTrue(logged.stream().noneMatch(r -> r.getLevel() == Level.WARNING), "a time limit is no warning");
    }

    @Test
    void interruptedTrainReturnsTheCurrentIterateAndKeepsTheFlag() {
        FGNTrainer trainer = new FGNTrainer(longRun().build());
        trainer.addListener(new TrainingListener() {
            @Override
            public void iterationFinished(IterationRecord record) {
                if (record.iteration() == 4) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        LinearSGDModel model = trainer.train(TestSupport.digitsTrain());
        assertTrue(Thread.interrupted(), "the interrupt flag is left set (and cleared here)");
        assertEquals("INTERRUPTED", stopReason(model));
        assertEquals(4, ((IntProvenance) instance(model).get(FGNTrainer.ITERATIONS)).getValue());
        checkFinite(model);
        assertEquals(1, logged.stream().filter(r -> r.getLevel() == Level.WARNING).count(), "one warning");
        assertTrue(logged.stream().anyMatch(r -> r.getLevel() == Level.WARNING
                && r.getMessage().contains("interrupted")), "the warning names the interrupt");
    }

    @Test
    void listenerStopRequest() {
        FGNTrainer trainer = new FGNTrainer(longRun().build());
        trainer.addListener(new TrainingListener() {
            private int seen;

            @Override
            public void iterationFinished(IterationRecord record) {
                seen = record.iteration();
            }

            @Override
            public boolean stopRequested() {
                return seen >= 6;
            }
        });
        LinearSGDModel model = trainer.train(TestSupport.digitsTrain());
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals("STOPPED_BY_LISTENER", stopReason(model));
        assertEquals(6, ((IntProvenance) instance(model).get(FGNTrainer.ITERATIONS)).getValue());
        checkFinite(model);
    }

    @Test
    void aRunOnItsBudgetIsRecordedAsNotConvergedAndWarnedOnce() {
        List<LinearSGDModel> out = new ArrayList<>();
        List<LogRecord> warnings = LogCapture.warnings(FgnOptimizer.class.getName(), out,
                () -> new FGNTrainer(FgnOptions.builder().l2(1e-4).maxIterations(2).build())
                        .train(TestSupport.smallDigits()));
        LinearSGDModel capped = out.get(0);
        assertEquals("MAX_ITERATIONS", stopReason(capped));
        assertFalse(((BooleanProvenance) instance(capped).get(FGNTrainer.CONVERGED)).getValue());
        assertTrue(((DoubleProvenance) instance(capped).get(FGNTrainer.FINAL_GRADIENT_NORM)).getValue() > 0);
        assertEquals(1, warnings.size(), "one warning per run");
        assertTrue(warnings.get(0).getMessage().contains("did not converge"), warnings.get(0).getMessage());

        List<LogRecord> none = LogCapture.warnings(FgnOptimizer.class.getName(), out,
                () -> new FGNTrainer(1e-2).train(TestSupport.smallDigits()));
        LinearSGDModel converged = out.get(1);
        assertEquals("CONVERGED", stopReason(converged));
        assertTrue(((BooleanProvenance) instance(converged).get(FGNTrainer.CONVERGED)).getValue());
        assertTrue(none.isEmpty(), "no warning for a converged run");
    }
}
