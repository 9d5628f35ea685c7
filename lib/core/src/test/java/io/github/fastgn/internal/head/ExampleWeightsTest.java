package io.github.fastgn.internal.head;

import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.Solvers;
import io.github.fastgn.internal.solver.StepSolver;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integer example weights must act exactly like duplicated examples, in every quantity and every solver. */
class ExampleWeightsTest extends QuietTestBase {

    private static final int B = 20;
    private static final int D = 6;
    private static final int K = 4;

    private final RandomProblem base = RandomProblem.random(51, B, D, K, 2.0);
    private final double[] weights = new double[B];
    private final double[] dupX;
    private final int[] dupY;
    private final int dupRows;

    ExampleWeightsTest() {
        Random rnd = new Random(51);
        int rows = 0;
        for (int i = 0; i < B; i++) {
            weights[i] = 1 + rnd.nextInt(3);
            rows += (int) weights[i];
        }
        dupRows = rows;
        dupX = new double[rows * D];
        dupY = new int[rows];
        int r = 0;
        for (int i = 0; i < B; i++) {
            for (int c = 0; c < weights[i]; c++) {
                System.arraycopy(base.x, i * D, dupX, r * D, D);
                dupY[r++] = base.y[i];
            }
        }
    }

    private HeadBatch weighted(double scale) {
        double[] w = weights.clone();
        for (int i = 0; i < B; i++) {
            w[i] *= scale;
        }
        HeadBatch hb = new HeadBatch(B, D, K, 1e-12, Parallel.SERIAL);
        hb.setBatch(base.x, base.y, w, B);
        hb.evaluate(base.wt);
        return hb;
    }

    private HeadBatch duplicated() {
        HeadBatch hb = new HeadBatch(dupRows, D, K, 1e-12, Parallel.SERIAL);
        hb.setBatch(dupX, dupY, null, dupRows);
        hb.evaluate(base.wt);
        return hb;
    }

    @Test
    void weightedQuantitiesEqualDuplicatedExamples() {
        HeadBatch hw = weighted(0.37); // the weights' overall scale must not matter
        HeadBatch hd = duplicated();
        assertTrue(dupRows > B + 5, "the weights should actually duplicate something");
        Check.close(hd.dataLoss(), hw.dataLoss(), 1e-13, "data loss");
        double gamma = 0.02;
        double[] a = new double[base.p];
        double[] b = new double[base.p];
        hw.gradient(base.wt, gamma, a);
        hd.gradient(base.wt, gamma, b);
        Check.close(b, a, 1e-13, "gradient");
        Random rnd = new Random(52);
        double[] v = new double[base.p];
        for (int t = 0; t < v.length; t++) {
            v[t] = rnd.nextGaussian();
        }
        hw.ggnProduct(v, a);
        hd.ggnProduct(v, b);
        Check.close(b, a, 1e-13, "G_full v");
        double[] rw = new double[B];
        double[] rd = new double[dupRows];
        hw.jvp(v, rw);
        hw.vjp(rw, a);
        hd.jvp(v, rd);
        hd.vjp(rd, b);
        Check.close(b, a, 1e-13, "G_FGN v = A^T A v");
        for (HeadBatch.Diagonal which : HeadBatch.Diagonal.values()) {
            hw.curvatureDiagonal(which, a);
            hd.curvatureDiagonal(which, b);
            Check.close(b, a, 1e-13, "diagonal " + which);
        }
        hw.vjp(hw.whitenedResidual(), a);
        hd.vjp(hd.whitenedResidual(), b);
        Check.close(b, a, 1e-13, "A^T r");
        double[] dzw = new double[B * K];
        double[] dzd = new double[dupRows * K];
        hw.logitDirection(v, dzw);
        hd.logitDirection(v, dzd);
        Check.close(hd.fgnCurvatureAlong(dzd), hw.fgnCurvatureAlong(dzw), 1e-13, "||A s||^2");
        Check.close(hd.ggnCurvatureAlong(dzd), hw.ggnCurvatureAlong(dzw), 1e-13, "s^T G_full s");
        Check.close(hd.dataLossAlong(dzd, 0.3), hw.dataLossAlong(dzw, 0.3), 1e-13, "line-search loss");
    }

    @Test
    void everySolverGivesTheSameStepForWeightsAndDuplicates() {
        HeadBatch hw = weighted(1.0);
        HeadBatch hd = duplicated();
        double gamma = 0.01;
        double[] hW = new double[base.p];
        double[] hD = new double[base.p];
        hw.gradient(base.wt, gamma, hW);
        hd.gradient(base.wt, gamma, hD);
        Damping damping = new Damping(D, K);
        damping.set(0.03, gamma, null);
        for (String name : Solvers.NAMES) {
            StepSolver solver = Solvers.create(name, dupRows, D, K, false, 2000);
            double[] sw = new double[base.p];
            double[] sd = new double[base.p];
            solver.solve(hw, damping, hW, sw, 1e-12);
            solver.solve(hd, damping, hD, sd, 1e-12);
            double tol = name.endsWith("-cg") ? 1e-7 : 1e-10;
            assertTrue(Check.relativeError(sd, sw) <= tol, name + ": weighted vs duplicated step, relative error "
                    + Check.relativeError(sd, sw));
        }
    }

    /** {@code setBatch(..., weightTotal)}: chunks of a data set add up to the whole objective and gradient. */
    @Test
    void chunksNormalisedByTheTotalWeightAddUp() {
        HeadBatch whole = weighted(1.0);
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        HeadBatch chunk = new HeadBatch(B, D, K, 1e-300, Parallel.SERIAL);
        double loss = 0;
        double[] grad = new double[base.p];
        double[] part = new double[base.p];
        int[] cuts = {0, 7, 13, B};
        for (int c = 0; c + 1 < cuts.length; c++) {
            int lo = cuts[c];
            int rows = cuts[c + 1] - lo;
            double[] x = java.util.Arrays.copyOfRange(base.x, lo * D, (lo + rows) * D);
            int[] y = java.util.Arrays.copyOfRange(base.y, lo, lo + rows);
            double[] w = java.util.Arrays.copyOfRange(weights, lo, lo + rows);
            chunk.setBatch(x, y, w, rows, total);
            chunk.evaluate(base.wt);
            loss += chunk.dataLoss();
            chunk.gradient(base.wt, 0.0, part);
            for (int t = 0; t < base.p; t++) {
                grad[t] += part[t];
            }
        }
        Check.close(whole.dataLoss(), loss, 1e-13, "sum of chunk losses");
        double[] g = new double[base.p];
        whole.gradient(base.wt, 0.0, g);
        Check.close(g, grad, 1e-13, "sum of chunk gradients");
    }
}
