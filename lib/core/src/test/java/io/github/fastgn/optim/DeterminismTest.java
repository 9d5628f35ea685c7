package io.github.fastgn.optim;

import io.github.fastgn.SoftmaxHeadTrainer;
import io.github.fastgn.data.Digits;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Splits;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same options give bit-identical parameters whatever the thread count. The 504-digit subset is
 * large enough ({@code B d K} above the kernels' split threshold) that two threads really split
 * the products.
 */
class DeterminismTest extends QuietTestBase {

    private static final LabelledData SUBSET = Splits.stratified(Digits.load(), 0.28, 7).test();

    private static TrainingResult run(FgnOptions.Builder b, int threads) {
        return new SoftmaxHeadTrainer(b.threads(threads).build()).fit(SUBSET).training();
    }

    @ParameterizedTest
    @CsvSource({
            "full, auto, 60",
            "full, newton, 60",
            "full, fgn-row-cholesky, 15",
            "minibatch, auto, 120",
            "minibatch, fgn-row-cg, 60"})
    void identicalWeightsWithOneAndTwoThreads(String mode, String solver, int iterations) {
        FgnOptions.Builder b = FgnOptions.builder().mode(FgnOptions.Mode.parse(mode)).solver(solver)
                .maxIterations(iterations).seed(5);
        if (mode.equals("minibatch")) {
            b.batchSize(128); // batchSize in full mode is rejected: it would do nothing
        }
        TrainingResult one = run(b, 1);
        TrainingResult two = run(b, 2);
        assertTrue(one.iterations() > 5, "the run should do some work: " + one.iterations());
        assertArrayEquals(one.weights(), two.weights(), 0.0, mode + "/" + solver + ": threads 1 vs 2");
        assertEquals(one.objective(), two.objective(), 0.0);
        assertEquals(one.iterations(), two.iterations());
        for (int i = 0; i < one.history().size(); i++) {
            assertEquals(one.history().get(i).lambda(), two.history().get(i).lambda(), 0.0, "lambda at " + i);
        }
        // and a repeated run with the common pool
        assertArrayEquals(one.weights(), run(b, 0).weights(), 0.0, mode + "/" + solver + ": common pool");
        if (mode.equals("minibatch")) {
            // the seed matters: another shuffle gives other parameters
            assertNotEquals(one.objective(), run(b.seed(6), 1).objective());
        }
    }
}
