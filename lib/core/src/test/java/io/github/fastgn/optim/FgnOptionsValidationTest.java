package io.github.fastgn.optim;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad option raises an IllegalArgumentException that names the problem. */
class FgnOptionsValidationTest extends QuietTestBase {

    private static void rejects(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void badValuesAreRejectedWithTheirName() {
        rejects(() -> FgnOptions.builder().l2(-1e-4), "l2", "-1.0E-4");
        rejects(() -> FgnOptions.builder().l2(Double.NaN), "l2", "NaN");
        rejects(() -> FgnOptions.builder().l2(Double.POSITIVE_INFINITY), "l2");
        rejects(() -> FgnOptions.builder().batchSize(0), "batchSize", "got 0");
        rejects(() -> FgnOptions.builder().solver("cholesky"), "unknown solver 'cholesky'", "auto", "fgn", "newton",
                "fgn-row-cholesky", "ggn-param-cg");
        rejects(() -> FgnOptions.builder().solver(null), "unknown solver");
        rejects(() -> FgnOptions.builder().tolerance(Double.NaN), "tolerance", "NaN");
        rejects(() -> FgnOptions.builder().tolerance(-1), "tolerance");
        rejects(() -> FgnOptions.builder().maxIterations(0), "maxIterations");
        rejects(() -> FgnOptions.builder().guardScale(0), "guardScale");
        rejects(() -> FgnOptions.builder().initialDamping(-1), "initialDamping");
        rejects(() -> FgnOptions.builder().dampingRange(0, 1), "damping range");
        rejects(() -> FgnOptions.builder().dampingRange(2, 1), "damping range");
        rejects(() -> FgnOptions.builder().maxCgIterations(0), "maxCgIterations");
        rejects(() -> FgnOptions.builder().maxSeconds(Double.NaN), "maxSeconds");
        rejects(() -> FgnOptions.builder().threads(-1), "threads");
        rejects(() -> FgnOptions.builder().mode(null), "mode");
        rejects(() -> FgnOptions.Mode.parse("batch"), "mode", "\"batch\"");
    }

    @Test
    void theSolverNameIsTrimmedAsTheOtherNamesAre() {
        assertEquals("newton", FgnOptions.builder().solver(" Newton ").build().solver());
    }

    @Test
    void inconsistentCombinationsAreRejectedAtBuild() {
        rejects(() -> FgnOptions.builder().dropCompensation(true).solver("newton").build(), "dropCompensation",
                "FGN solvers only", "newton");
        rejects(() -> FgnOptions.builder().solver("ggn-param-cg").dropCompensation(true).build(), "dropCompensation",
                "ggn-param-cg");
        rejects(() -> FgnOptions.builder().initialDamping(1e-12).build(), "initialDamping", "outside the damping range");
        // FGN-D with an FGN solver is fine, and solver names are case-insensitive
        FgnOptions ok = FgnOptions.builder().dropCompensation(true).solver("FGN-Row-CG").build();
        assertEquals("fgn-row-cg", ok.solver());
        assertEquals(FgnOptions.Mode.MINIBATCH, FgnOptions.Mode.parse(" Mini-Batch "));
    }

    @Test
    void defaultsFollowTheSpecAndToBuilderRoundTrips() {
        FgnOptions d = FgnOptions.defaults();
        assertEquals(1e-4, d.l2());
        assertEquals("auto", d.solver());
        assertEquals("auto", d.guard());
        assertFalse(d.guardApplies(), "auto leaves full-batch steps to the Armijo search and ratio test");
        assertTrue(FgnOptions.builder().mode(FgnOptions.Mode.MINIBATCH).build().guardApplies(),
                "auto guards mini-batch steps");
        assertTrue(FgnOptions.builder().guard(true).build().guardApplies());
        assertFalse(FgnOptions.builder().guard("OFF").mode(FgnOptions.Mode.MINIBATCH).build().guardApplies());
        assertThrows(OptionException.class, () -> FgnOptions.builder().guard("sometimes"));
        assertEquals(1.0, d.guardScale());
        assertEquals(0.0, d.initialDamping());
        assertEquals(1e-10, d.minDamping());
        assertEquals(1e6, d.maxDamping());
        FgnOptions custom = FgnOptions.builder().l2(0.5).mode(FgnOptions.Mode.MINIBATCH).batchSize(77).seed(9)
                .solver("newton").threads(3).dampingRange(1e-3, 10).initialDamping(0).build();
        assertEquals(custom.toString(), custom.toBuilder().build().toString());
    }
}
