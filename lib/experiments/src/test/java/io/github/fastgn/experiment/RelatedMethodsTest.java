package io.github.fastgn.experiment;

import io.github.fastgn.baseline.UpdateRule;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces of experiment (e) against independent references. */
class RelatedMethodsTest {

    @Test
    void unitWeightsGiveTheMarchenkoPasturDensity() {
        double gamma = 0.25;
        SpectrumLaw law = new SpectrumLaw(gamma, new double[] {1.0});
        double a = Math.pow(1 - Math.sqrt(gamma), 2);
        double b = Math.pow(1 + Math.sqrt(gamma), 2);
        double[] grid = {0.4, 0.8, 1.2, 1.6, 2.0};
        double[] dens = law.density(grid);
        for (int g = 0; g < grid.length; g++) {
            double x = grid[g];
            double mp = Math.sqrt((b - x) * (x - a)) / (2 * Math.PI * gamma * x);
            assertEquals(mp, dens[g], 2e-3 * Math.max(1, mp), "density at " + x);
        }
        double[] wide = new double[400];
        for (int g = 0; g < wide.length; g++) {
            wide[g] = 3.0 * g / (wide.length - 1);
        }
        double[] cdf = law.cdf(wide);
        assertEquals(1.0, cdf[cdf.length - 1], 1e-12);
        assertEquals(0.0, cdf[0], 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new SpectrumLaw(1.5, new double[] {1}));
    }

    @Test
    void ksDistanceOfASampleFromItsOwnStepCdfIsSmall() {
        double[] e = {1, 2, 3, 4};
        double[] grid = {0, 1, 2, 3, 4, 5};
        double[] cdf = {0, 0.25, 0.5, 0.75, 1, 1};
        assertEquals(0.0, SpectrumLaw.ksDistance(e, grid, cdf), 1e-15);
        assertEquals(0.25, SpectrumLaw.ksDistance(e, grid, new double[] {0, 0, 0.25, 0.5, 0.75, 1}), 1e-15);
    }

    @Test
    void closestInterpolatorIsThePseudoInverseSolution() {
        DualSpace.Problem p = DualSpace.problem(5, 12, 2, 3);
        RealMatrix x = new Array2DRowRealMatrix(p.n(), p.d());
        for (int i = 0; i < p.n(); i++) {
            for (int j = 0; j < p.d(); j++) {
                x.setEntry(i, j, p.x()[i * p.d() + j]);
            }
        }
        RealMatrix pinv = new SingularValueDecomposition(x).getSolver().getInverse();
        RealMatrix w0 = new Array2DRowRealMatrix(p.d(), p.m());
        RealMatrix y = new Array2DRowRealMatrix(p.n(), p.m());
        for (int j = 0; j < p.d(); j++) {
            for (int c = 0; c < p.m(); c++) {
                w0.setEntry(j, c, p.w0()[j * p.m() + c]);
            }
        }
        for (int i = 0; i < p.n(); i++) {
            for (int c = 0; c < p.m(); c++) {
                y.setEntry(i, c, p.y()[i * p.m() + c]);
            }
        }
        RealMatrix expected = w0.subtract(pinv.multiply(x.multiply(w0).subtract(y)));
        for (int j = 0; j < p.d(); j++) {
            for (int c = 0; c < p.m(); c++) {
                assertEquals(expected.getEntry(j, c), p.closest()[j * p.m() + c], 1e-10);
            }
        }
        // gradient descent from W_0 converges to it and never leaves the row space
        DualSpace.Limit gd = DualSpace.run(p, UpdateRule.momentum(0), 0.05, 1e9, 20_000);
        assertTrue(gd.residual() < 1e-10 && gd.toClosest() < 1e-9, gd.toString());
        assertTrue(gd.outsideRowSpace() < 1e-10, "outside " + gd.outsideRowSpace());
        assertThrows(IllegalArgumentException.class, () -> DualSpace.problem(12, 5, 1, 0));
    }

    @Test
    void lateRateRecoversAGeometricDecay() {
        double[] gap = new double[200];
        for (int t = 0; t < gap.length; t++) {
            gap[t] = 0.3 * Math.pow(0.8, t);
        }
        assertEquals(Math.log(0.8), RelatedMethodsExperiment.lateRate(gap, 1.0), 1e-12);
        assertTrue(Double.isNaN(RelatedMethodsExperiment.lateRate(new double[] {1, 1}, 1.0)));
    }

    @Test
    void teacherHessianMatchesTheSampleAverageOfItsOwnDraws() {
        double[] teacher = TeacherStudent.teacher(3, 1.0, 1);
        assertEquals(1.0, Math.sqrt(teacher[0] * teacher[0] + teacher[1] * teacher[1] + teacher[2] * teacher[2]), 1e-12);
        double[] h = TeacherStudent.hessianAtTeacher(teacher, 200_000, 5);
        double[] w = TeacherStudent.curvatureWeights(teacher, 200_000, 5);
        // the bias-bias entry of H* is E[pi (1 - pi)]: the mean of the weights, drawn the same way
        assertEquals(Arrays.stream(w).average().orElseThrow(), h[3 * 4 + 3], 1e-3);
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                assertEquals(h[a * 4 + b], h[b * 4 + a], 1e-15);
            }
        }
    }
}
