package io.github.fastgn.internal.solver;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Capabilities: what {@link Solvers} answers for a name is what the solver it builds declares. */
class SolverCapabilitiesTest extends QuietTestBase {

    @Test
    void everyNamedSolverDeclaresWhatSolversAnswers() {
        for (String name : Solvers.NAMES) {
            StepSolver built = Solvers.create(name, 20, 5, 3, true, 50);
            assertEquals(name, built.name());
            StepSolver.Capabilities declared = Solvers.capabilities(name);
            assertEquals(declared, built.capabilities(), name);
            assertEquals(declared.curvature(), built.curvature(), name);
            assertEquals(declared.curvature(), Solvers.curvature(name), name);
            assertEquals(Solvers.capabilities(name.toUpperCase(java.util.Locale.ROOT)), declared, "case-insensitive");
        }
    }

    @Test
    void capabilityTable() {
        for (String name : Solvers.NAMES) {
            StepSolver.Capabilities c = Solvers.capabilities(name);
            assertEquals(name.startsWith("ggn-") ? StepSolver.Curvature.FULL : StepSolver.Curvature.FGN,
                    c.curvature(), name);
            assertEquals(name.endsWith("cholesky"), c.exact(), name + " exact");
            boolean top = name.equals(ParamCgSolver.TOP_NAME);
            assertEquals(top, c.everyRowTruncated(), name + " every row truncated");
            assertEquals(name.endsWith("param-cg") || top, c.warmStartable(), name + " warm start");
            assertEquals(c.exact() ? 1e-300 : 1e-12, c.weightFloor(), 0.0, name + " weight floor");
            // the dense P x P and B K x B K builds read dense feature rows; the row solvers and CG do not
            // the top-competitor curvature reads dense rows too
            assertEquals(!name.contains("param-cholesky") && !name.equals("ggn-row-cholesky") && !top, c.sparseRows(),
                    name + " sparse rows");
        }
    }

    @Test
    void fgnAndNewtonHaveACurvatureButResolveForTheRest() {
        assertEquals(StepSolver.Curvature.FGN, Solvers.curvature("Fgn"));
        // auto's curvature depends on the size
        assertThrows(IllegalArgumentException.class, () -> Solvers.curvature(Solvers.AUTO));
        assertEquals(StepSolver.Curvature.FULL, Solvers.curvature("Newton"));
        assertThrows(IllegalArgumentException.class, () -> Solvers.capabilities(Solvers.AUTO));
        assertThrows(IllegalArgumentException.class, () -> Solvers.capabilities(Solvers.NEWTON));
        assertThrows(IllegalArgumentException.class, () -> Solvers.curvature("no-such-solver"));
        int[][] sizes = {{20, 5, 3}, {5000, 50, 10}, {100, 2000, 20}};
        for (int[] s : sizes) {
            for (String choice : new String[] {Solvers.FGN, Solvers.NEWTON}) {
                for (boolean reuse : new boolean[] {true, false}) {
                    String resolved = Solvers.resolve(choice, s[0], s[1], s[2], reuse);
                    assertTrue(Solvers.NAMES.contains(resolved), resolved);
                    assertEquals(Solvers.curvature(choice), Solvers.capabilities(resolved).curvature(), resolved);
                    if (s[0] <= 100) {
                        assertEquals(resolved, Solvers.create(choice, s[0], s[1], s[2], reuse, 50).name());
                    }
                }
            }
        }
    }
}
