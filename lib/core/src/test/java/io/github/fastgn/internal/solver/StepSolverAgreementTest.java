package io.github.fastgn.internal.solver;

import io.github.fastgn.internal.head.HeadBatch;
import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every step solver solves {@code (G + Lambda) s = -h} with {@code Lambda = diag(lambda + gamma on W,
 * lambda on b)}: FGN solvers against the dense {@code A^T A}, GGN solvers against the dense
 * {@code sum_i beta_i (diag p_i - p_i p_i^T) (x) x~_i x~_i^T}, both built in {@link RandomProblem} and
 * solved with Commons Math's Cholesky.
 */
class StepSolverAgreementTest extends QuietTestBase {

    private static final double LAMBDA = 0.05;
    private static final double GAMMA = 0.01;
    private static final double DIRECT_TOL = 1e-9;
    private static final double CG_TOL = 1e-7;
    private static final int CG_CAP = 2000;

    static Stream<String> names() {
        return Solvers.NAMES.stream();
    }

    static boolean isIterative(String name) {
        return name.endsWith("-cg");
    }

    /** {@code -(G + Lambda)^-1 h} by a dense Commons Math Cholesky. */
    static double[] denseStep(RandomProblem pr, StepSolver.Curvature curvature, double lambda, double gamma,
                              double[] extra, double[] h) {
        RealMatrix g = curvature == StepSolver.Curvature.FGN ? pr.fgnCurvature(pr.wt) : pr.fullCurvature(pr.wt);
        RealMatrix m = g.add(pr.damping(lambda, gamma, extra));
        m = m.add(m.transpose()).scalarMultiply(0.5);
        return new CholeskyDecomposition(m).getSolver().solve(new ArrayRealVector(h)).mapMultiply(-1).toArray();
    }

    static double[] solve(StepSolver solver, HeadBatch hb, Damping damping, double[] h, double[] start) {
        return solve(solver, hb, damping, h, start, 1e-12);
    }

    static double[] solve(StepSolver solver, HeadBatch hb, Damping damping, double[] h, double[] start, double eta) {
        double[] s = start.clone();
        StepSolver.SolveReport report = solver.solve(hb, damping, h, s, eta);
        if (isIterative(solver.name())) {
            assertTrue(report.converged(), solver.name() + " did not converge: " + report);
            assertTrue(report.iterations() > 0, solver.name() + " reports no operator application");
        } else {
            assertSame(StepSolver.SolveReport.DIRECT, report, solver.name());
        }
        return s;
    }

    private static double tolerance(String name) {
        return isIterative(name) ? CG_TOL : DIRECT_TOL;
    }

    @ParameterizedTest
    @MethodSource("names")
    void solvesTheDampedSystemLikeADenseSolve(String name) {
        RandomProblem pr = RandomProblem.random(41, 40, 12, 6, 2.0);
        HeadBatch hb = pr.batch(1e-12, Parallel.SERIAL);
        double minW = Double.POSITIVE_INFINITY;
        for (double w : pr.fgnWeights(pr.wt)) {
            minW = Math.min(minW, w);
        }
        assertTrue(minW > 1e-10, "the weight floor must be inactive for the dense comparison");
        double[] h = new double[pr.p];
        hb.gradient(pr.wt, GAMMA, h);
        Damping damping = new Damping(pr.d, pr.k);
        damping.set(LAMBDA, GAMMA, null);
        assertTrue(damping.isUniform());
        StepSolver solver = Solvers.create(name, pr.b, pr.d, pr.k, false, CG_CAP);
        assertEquals(name, solver.name());
        assertEquals(name.startsWith("fgn") ? StepSolver.Curvature.FGN : StepSolver.Curvature.FULL, solver.curvature());
        double[] expected = denseStep(pr, solver.curvature(), LAMBDA, GAMMA, null, h);
        double[] s = solve(solver, hb, damping, h, new double[pr.p]);
        assertTrue(Check.relativeError(expected, s) <= tolerance(name),
                name + ": relative error " + Check.relativeError(expected, s));
        // the step is a descent direction
        double hs = 0;
        for (int t = 0; t < pr.p; t++) {
            hs += h[t] * s[t];
        }
        assertTrue(hs < 0, "h . s = " + hs);
    }

    /** The FGN and full-GGN steps differ for K > 2 (otherwise the comparison above would be vacuous). */
    @Test
    void fgnAndFullStepsDifferForMoreThanTwoClasses() {
        RandomProblem pr = RandomProblem.random(41, 40, 12, 6, 2.0);
        HeadBatch hb = pr.batch(1e-12, Parallel.SERIAL);
        double[] h = new double[pr.p];
        hb.gradient(pr.wt, GAMMA, h);
        double[] fgn = denseStep(pr, StepSolver.Curvature.FGN, LAMBDA, GAMMA, null, h);
        double[] full = denseStep(pr, StepSolver.Curvature.FULL, LAMBDA, GAMMA, null, h);
        assertTrue(Check.relativeError(full, fgn) > 1e-2, "FGN vs GGN step difference " + Check.relativeError(full, fgn));
    }

    @Test
    void cgSolversEqualCholeskySolvers() {
        RandomProblem pr = RandomProblem.random(42, 40, 12, 6, 2.5);
        HeadBatch hb = pr.batch(1e-12, Parallel.SERIAL);
        double[] h = new double[pr.p];
        hb.gradient(pr.wt, GAMMA, h);
        Damping damping = new Damping(pr.d, pr.k);
        damping.set(0.02, GAMMA, null);
        double[] zero = new double[pr.p];
        double[] rowChol = solve(new FgnRowCholeskySolver(), hb, damping, h, zero);
        double[] rowCg = solve(new FgnRowCgSolver(CG_CAP), hb, damping, h, zero);
        double[] paramChol = solve(new ParamCholeskySolver(StepSolver.Curvature.FGN), hb, damping, h, zero);
        double[] paramCg = solve(new ParamCgSolver(StepSolver.Curvature.FGN, CG_CAP), hb, damping, h, zero);
        assertTrue(Check.relativeError(rowChol, paramChol) <= DIRECT_TOL, "FGN row vs parameter Cholesky");
        assertTrue(Check.relativeError(rowChol, rowCg) <= CG_TOL, "FGN row CG vs row Cholesky");
        assertTrue(Check.relativeError(paramChol, paramCg) <= CG_TOL, "FGN param CG vs param Cholesky");
        double[] ggnRow = solve(new GgnRowCholeskySolver(), hb, damping, h, zero);
        double[] ggnParam = solve(new ParamCholeskySolver(StepSolver.Curvature.FULL), hb, damping, h, zero);
        double[] ggnCg = solve(new ParamCgSolver(StepSolver.Curvature.FULL, CG_CAP), hb, damping, h, zero);
        assertTrue(Check.relativeError(ggnParam, ggnRow) <= DIRECT_TOL, "GGN row (B K rows) vs parameter Cholesky");
        assertTrue(Check.relativeError(ggnParam, ggnCg) <= CG_TOL, "GGN CG vs Cholesky");
    }

    /** FGN-D: the dropped-term diagonal is diag(G_full - G_FGN), and non-uniform damping is solved exactly. */
    @Test
    void dropCompensationDampingMatchesDenseSolve() {
        RandomProblem pr = RandomProblem.random(43, 40, 12, 6, 2.0);
        HeadBatch hb = pr.batch(1e-12, Parallel.SERIAL);
        double[] extra = new double[pr.p];
        hb.curvatureDiagonal(HeadBatch.Diagonal.DROPPED, extra);
        RealMatrix gap = pr.fullCurvature(pr.wt).subtract(pr.fgnCurvature(pr.wt));
        double[] gapDiag = new double[pr.p];
        for (int t = 0; t < pr.p; t++) {
            gapDiag[t] = gap.getEntry(t, t);
        }
        Check.close(gapDiag, extra, 1e-12, "FGN-D diagonal == diag(G_full - G_FGN)");
        Damping damping = new Damping(pr.d, pr.k);
        double lambda = 1e-3;
        damping.set(lambda, GAMMA, extra);
        assertTrue(!damping.isUniform());
        for (int c = 0; c < pr.k; c++) {
            for (int j = 0; j <= pr.d; j++) {
                int t = c * pr.dd + j;
                assertEquals(lambda + (j < pr.d ? GAMMA : 0) + gapDiag[t], damping.diagonal()[t], 1e-15);
                assertEquals(1 / damping.diagonal()[t], damping.inverse()[t], 1e-15 / damping.diagonal()[t]);
            }
        }
        double[] h = new double[pr.p];
        hb.gradient(pr.wt, GAMMA, h);
        double[] expected = denseStep(pr, StepSolver.Curvature.FGN, lambda, GAMMA, extra, h);
        double[] uniform = denseStep(pr, StepSolver.Curvature.FGN, lambda, GAMMA, null, h);
        assertTrue(Check.relativeError(expected, uniform) > 1e-2, "the extra diagonal must change the step");
        for (String name : new String[] {FgnRowCholeskySolver.NAME, FgnRowCgSolver.NAME, ParamCgSolver.FGN_NAME,
                ParamCholeskySolver.FGN_NAME}) {
            double[] s = solve(Solvers.create(name, pr.b, pr.d, pr.k, false, CG_CAP), hb, damping, h, new double[pr.p]);
            assertTrue(Check.relativeError(expected, s) <= tolerance(name),
                    name + " with FGN-D damping: relative error " + Check.relativeError(expected, s));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GgnRowCholeskySolver().solve(hb, damping, h, new double[pr.p], 0));
        assertTrue(e.getMessage().contains("uniform damping"), e.getMessage());
    }

    /** K = 2: FGN is exact, so FGN and full-GGN solvers give the same step. */
    @Test
    void binaryFgnAndGgnSolversGiveTheSameStep() {
        RandomProblem pr = RandomProblem.random(44, 30, 5, 2, 2.0);
        HeadBatch hb = pr.batch(1e-12, Parallel.SERIAL);
        double[] h = new double[pr.p];
        hb.gradient(pr.wt, GAMMA, h);
        Damping damping = new Damping(pr.d, pr.k);
        damping.set(LAMBDA, GAMMA, null);
        double[] reference = solve(new ParamCholeskySolver(StepSolver.Curvature.FULL), hb, damping, h, new double[pr.p]);
        Check.close(denseStep(pr, StepSolver.Curvature.FULL, LAMBDA, GAMMA, null, h), reference, 1e-9, "dense");
        for (String name : Solvers.NAMES) {
            double[] s = solve(Solvers.create(name, pr.b, pr.d, pr.k, false, CG_CAP), hb, damping, h, new double[pr.p]);
            assertTrue(Check.relativeError(reference, s) <= tolerance(name),
                    "K = 2, " + name + ": relative error " + Check.relativeError(reference, s));
        }
    }

    /** Solvers keep buffers and a feature-Gram cache: a new batch (other size, other data) must not see stale state. */
    @ParameterizedTest
    @MethodSource("names")
    void reusedSolverFollowsBatchChangesAndIgnoresOrUsesTheStartAsDocumented(String name) {
        StepSolver solver = Solvers.create(name, 40, 12, 6, false, CG_CAP);
        Random rnd = new Random(45);
        RandomProblem first = RandomProblem.random(46, 40, 12, 6, 2.0);
        RandomProblem second = RandomProblem.random(47, 25, 12, 6, 2.0);
        HeadBatch hb = new HeadBatch(40, 12, 6, 1e-12, Parallel.SERIAL);
        Damping damping = new Damping(12, 6);
        damping.set(LAMBDA, GAMMA, null);
        for (RandomProblem pr : new RandomProblem[] {first, second, first}) {
            // same HeadBatch and same solver; a copy of the features so the array identity changes too
            hb.setBatch(pr.x.clone(), pr.y, null, pr.b);
            hb.evaluate(pr.wt);
            double[] h = new double[pr.p];
            hb.gradient(pr.wt, GAMMA, h);
            double[] expected = denseStep(pr, solver.curvature(), LAMBDA, GAMMA, null, h);
            double[] start = new double[pr.p];
            for (int t = 0; t < start.length; t++) {
                start[t] = rnd.nextGaussian(); // garbage for direct and row solvers, a warm start for parameter CG
            }
            double[] s = solve(solver, hb, damping, h, start);
            assertTrue(Check.relativeError(expected, s) <= tolerance(name),
                    name + " on a batch of " + pr.b + ": relative error " + Check.relativeError(expected, s));
        }
    }
}
