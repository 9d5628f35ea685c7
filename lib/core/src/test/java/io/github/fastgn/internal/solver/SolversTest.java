package io.github.fastgn.internal.solver;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Solvers}: names, and "fgn"/"newton"/"auto" resolved by the cost model. */
class SolversTest extends QuietTestBase {

    private static final List<String> FGN = Solvers.NAMES.stream().filter(n -> n.startsWith("fgn-"))
            .collect(Collectors.toList());
    /** The full-GGN solvers of a batch (ggn-top-cg takes every row of a full batch, see resolveFullBatch). */
    private static final List<String> GGN = Solvers.NAMES.stream().filter(n -> n.startsWith("ggn-")
            && !Solvers.capabilities(n).everyRowTruncated()).collect(Collectors.toList());

    private static String fgn(int b, int d, int k, boolean reuse) {
        return Solvers.create(Solvers.FGN, b, d, k, reuse, 50).name();
    }

    private static String auto(int b, int d, int k, boolean reuse) {
        return Solvers.create(Solvers.AUTO, b, d, k, reuse, 50).name();
    }

    private static String newton(int b, int d, int k, boolean reuse) {
        return Solvers.create(Solvers.NEWTON, b, d, k, reuse, 50).name();
    }

    /** The chosen solver must have a finite cost no larger than any candidate's. */
    private static void assertCheapest(String chosen, List<String> candidates, int b, int d, int k, boolean reuse) {
        double cost = Solvers.estimatedFlops(chosen, b, d, k, reuse);
        assertTrue(Double.isFinite(cost), chosen + " chosen with infinite cost");
        for (String c : candidates) {
            assertTrue(cost <= Solvers.estimatedFlops(c, b, d, k, reuse), chosen + " (" + cost + ") chosen over cheaper "
                    + c + " (" + Solvers.estimatedFlops(c, b, d, k, reuse) + ") for b=" + b + ", d=" + d + ", k=" + k);
        }
    }

    @Test
    void everyNameCreatesThatSolver() {
        assertEquals(8, Solvers.NAMES.size());
        assertEquals(4, FGN.size());
        assertEquals(3, GGN.size());
        for (String name : Solvers.NAMES) {
            StepSolver s = Solvers.create(name, 100, 10, 3, false, 20);
            assertEquals(name, s.name());
            assertEquals(name.startsWith("fgn") ? StepSolver.Curvature.FGN : StepSolver.Curvature.FULL, s.curvature());
            assertTrue(Solvers.isKnown(name.toUpperCase(java.util.Locale.ROOT)));
        }
        assertTrue(Solvers.isKnown("Auto") && Solvers.isKnown("NEWTON") && Solvers.isKnown("FGN"));
        assertFalse(Solvers.isKnown("lbfgs"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Solvers.create("lbfgs", 10, 2, 2, false, 5));
        assertTrue(e.getMessage().contains("unknown solver 'lbfgs'") && e.getMessage().contains("fgn-row-cholesky"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FgnRowCgSolver(0));
        assertThrows(IllegalArgumentException.class, () -> new ParamCgSolver(StepSolver.Curvature.FGN, 0));
    }

    @Test
    void smallBatchWithManyParametersUsesTheRowCholesky() {
        assertEquals(FgnRowCholeskySolver.NAME, fgn(100, 1000, 10, false));
        assertEquals(FgnRowCholeskySolver.NAME, fgn(256, 2048, 100, false));
        assertCheapest(fgn(100, 1000, 10, false), FGN, 100, 1000, 10, false);
        // auto keeps FGN's direct solve: cheaper than every full-GGN solver there
        assertEquals(FgnRowCholeskySolver.NAME, auto(100, 1000, 10, false));
        assertCheapest(auto(100, 1000, 10, false), Solvers.NAMES, 100, 1000, 10, false);
    }

    @Test
    void fashionMnistShapeUsesParameterCg() {
        // n = 60000 rows rule out row Cholesky, P = 7850 rules out parameter Cholesky
        assertEquals(Double.POSITIVE_INFINITY, Solvers.estimatedFlops(FgnRowCholeskySolver.NAME, 60000, 784, 10, true));
        assertEquals(Double.POSITIVE_INFINITY, Solvers.estimatedFlops(ParamCholeskySolver.FGN_NAME, 60000, 784, 10, true));
        assertEquals(ParamCgSolver.FGN_NAME, fgn(60000, 784, 10, true));
        assertEquals(ParamCgSolver.GGN_NAME, newton(60000, 784, 10, true));
        // matrix-free: auto takes the full GGN (same cost per product, exact curvature)
        assertEquals(ParamCgSolver.GGN_NAME, auto(60000, 784, 10, true));
        assertEquals(ParamCgSolver.GGN_NAME, auto(8192, 256, 1000, false));
    }

    @Test
    void fullBatchAutoTakesEveryRowsTopClassesWhereTheyCostLessThanTheSample() {
        Solvers.Rows dense256 = Solvers.Rows.dense(256);
        // syn: n = 50000, d = 256, K = 1000, 8192-row sample: 4 n m D + 2 K D^2 is far below 4 s K D
        assertEquals(ParamCgSolver.TOP_NAME, Solvers.resolveFullBatch(Solvers.AUTO, 50000, 8192, 256, 1000, dense256));
        assertTrue(Solvers.estimatedFlops(ParamCgSolver.TOP_NAME, 50000, 256, 1000, true)
                < Solvers.estimatedFlops(ParamCgSolver.GGN_NAME, 8192, 256, 1000, false));
        // Fashion-MNIST: K = 10 keeps every class, so all rows cost more than the sample
        assertEquals(ParamCgSolver.GGN_NAME, Solvers.resolveFullBatch(Solvers.AUTO, 60000, 8192, 784, 10,
                Solvers.Rows.dense(784)));
        // every row already (no sample), sparse rows, and the named choices keep their resolution
        assertEquals(ParamCgSolver.GGN_NAME, Solvers.resolveFullBatch(Solvers.AUTO, 8000, 8000, 256, 1000, dense256));
        assertEquals(ParamCgSolver.GGN_NAME, Solvers.resolveFullBatch(Solvers.AUTO, 50000, 8192, 256, 1000,
                Solvers.Rows.sparse(50000L * 20, 50000)));
        assertEquals(ParamCgSolver.GGN_NAME, Solvers.resolveFullBatch(Solvers.NEWTON, 50000, 8192, 256, 1000, dense256));
        assertEquals(ParamCgSolver.TOP_NAME, Solvers.resolveFullBatch(ParamCgSolver.TOP_NAME, 500, 500, 5, 3, dense256));
    }

    @Test
    void digitsShapeFollowsTheCostModel() {
        for (boolean reuse : new boolean[] {true, false}) {
            assertCheapest(fgn(1437, 64, 10, reuse), FGN, 1437, 64, 10, reuse);
            assertCheapest(newton(1437, 64, 10, reuse), GGN, 1437, 64, 10, reuse);
            assertTrue(fgn(1437, 64, 10, reuse).startsWith("fgn-"));
            assertTrue(newton(1437, 64, 10, reuse).startsWith("ggn-"));
        }
    }

    @Test
    void choicesAreTheCheapestOverAGridOfShapes() {
        for (int b : new int[] {8, 100, 1000, 4096, 5000, 60000}) {
            for (int d : new int[] {5, 64, 784}) {
                for (int k : new int[] {2, 10, 100}) {
                    for (boolean reuse : new boolean[] {true, false}) {
                        assertCheapest(fgn(b, d, k, reuse), FGN, b, d, k, reuse);
                        assertCheapest(newton(b, d, k, reuse), GGN, b, d, k, reuse);
                        // auto: the FGN choice where it is a direct solve, unless a direct full-GGN
                        // solve costs at most NEWTON_STEP_ADVANTAGE times as much; else full-GGN CG at
                        // the cost of FGN's CG
                        String a = auto(b, d, k, reuse);
                        String f = fgn(b, d, k, reuse);
                        String g = newton(b, d, k, reuse);
                        double fc = Solvers.estimatedFlops(f, b, d, k, reuse);
                        double gc = Solvers.estimatedFlops(g, b, d, k, reuse);
                        String expected = !Solvers.capabilities(f).exact() ? ParamCgSolver.GGN_NAME
                                : Solvers.capabilities(g).exact() && gc <= Solvers.NEWTON_STEP_ADVANTAGE * fc ? g : f;
                        assertEquals(expected, a, "b=" + b + ", d=" + d + ", k=" + k);
                        assertCheapest(a, Solvers.capabilities(a).curvature() == StepSolver.Curvature.FULL ? GGN : FGN,
                                b, d, k, reuse);
                    }
                }
            }
        }
    }

    @Test
    void costModelHandValues() {
        // b = 100, d = 9 (D = 10), k = 2, P = 20: products 4 b k D = 8000
        assertEquals(20 * 8000 + 8000, Solvers.estimatedFlops(FgnRowCgSolver.NAME, 100, 9, 2, false), 1e-6);
        assertEquals(20 * 8000 + 100 * 2 * 10, Solvers.estimatedFlops(ParamCgSolver.FGN_NAME, 100, 9, 2, false), 1e-6);
        assertEquals(100 * 100 * 10 + 100 * 100 * 2 + 1e6 / 3 + 8000,
                Solvers.estimatedFlops(FgnRowCholeskySolver.NAME, 100, 9, 2, false), 1e-6);
        assertEquals(100 * 100 * 2 + 1e6 / 3 + 8000,
                Solvers.estimatedFlops(FgnRowCholeskySolver.NAME, 100, 9, 2, true), 1e-6, "a reused Gram is free");
        assertEquals(100 * 400 / 2.0 + 8000 / 3.0, Solvers.estimatedFlops(ParamCholeskySolver.GGN_NAME, 100, 9, 2, false),
                1e-6);
        // row CG never plans more iterations than rows
        assertEquals(5 * 4.0 * 5 * 2 * 10 + 4.0 * 5 * 2 * 10, Solvers.estimatedFlops(FgnRowCgSolver.NAME, 5, 9, 2, false),
                1e-9);
        // the B K row system of the full GGN is capped at 4096 rows
        assertTrue(Double.isFinite(Solvers.estimatedFlops(GgnRowCholeskySolver.NAME, 409, 9, 10, false)));
        assertEquals(Double.POSITIVE_INFINITY, Solvers.estimatedFlops(GgnRowCholeskySolver.NAME, 410, 9, 10, false));
        assertThrows(IllegalArgumentException.class, () -> Solvers.estimatedFlops("auto", 1, 1, 2, false));
    }
}
