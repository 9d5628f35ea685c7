package io.github.fastgn.experiment;

import io.github.fastgn.internal.head.HeadBatch;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.Arrays;

/**
 * Dense {@code P x P} curvature matrices of a small head, built column by column from the
 * matrix-free products (Commons Math for the factorisations): for the spectrum and exactness
 * checks of the mechanism experiment. Only for small {@code P = K (d+1)}: each matrix takes
 * {@code P} products and {@code P^2} doubles.
 *
 * <p>The matrices are indexed like the library's parameters, row-major {@code K x D}
 * ({@code [W | b]}, {@code D = d + 1}), and are those of the data term (no L2), normalised by the
 * batch's example weights ({@code 1/B} each when unweighted).
 */
public final class DenseCurvature {

    private DenseCurvature() {
    }

    /**
     * {@code G_full}, the full GGN of the data term; for a linear head, its exact Hessian.
     *
     * @param batch a head with its batch set and evaluated
     */
    public static RealMatrix full(HeadBatch batch) {
        int p = batch.classes() * (batch.featureCount() + 1);
        double[][] g = new double[p][];
        double[] e = new double[p];
        for (int c = 0; c < p; c++) {
            Arrays.fill(e, 0);
            e[c] = 1;
            g[c] = new double[p];
            batch.ggnProduct(e, g[c]);
        }
        return symmetrised(g);
    }

    /**
     * {@code G_FGN = A^T A}, the FGN curvature: the GGN of the scalar margins, rank one per example.
     *
     * @param batch a head with its batch set and evaluated
     */
    public static RealMatrix fgn(HeadBatch batch) {
        int p = batch.classes() * (batch.featureCount() + 1);
        double[][] g = new double[p][];
        double[] e = new double[p];
        double[] rows = new double[batch.rows()];
        for (int c = 0; c < p; c++) {
            Arrays.fill(e, 0);
            e[c] = 1;
            g[c] = new double[p];
            batch.jvp(e, rows);
            batch.vjp(rows, g[c]);
        }
        return symmetrised(g);
    }

    /**
     * The generalised spectrum of {@code (A, B)}: the eigenvalues of {@code L^-1 A L^-T} where
     * {@code L L^T = B}, in increasing order.
     *
     * @param a symmetric
     * @param b symmetric positive definite
     */
    public static double[] generalisedEigenvalues(RealMatrix a, RealMatrix b) {
        RealMatrix l = new CholeskyDecomposition(b, 1e-14, 0).getL();
        RealMatrix li = new org.apache.commons.math3.linear.QRDecomposition(l).getSolver().getInverse();
        RealMatrix c = li.multiply(a).multiply(li.transpose());
        double[] ev = new EigenDecomposition(symmetrised(c.getData())).getRealEigenvalues();
        Arrays.sort(ev);
        return ev;
    }

    /** The smallest eigenvalue of a symmetric matrix. */
    public static double minEigenvalue(RealMatrix m) {
        double[] ev = new EigenDecomposition(m).getRealEigenvalues();
        return Arrays.stream(ev).min().orElse(0);
    }

    /** The largest absolute entry of a matrix. */
    public static double maxAbs(RealMatrix m) {
        double best = 0;
        for (double[] row : m.getData()) {
            for (double v : row) {
                best = Math.max(best, Math.abs(v));
            }
        }
        return best;
    }

    private static RealMatrix symmetrised(double[][] g) {
        int p = g.length;
        double[][] s = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                s[i][j] = 0.5 * (g[i][j] + g[j][i]);
            }
        }
        return new Array2DRowRealMatrix(s, false);
    }
}
