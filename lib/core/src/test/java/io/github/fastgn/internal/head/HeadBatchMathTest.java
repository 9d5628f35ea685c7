package io.github.fastgn.internal.head;

import io.github.fastgn.internal.linalg.Parallel;
import io.github.fastgn.internal.solver.Damping;
import io.github.fastgn.internal.solver.FgnRowCholeskySolver;
import io.github.fastgn.testing.Check;
import io.github.fastgn.testing.QuietTestBase;
import io.github.fastgn.testing.RandomProblem;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The identities of ALGORITHM.md §1-2 for {@link HeadBatch}, each against an independent
 * reference: naive softmax formulas and dense matrices built in {@link RandomProblem}, finite
 * differences, and Commons Math factorisations. Problem: B = 40, d = 12, K = 6, logits of scale 2-3.
 */
class HeadBatchMathTest extends QuietTestBase {

    private static final int B = 40;
    private static final int D = 12;
    private static final int K = 6;

    private static RandomProblem problem(long seed) {
        return RandomProblem.random(seed, B, D, K, 2.0);
    }

    private static double[] randomVector(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void marginQuantitiesMatchNaiveFormulas() {
        RandomProblem pr = problem(1);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        double[][] prob = pr.probabilities(pr.wt);
        double[][] u = pr.marginGradients(pr.wt);
        double[] m = pr.margins(pr.wt);
        double[] w = pr.fgnWeights(pr.wt);
        double spreadOfLogits = 0;
        double[][] z = pr.logits(pr.wt);
        for (int i = 0; i < B; i++) {
            int y = pr.y[i];
            for (int c = 0; c < K; c++) {
                assertEquals(z[i][c], hb.logits()[i * K + c], 1e-13, "logit");
                assertEquals(prob[i][c], hb.probabilities()[i * K + c], 1e-14, "p");
                assertEquals(u[i][c], hb.marginGradients()[i * K + c], 1e-13, "u = e_y - q");
                spreadOfLogits = Math.max(spreadOfLogits, Math.abs(z[i][c]));
            }
            assertEquals(m[i], hb.margins()[i], 1e-12 * Math.max(1, Math.abs(m[i])), "margin");
            assertEquals(1 - prob[i][y], hb.competitorMass()[i], 1e-14, "1 - p_y");
            // loss == -log p_y
            assertEquals(-Math.log(prob[i][y]), hb.losses()[i], 1e-12 * Math.max(1, -Math.log(prob[i][y])), "loss");
            Check.close(Math.sqrt(pr.beta[i] * w[i]), hb.whitening()[i], 1e-12, "sw = sqrt(beta w)");
            // r_i = l'(m) beta / sw = -exp(-m/2) sqrt(beta)
            Check.close(-Math.exp(-m[i] / 2) * Math.sqrt(pr.beta[i]), hb.whitenedResidual()[i], 1e-12, "r");
            Check.close(-(1 - prob[i][y]) * pr.beta[i] / Math.sqrt(pr.beta[i] * w[i]), hb.whitenedResidual()[i], 1e-12,
                    "r = l' beta / sw");
        }
        assertTrue(spreadOfLogits > 4, "logits should be of scale 2-3, got max |z| " + spreadOfLogits);
        Check.close(pr.objective(pr.wt, 0.0), hb.dataLoss(), 1e-13, "data loss");
        Check.close(pr.objective(pr.wt, 0.3), hb.objective(pr.wt, 0.3), 1e-13, "objective with L2 on W only");
    }

    /** ALGORITHM.md §1: diag(p) - p p^T = p_y(1-p_y) u u^T + (1-p_y)(diag q - q q^T), the second term PSD. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 6, 10})
    void logitSpaceSplitIsExactAndDroppedTermIsPsd(int k) {
        RandomProblem pr = RandomProblem.random(100 + k, B, D, k, 2.5);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        double[] p = hb.probabilities();
        double[] u = hb.marginGradients();
        double[] rest = hb.competitorMass();
        double worst = 0;
        double minEig = Double.POSITIVE_INFINITY;
        double maxDropped = 0;
        for (int i = 0; i < B; i++) {
            int y = pr.y[i];
            double py = p[i * k + y];
            double[] q = new double[k];
            for (int c = 0; c < k; c++) {
                q[c] = (c == y ? 1.0 : 0.0) - u[i * k + c];
            }
            RealMatrix h = new Array2DRowRealMatrix(k, k);
            RealMatrix kept = new Array2DRowRealMatrix(k, k);
            RealMatrix dropped = new Array2DRowRealMatrix(k, k);
            for (int a = 0; a < k; a++) {
                for (int c = 0; c < k; c++) {
                    h.setEntry(a, c, (a == c ? p[i * k + a] : 0) - p[i * k + a] * p[i * k + c]);
                    kept.setEntry(a, c, py * rest[i] * u[i * k + a] * u[i * k + c]);
                    dropped.setEntry(a, c, rest[i] * ((a == c ? q[a] : 0) - q[a] * q[c]));
                }
            }
            worst = Math.max(worst, Check.maxAbs(h.subtract(kept).subtract(dropped)));
            maxDropped = Math.max(maxDropped, Check.maxAbs(dropped));
            double[] ev = new EigenDecomposition(dropped).getRealEigenvalues();
            minEig = Math.min(minEig, Arrays.stream(ev).min().getAsDouble());
            // traces: kept = p_y(1-p_y)(1+|q|^2), dropped = (1-p_y)(1-|q|^2)
            double qq = 0;
            for (double v : q) {
                qq += v * v;
            }
            assertEquals(py * rest[i] * (1 + qq), kept.getTrace(), 1e-14, "trace of the kept term");
            assertEquals(rest[i] * (1 - qq), dropped.getTrace(), 1e-14, "trace of the dropped term");
        }
        assertTrue(worst <= 1e-12, "split error " + worst);
        assertTrue(minEig >= -1e-13, "dropped term not PSD: min eigenvalue " + minEig);
        if (k == 2) {
            assertEquals(0.0, maxDropped, 1e-15, "K = 2: the competitor softmax is a point mass, nothing is dropped");
        } else {
            assertTrue(maxDropped > 1e-3, "K > 2 must drop something, max entry " + maxDropped);
        }
    }

    @Test
    void fgnUnderApproximatesAndDiagonalsMatchDenseMatrices() {
        RandomProblem pr = problem(2);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        RealMatrix gFgn = pr.fgnCurvature(pr.wt);
        RealMatrix gFull = pr.fullCurvature(pr.wt);
        RealMatrix gap = gFull.subtract(gFgn);
        double[] ev = new EigenDecomposition(gap.add(gap.transpose()).scalarMultiply(0.5)).getRealEigenvalues();
        double min = Arrays.stream(ev).min().getAsDouble();
        double max = Arrays.stream(ev).max().getAsDouble();
        assertTrue(min >= -1e-13, "G_full - G_FGN must be PSD, min eigenvalue " + min);
        assertTrue(max > 1e-3, "G_full - G_FGN should not vanish for K = 6, max eigenvalue " + max);

        double[] out = new double[pr.p];
        hb.curvatureDiagonal(HeadBatch.Diagonal.FGN, out);
        Check.close(diagonal(gFgn), out, 1e-12, "diag(G_FGN)");
        hb.curvatureDiagonal(HeadBatch.Diagonal.FULL, out);
        Check.close(diagonal(gFull), out, 1e-12, "diag(G_full)");
        hb.curvatureDiagonal(HeadBatch.Diagonal.DROPPED, out);
        Check.close(diagonal(gap), out, 1e-12, "diag(G_full - G_FGN) (FGN-D)");
    }

    @Test
    void binaryHeadFgnEqualsFullGgn() {
        RandomProblem pr = RandomProblem.random(3, 30, 5, 2, 2.0);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        RealMatrix gFgn = pr.fgnCurvature(pr.wt);
        RealMatrix gFull = pr.fullCurvature(pr.wt);
        assertTrue(Check.maxAbs(gFull) > 1e-2);
        Check.close(gFull, gFgn, 1e-12, "K = 2: G_FGN == G_full");
        // and through the library's matrix-free products
        Random rnd = new Random(3);
        double[] v = randomVector(rnd, pr.p);
        double[] rows = new double[pr.b];
        double[] fgn = new double[pr.p];
        double[] full = new double[pr.p];
        hb.jvp(v, rows);
        hb.vjp(rows, fgn);
        hb.ggnProduct(v, full);
        Check.close(full, fgn, 1e-12, "K = 2: A^T A v == G_full v");
        double[] diag = new double[pr.p];
        hb.curvatureDiagonal(HeadBatch.Diagonal.DROPPED, diag);
        assertEquals(0.0, Arrays.stream(diag).map(Math::abs).max().getAsDouble(), 0.0, "K = 2: nothing dropped");
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-300, 1e-12})
    void vjpOfWhitenedResidualIsTheGradient(double wFloor) {
        RandomProblem pr = problem(4);
        HeadBatch hb = pr.batch(wFloor, Parallel.SERIAL);
        double[] atr = new double[pr.p];
        hb.vjp(hb.whitenedResidual(), atr);
        double[] grad = new double[pr.p];
        hb.gradient(pr.wt, 0.0, grad);
        Check.close(grad, atr, 1e-12, "A^T r == data gradient");
        Check.close(pr.gradient(pr.wt, 0.0), grad, 1e-12, "gradient == sum beta (p - e_y) x~^T");
        // dense A^T r
        RealVector dense = pr.whitenedJacobian(pr.wt).transpose().operate(new ArrayRealVector(hb.whitenedResidual(), 0, B));
        Check.close(dense.toArray(), atr, 1e-12, "dense A^T r");
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheObjective() {
        RandomProblem pr = problem(5);
        double gamma = 0.05;
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        double[] grad = new double[pr.p];
        hb.gradient(pr.wt, gamma, grad);
        HeadBatch probe = new HeadBatch(B, D, K, 1e-300, Parallel.SERIAL);
        probe.setBatch(pr.x, pr.y, null, B);
        double[] fd = new double[pr.p];
        double eps = 1e-5;
        for (int t = 0; t < pr.p; t++) {
            double[] wp = pr.wt.clone();
            wp[t] += eps;
            probe.evaluate(wp);
            double fp = probe.objective(wp, gamma);
            double[] wm = pr.wt.clone();
            wm[t] -= eps;
            probe.evaluate(wm);
            double fm = probe.objective(wm, gamma);
            fd[t] = (fp - fm) / (2 * eps);
        }
        Check.close(fd, grad, 1e-8, "gradient vs central differences");
        // the naive objective gives the same differences (independent of HeadBatch)
        double[] fdNaive = new double[pr.p];
        for (int t = 0; t < pr.p; t++) {
            double[] wp = pr.wt.clone();
            wp[t] += eps;
            double[] wm = pr.wt.clone();
            wm[t] -= eps;
            fdNaive[t] = (pr.objective(wp, gamma) - pr.objective(wm, gamma)) / (2 * eps);
        }
        Check.close(fdNaive, grad, 1e-8, "gradient vs central differences of the naive objective");
    }

    /**
     * The JVP of the whitened map is {@code A V} with rows {@code sw_i g_i} at fixed {@code sw}:
     * central differences of the margins {@code m(theta)} along {@code V}, times {@code sw}.
     */
    @Test
    void jvpAndVjpMatchFiniteDifferencesOfTheMarginMap() {
        RandomProblem pr = problem(6);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        double[] sw = Arrays.copyOf(hb.whitening(), B);
        HeadBatch probe = new HeadBatch(B, D, K, 1e-300, Parallel.SERIAL);
        probe.setBatch(pr.x, pr.y, null, B);
        Random rnd = new Random(6);
        double eps = 1e-5;

        double[] v = randomVector(rnd, pr.p);
        double[] jvp = new double[B];
        hb.jvp(v, jvp);
        double[] fd = new double[B];
        double[] plus = marginsAt(probe, axpy(pr.wt, eps, v));
        double[] minus = marginsAt(probe, axpy(pr.wt, -eps, v));
        for (int i = 0; i < B; i++) {
            fd[i] = sw[i] * (plus[i] - minus[i]) / (2 * eps);
        }
        Check.close(fd, jvp, 1e-8, "JVP vs differences of the margin map");

        double[] c = randomVector(rnd, B);
        double[] vjp = new double[pr.p];
        hb.vjp(c, vjp);
        double[] fdv = new double[pr.p];
        for (int t = 0; t < pr.p; t++) {
            double[] e = new double[pr.p];
            e[t] = 1;
            double[] mp = marginsAt(probe, axpy(pr.wt, eps, e));
            double[] mm = marginsAt(probe, axpy(pr.wt, -eps, e));
            double s = 0;
            for (int i = 0; i < B; i++) {
                s += c[i] * sw[i] * (mp[i] - mm[i]) / (2 * eps);
            }
            fdv[t] = s;
        }
        Check.close(fdv, vjp, 1e-8, "VJP vs differences of c . (sw o m)");
    }

    @Test
    void jvpAndVjpMatchTheDenseKroneckerJacobian() {
        RandomProblem pr = problem(7);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        RealMatrix a = pr.whitenedJacobian(pr.wt);
        Random rnd = new Random(7);
        double[] v = randomVector(rnd, pr.p);
        double[] jvp = new double[B];
        hb.jvp(v, jvp);
        Check.close(a.operate(v), jvp, 1e-12, "JVP == A vec(V)");
        double[] c = randomVector(rnd, B);
        double[] vjp = new double[pr.p];
        hb.vjp(c, vjp);
        Check.close(a.transpose().operate(c), vjp, 1e-12, "VJP == A^T c");
        // the logit image and the GGN products
        double[] dz = new double[B * K];
        hb.logitDirection(v, dz);
        double[][] zz = pr.logits(v);
        for (int i = 0; i < B; i++) {
            for (int c2 = 0; c2 < K; c2++) {
                assertEquals(zz[i][c2], dz[i * K + c2], 1e-13, "logit direction X~ V^T");
            }
        }
        double[] ggn = new double[pr.p];
        hb.ggnProduct(v, ggn);
        Check.close(pr.fullCurvature(pr.wt).operate(v), ggn, 1e-12, "G_full v");
        RealVector av = new ArrayRealVector(a.operate(v));
        Check.close(av.dotProduct(av), hb.fgnCurvatureAlong(dz), 1e-12, "||A s||^2 from the logit image");
        Check.close(new ArrayRealVector(v).dotProduct(pr.fullCurvature(pr.wt).operate(new ArrayRealVector(v))),
                hb.ggnCurvatureAlong(dz), 1e-12, "s^T G_full s from the logit image");
    }

    /** ALGORITHM.md §2: A A^T = S [(U U^T) o (X~ X~^T)] S with the closed form of U U^T. */
    @Test
    void hadamardRowMatrixEqualsAAt() {
        RandomProblem pr = problem(8);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        RealMatrix a = pr.whitenedJacobian(pr.wt);
        RealMatrix aat = a.multiply(a.transpose());
        double[] u = hb.marginGradients();
        double[] sw = hb.whitening();
        RealMatrix hadamard = new Array2DRowRealMatrix(B, B);
        for (int i = 0; i < B; i++) {
            for (int l = 0; l < B; l++) {
                double uu = 0;
                for (int c = 0; c < K; c++) {
                    uu += u[i * K + c] * u[l * K + c];
                }
                // closed form [y_i = y_l] - q_i[y_l] - q_l[y_i] + q_i . q_l
                double qq = 0;
                for (int c = 0; c < K; c++) {
                    double qi = c == pr.y[i] ? 0 : -u[i * K + c];
                    double ql = c == pr.y[l] ? 0 : -u[l * K + c];
                    qq += qi * ql;
                }
                double closed = (pr.y[i] == pr.y[l] ? 1 : 0) - (pr.y[l] == pr.y[i] ? 0 : -u[i * K + pr.y[l]])
                        - (pr.y[i] == pr.y[l] ? 0 : -u[l * K + pr.y[i]]) + qq;
                assertEquals(uu, closed, 1e-14, "closed form of (U U^T)_il");
                double xx = 1;
                for (int j = 0; j < D; j++) {
                    xx += pr.x[i * D + j] * pr.x[l * D + j];
                }
                hadamard.setEntry(i, l, sw[i] * sw[l] * uu * xx);
            }
        }
        assertTrue(Check.maxAbs(aat) > 1e-3);
        Check.close(aat, hadamard, 1e-14, "S[(UU^T) o (X~X~^T)]S == A A^T");
    }

    /** Push-through: -A^T (A A^T + lambda I)^-1 r == -(A^T A + lambda I)^-1 g (gamma = 0, Lambda = lambda I). */
    @Test
    void pushThroughRowSolveEqualsParameterSolve() {
        RandomProblem pr = problem(9);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        double lambda = 0.05;
        RealMatrix a = pr.whitenedJacobian(pr.wt);
        RealVector r = new ArrayRealVector(hb.whitenedResidual(), 0, B);
        RealMatrix rowSystem = a.multiply(a.transpose()).add(MatrixUtils.createRealIdentityMatrix(B).scalarMultiply(lambda));
        RealVector v = new CholeskyDecomposition(symmetrise(rowSystem)).getSolver().solve(r);
        double[] sRow = a.transpose().operate(v).mapMultiply(-1).toArray();
        RealMatrix paramSystem = a.transpose().multiply(a)
                .add(MatrixUtils.createRealIdentityMatrix(pr.p).scalarMultiply(lambda));
        double[] g = pr.gradient(pr.wt, 0.0);
        double[] sParam = new CholeskyDecomposition(symmetrise(paramSystem)).getSolver()
                .solve(new ArrayRealVector(g)).mapMultiply(-1).toArray();
        assertTrue(Check.norm(sParam) > 1e-2);
        Check.close(sParam, sRow, 1e-10, "push-through: row-space step == parameter-space step");
        // the library's row solver (Woodbury form) gives the same step
        Damping damping = new Damping(D, K);
        damping.set(lambda, 0.0, null);
        double[] h = new double[pr.p];
        hb.gradient(pr.wt, 0.0, h);
        double[] s = new double[pr.p];
        new FgnRowCholeskySolver().solve(hb, damping, h, s, 0.0);
        Check.close(sParam, s, 1e-9, "FgnRowCholeskySolver == dense parameter solve");
    }

    @Test
    void lineSearchAlongTheLogitImageEqualsReevaluation() {
        RandomProblem pr = problem(10);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        Random rnd = new Random(10);
        double[] s = randomVector(rnd, pr.p);
        double[] dz = new double[B * K];
        hb.logitDirection(s, dz);
        for (double alpha : new double[] {0.0, 0.1, 0.7, -0.3}) {
            Check.close(pr.objective(axpy(pr.wt, alpha, s), 0.0), hb.dataLossAlong(dz, alpha), 1e-12,
                    "data loss along alpha = " + alpha);
        }
        hb.moveLogits(dz, 0.7);
        HeadBatch fresh = new HeadBatch(B, D, K, 1e-300, Parallel.SERIAL);
        fresh.setBatch(pr.x, pr.y, null, B);
        fresh.evaluate(axpy(pr.wt, 0.7, s));
        Check.closePrefix(Arrays.copyOf(fresh.margins(), B), hb.margins(), 1e-12, "margins after moveLogits");
        Check.closePrefix(Arrays.copyOf(fresh.whitenedResidual(), B), hb.whitenedResidual(), 1e-11,
                "r after moveLogits");
    }

    /**
     * The passes on logits kept elsewhere (what {@code FullData} runs per block): the data loss and
     * gradient, the FGN and full-GGN curvatures along a step and the loss along it, match the dense
     * formulas, give the bits of the margin form ({@code setLogits} then {@code dataLoss},
     * {@code gradient}, {@code fgnCurvatureAlong}, {@code ggnCurvatureAlong}, {@code dataLossAlong}),
     * and leave the batch's own margins as they were.
     */
    @Test
    void passesOnKeptLogitsMatchTheDenseFormulasAndTheMarginForm() {
        RandomProblem pr = problem(12);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        double[] before = hb.margins().clone();
        Random rnd = new Random(12);
        double[] s = randomVector(rnd, pr.p);
        double[] moved = axpy(pr.wt, 0.4, s);
        double[] logits = new double[B * K];
        hb.logitsInto(moved, logits);
        double[] dz = new double[B * K];
        hb.logitDirection(s, dz);

        double[] g = new double[pr.p];
        double f = hb.dataLossAndGradientAt(logits, g);
        double sgs = hb.ggnCurvatureAlongAt(logits, dz);
        double sfs = hb.fgnCurvatureAlongAt(logits, dz);
        double[] both = hb.curvaturesAlongAt(logits, dz);
        double[] lossAlong = {hb.dataLossAlongAt(logits, dz, 0.0), hb.dataLossAlongAt(logits, dz, 0.3)};
        assertTrue(Arrays.equals(before, hb.margins()), "the batch's margins are left as they were");
        assertTrue(Arrays.equals(new double[] {sfs, sgs}, both), "both curvatures in one pass: the same bits");
        double[] fs = pr.fgnCurvature(moved).operate(s);
        double fgnReference = 0;
        for (int t = 0; t < pr.p; t++) {
            fgnReference += s[t] * fs[t];
        }
        assertEquals(fgnReference, sfs, 1e-10 * Math.abs(fgnReference), "s^T G_FGN s at the kept logits");
        Check.close(pr.objective(axpy(moved, 0.3, s), 0.0), lossAlong[1], 1e-12, "data loss along from the kept logits");
        Check.close(pr.objective(moved, 0.0), f, 1e-12, "data loss at the kept logits");
        Check.close(pr.gradient(moved, 0.0), g, 1e-12, "gradient at the kept logits");
        double[] gs = pr.fullCurvature(moved).operate(s);
        double reference = 0;
        for (int t = 0; t < pr.p; t++) {
            reference += s[t] * gs[t];
        }
        assertEquals(reference, sgs, 1e-10 * Math.abs(reference), "s^T G s at the kept logits");

        hb.setLogits(logits);
        double[] gMargin = new double[pr.p];
        hb.gradient(moved, 0.0, gMargin);
        assertEquals(hb.dataLoss(), f, 0.0, "same bits as setLogits + dataLoss");
        assertTrue(Arrays.equals(gMargin, g), "same bits as setLogits + gradient");
        assertEquals(hb.ggnCurvatureAlong(dz), sgs, 0.0, "same bits as setLogits + ggnCurvatureAlong");
        assertEquals(hb.fgnCurvatureAlong(dz), sfs, 0.0, "same bits as setLogits + fgnCurvatureAlong");
        assertEquals(hb.dataLossAlong(dz, 0.0), lossAlong[0], 0.0, "same bits as setLogits + dataLossAlong");
        assertEquals(hb.dataLossAlong(dz, 0.3), lossAlong[1], 0.0, "same bits as setLogits + dataLossAlong");
        assertEquals(hb.dataLoss(), lossAlong[0], 0.0, "along at 0: the loss at the logits, bit for bit");
        // the loss along a length is the loss at the logits moved by it (Spark's line pass takes one for the other)
        double[] movedLogits = logits.clone();
        for (int t = 0; t < movedLogits.length; t++) {
            movedLogits[t] += 0.3 * dz[t];
        }
        assertEquals(lossAlong[1], hb.dataLossAndGradientAt(movedLogits, g), 0.0, "along 0.3 = at the moved logits");
    }

    /** The guard: alpha <= pi / max_i spread_i(S x~_i), and that equals rho_a / ||S|| (ALGORITHM.md §3.1). */
    @Test
    void guardCapIsPiOverMaxSpreadAndRadiusOverNorm() {
        RandomProblem pr = RandomProblem.random(11, 64, 10, 5, 1.0);
        HeadBatch hb = pr.batch(1e-300, Parallel.SERIAL);
        Random rnd = new Random(11);
        double[] s = randomVector(rnd, pr.p);
        double[] dz = new double[pr.b * pr.k];
        hb.logitDirection(s, dz);
        double[][] a = pr.logits(s);
        double naiveMax = 0;
        for (double[] row : a) {
            naiveMax = Math.max(naiveMax, Arrays.stream(row).max().getAsDouble() - Arrays.stream(row).min().getAsDouble());
        }
        Check.close(naiveMax, hb.maxSpread(dz), 1e-13, "max spread");
        double cap = Math.PI / hb.maxSpread(dz);
        double norm = Check.norm(s);
        double[] unit = s.clone();
        for (int t = 0; t < unit.length; t++) {
            unit[t] /= norm;
        }
        double[] dzUnit = new double[pr.b * pr.k];
        hb.logitDirection(unit, dzUnit);
        double rhoA = Math.PI / hb.maxSpread(dzUnit);
        Check.close(rhoA / norm, cap, 1e-12, "alpha_max == rho_a / ||S||");
        // at the cap, tau = alpha ||S|| equals the radius: the normalised step r = tau / rho_a is 1
        Check.close(1.0, cap * norm / rhoA, 1e-12, "r = tau / rho_a at the cap");
    }

    @Test
    void extremeLogitsGiveFiniteMarginQuantities() {
        // d = 1 with x = +1 and x = -1 gives logits (800, 0, -5) and (-800, 0, 5); label 0 for both
        double[] wt = {800, 0, 0, 0, -5, 0};
        double[] x = {1, -1};
        int[] y = {0, 0};
        for (double floor : new double[] {1e-300, 1e-12}) {
            HeadBatch hb = new HeadBatch(2, 1, 3, floor, Parallel.SERIAL);
            hb.setBatch(x, y, null, 2);
            hb.evaluate(wt);
            for (int i = 0; i < 2; i++) {
                assertTrue(Double.isFinite(hb.margins()[i]), "m");
                assertTrue(Double.isFinite(hb.losses()[i]), "loss");
                assertTrue(Double.isFinite(hb.whitening()[i]) && hb.whitening()[i] > 0, "sw");
                assertTrue(Double.isFinite(hb.whitenedResidual()[i]), "r");
                assertTrue(Double.isFinite(hb.competitorMass()[i]), "1 - p_y");
                double sum = 0;
                for (int c = 0; c < 3; c++) {
                    assertTrue(Double.isFinite(hb.marginGradients()[i * 3 + c]), "q");
                    sum += hb.probabilities()[i * 3 + c];
                }
                assertEquals(1.0, sum, 1e-15, "probabilities sum to one");
            }
            // m_0 = 800 - log(1 + e^-5), m_1 = -800 - (5 + log(1 + e^-5))
            double lse = Math.log1p(Math.exp(-5));
            assertEquals(800 - lse, hb.margins()[0], 1e-12);
            assertEquals(-805 - lse, hb.margins()[1], 1e-12);
            assertEquals(0.0, hb.losses()[0], 1e-300, "-log p_y of a confident example");
            assertEquals(805 + lse, hb.losses()[1], 1e-12, "-log p_y = LSE(z) - z_y");
            assertEquals(1.0, hb.competitorMass()[1], 0.0);
            // the floor keeps A^T r equal to the gradient even where w underflows
            double[] atr = new double[6];
            hb.vjp(hb.whitenedResidual(), atr);
            double[] grad = new double[6];
            hb.gradient(wt, 0.0, grad);
            Check.close(grad, atr, 1e-12, "A^T r == gradient at extreme margins, floor " + floor);
            assertTrue(Check.norm(grad) > 0.4, "the misclassified example has gradient of order 1/B");
        }
    }

    private static double[] marginsAt(HeadBatch probe, double[] w) {
        probe.evaluate(w);
        return Arrays.copyOf(probe.margins(), probe.rows());
    }

    private static double[] axpy(double[] x, double a, double[] v) {
        double[] out = x.clone();
        for (int t = 0; t < out.length; t++) {
            out[t] += a * v[t];
        }
        return out;
    }

    private static double[] diagonal(RealMatrix m) {
        double[] d = new double[m.getRowDimension()];
        for (int i = 0; i < d.length; i++) {
            d[i] = m.getEntry(i, i);
        }
        return d;
    }

    static RealMatrix symmetrise(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }

    @Test
    void weightProductsAreTheThreeNormsBitForBit() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(29);
        for (int[] shape : new int[][] {{1, 2}, {37, 5}, {300, 3}}) {
            int d = shape[0];
            int k = shape[1];
            double[] wt = new double[k * (d + 1)];
            double[] s = new double[k * (d + 1)];
            for (int t = 0; t < wt.length; t++) {
                wt[t] = rnd.nextDouble() * 2 - 1;
                s[t] = (rnd.nextDouble() - 0.5) * 1e-3;
            }
            double[] products = HeadBatch.weightProducts(wt, s, d, k);
            assertEquals(HeadBatch.weightNormSquared(wt, wt, d, k), products[0], 0.0, "W.W");
            assertEquals(HeadBatch.weightNormSquared(wt, s, d, k), products[1], 0.0, "W.S");
            assertEquals(HeadBatch.weightNormSquared(s, s, d, k), products[2], 0.0, "S.S");
        }
    }

    /**
     * With zero weights (a run's start, or biases alone) the logits are the biases without reading
     * the features, the values the kernels give (a class with bias -0.0 included), on dense and on
     * sparse rows, and the pass is not counted; one nonzero weight reads the features once.
     */
    @Test
    void zeroWeightsGiveTheBiasesWithoutAPass() {
        RandomProblem pr = problem(12);
        double[] x = new double[B * D];
        int[] rowStart = new int[B + 1];
        int[] columns = new int[B * D];
        for (int i = 0; i < B; i++) {
            for (int j = 0; j < D; j++) {
                x[i * D + j] = pr.xt(i, j);
                columns[i * D + j] = j;
            }
            rowStart[i + 1] = (i + 1) * D;
        }
        java.util.Random rnd = new java.util.Random(3);
        for (boolean sparse : new boolean[] {false, true}) {
            for (boolean biases : new boolean[] {false, true}) {
                String what = (sparse ? "sparse" : "dense") + (biases ? ", biases" : ", zero");
                HeadBatch hb = new HeadBatch(B, D, K, 1e-300, Parallel.SERIAL);
                if (sparse) {
                    hb.setBatch(io.github.fastgn.data.CsrFeatures.of(rowStart, columns, x, B, D), pr.y, null, B);
                } else {
                    hb.setBatch(x, pr.y, null, B);
                }
                double[] v = new double[K * (D + 1)];
                if (biases) {
                    for (int c = 0; c < K; c++) {
                        v[c * (D + 1) + D] = c == 1 ? -0.0 : rnd.nextGaussian();
                    }
                }
                long before = hb.rowsRead();
                hb.evaluate(v);
                assertEquals(before, hb.rowsRead(), what + ": no pass");
                double[] expected = new double[B * K];
                io.github.fastgn.internal.linalg.HeadKernels.rowProduct(x, B, D, v, K, expected, Parallel.SERIAL);
                double[] got = Arrays.copyOf(hb.logits(), B * K);
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got, 0.0, what + ": the kernels' values");
                for (int i = 0; i < B; i++) {
                    for (int c = 0; c < K; c++) {
                        assertEquals(0.0 + v[c * (D + 1) + D], got[i * K + c], 0.0, what + ": the bias");
                    }
                }
                v[(K - 1) * (D + 1) + D - 1] = 1e-300; // the last class's last weight
                hb.evaluate(v);
                assertEquals(before + B, hb.rowsRead(), what + ": one pass with a nonzero weight");
                assertEquals(0.0 + v[K * (D + 1) - 1] + x[D - 1] * 1e-300, hb.logits()[K - 1],
                        Math.abs(v[K * (D + 1) - 1]) * 1e-15, what);
            }
        }
    }
}
