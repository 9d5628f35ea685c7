package io.github.fastgn.optim;

import io.github.fastgn.baseline.FirstOrderOptimizer;
import io.github.fastgn.baseline.FirstOrderOptions;
import io.github.fastgn.baseline.Lbfgs;
import io.github.fastgn.baseline.UpdateRule;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stopping a run from outside (ALGORITHM.md §3 "Stopping"): an interrupt of the training thread
 * and a listener's stop request are honoured within one step by every optimizer; the run returns
 * its current finite iterate and an interrupt stays visible to the caller.
 */
class StoppingTest extends QuietTestBase {

    private static final LabelledData DATA = Synthetic.gaussianPrototypes(600, 8, 4, 1.5, 5);
    private static final int BUDGET = 100_000;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // never leak a set flag into the next test
    }

    static Stream<Arguments> optimizers() {
        FgnOptions fgn = FgnOptions.builder().standardize(false).l2(1e-3).tolerance(0).maxIterations(BUDGET).maxSeconds(60).threads(2)
                .build();
        FirstOrderOptions first = FirstOrderOptions.builder().l2(1e-3).tolerance(0).learningRate(0.01)
                .maxIterations(BUDGET).maxSeconds(60).build();
        FirstOrderOptions firstMini = FirstOrderOptions.builder().l2(1e-3).tolerance(0).learningRate(0.01)
                .maxIterations(BUDGET).maxSeconds(60).mode(FgnOptions.Mode.MINIBATCH).batchSize(32).build();
        return Stream.of(
                Arguments.of("FGN full batch", (Supplier<HeadOptimizer>) () -> new FgnOptimizer(fgn)),
                Arguments.of("Newton full batch",
                        (Supplier<HeadOptimizer>) () -> new FgnOptimizer(fgn.toBuilder().solver("newton").build())),
                Arguments.of("FGN mini-batch", (Supplier<HeadOptimizer>) () -> new FgnOptimizer(
                        fgn.toBuilder().mode(FgnOptions.Mode.MINIBATCH).batchSize(64).build())),
                Arguments.of("L-BFGS full batch", (Supplier<HeadOptimizer>) () -> new Lbfgs(first)),
                Arguments.of("L-BFGS mini-batch", (Supplier<HeadOptimizer>) () -> new Lbfgs(firstMini)),
                Arguments.of("Adam full batch", (Supplier<HeadOptimizer>) () -> new FirstOrderOptimizer(
                        UpdateRule.adam(0.9, 0.999, 1e-8), first)),
                Arguments.of("Adam mini-batch", (Supplier<HeadOptimizer>) () -> new FirstOrderOptimizer(
                        UpdateRule.adam(0.9, 0.999, 1e-8), firstMini)));
    }

    private static void checkStoppedAt(TrainingResult r, int iterations, StopReason reason) {
        assertEquals(reason, r.stopReason());
        assertEquals(iterations, r.iterations());
        assertEquals(iterations, r.history().size());
        assertEquals(iterations, r.history().get(iterations - 1).iteration());
        for (double w : r.weights()) {
            assertTrue(Double.isFinite(w), "weight " + w);
        }
        assertTrue(Double.isFinite(r.objective()));
        assertTrue(r.objective() < Math.log(4), "the iterate reached so far, not the start: " + r.objective());
    }

    @ParameterizedTest(name = "{0}: an interrupt after iteration 3 stops before iteration 4")
    @MethodSource("optimizers")
    void interruptStopsWithinOneStep(String name, Supplier<HeadOptimizer> optimizer) {
        HeadOptimizer opt = optimizer.get().addListener(new TrainingListener() {
            @Override
            public void iterationFinished(IterationRecord record) {
                if (record.iteration() == 3) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        TrainingResult r = opt.optimize(DATA);
        assertTrue(Thread.interrupted(), "the interrupt flag is left set (and cleared here)");
        checkStoppedAt(r, 3, StopReason.INTERRUPTED);
    }

    @ParameterizedTest(name = "{0}: a listener's stop request after iteration 5 stops at 5")
    @MethodSource("optimizers")
    void listenerStopRequest(String name, Supplier<HeadOptimizer> optimizer) {
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<TrainingResult> finished = new AtomicReference<>();
        HeadOptimizer opt = optimizer.get().addListener(new TrainingListener() {
            @Override
            public void iterationFinished(IterationRecord record) {
                seen.set(record.iteration());
            }

            @Override
            public boolean stopRequested() {
                return seen.get() >= 5;
            }

            @Override
            public void trainingFinished(TrainingResult result) {
                finished.set(result);
            }
        });
        TrainingResult r = opt.optimize(DATA);
        assertFalse(Thread.currentThread().isInterrupted(), "a stop request does not interrupt");
        checkStoppedAt(r, 5, StopReason.STOPPED_BY_LISTENER);
        assertSame(r, finished.get(), "listeners are told how the run finished");
    }

    @Test
    void interruptFromAnotherThreadDuringParallelProducts() throws InterruptedException {
        LabelledData large = Synthetic.gaussianPrototypes(4000, 40, 10, 1.5, 6);
        FgnOptions o = FgnOptions.builder().standardize(false).l2(1e-4).tolerance(0).mode(FgnOptions.Mode.MINIBATCH).batchSize(512)
                .maxIterations(BUDGET).maxSeconds(60).threads(2).build();
        AtomicInteger done = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<TrainingResult> result = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        FgnOptimizer opt = new FgnOptimizer(o);
        opt.addListener(new TrainingListener() {
            @Override
            public void iterationFinished(IterationRecord record) {
                done.set(record.iteration());
                if (record.iteration() >= 3) {
                    running.countDown();
                }
            }
        });
        Thread worker = new Thread(() -> {
            try {
                result.set(opt.optimize(large));
                flagAfter.set(Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "stopping-test-worker");
        worker.start();
        assertTrue(running.await(60, TimeUnit.SECONDS), "training did not start");
        int before = done.get();
        worker.interrupt();
        worker.join(60_000);
        assertFalse(worker.isAlive(), "the interrupted run did not stop");
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        TrainingResult r = result.get();
        assertNotNull(r);
        assertEquals(StopReason.INTERRUPTED, r.stopReason());
        assertTrue(r.iterations() <= before + 1,
                "stopped within one step: interrupted after " + before + ", stopped after " + r.iterations());
        assertEquals(r.iterations(), r.history().size());
        assertTrue(flagAfter.get(), "the flag is still set when optimize returns");
        for (double w : r.weights()) {
            assertTrue(Double.isFinite(w));
        }
    }
}
