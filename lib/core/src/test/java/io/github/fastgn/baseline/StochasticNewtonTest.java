package io.github.fastgn.baseline;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.data.Standardizer;
import io.github.fastgn.data.Synthetic;
import io.github.fastgn.optim.FgnOptimizer;
import io.github.fastgn.optim.FgnOptions;
import io.github.fastgn.optim.TrainingResult;
import io.github.fastgn.testing.Check;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The stochastic Newton methods: their recursion against a reference written from the paper's
 * formulas with explicit matrices and direct inverses (every order of a few examples, since the
 * stream shuffles), and their limit against Newton's optimum.
 */
class StochasticNewtonTest {

    static LabelledData standardised(LabelledData raw) {
        int n = raw.size();
        int d = raw.featureCount();
        return new LabelledData(Standardizer.fit(raw.features(), n, d).transform(raw.features(), n), raw.labels(),
                null, n, d, raw.classCount());
    }

    /** theta after the examples in {@code order}, with S^-1 computed by LU of S = I + sum c Phi Phi^T. */
    static double[][] reference(LabelledData data, int[] order, double beta, double l2) {
        int d = data.featureCount();
        int k = data.classCount();
        int cols = d + 1;
        boolean binary = k == 2;
        int q = binary ? cols : k * cols;
        double[][] s = new double[q][q];
        for (int i = 0; i < q; i++) {
            s[i][i] = 1;
        }
        double[] theta = new double[q];
        for (int idx : order) {
            double[] phi = new double[cols];
            System.arraycopy(data.features(), idx * d, phi, 0, d);
            phi[d] = 1;
            int y = data.labels()[idx];
            double[] grad = new double[q];
            if (binary) {
                double z = 0;
                for (int j = 0; j < cols; j++) {
                    z += theta[j] * phi[j];
                }
                double pi = 1 / (1 + Math.exp(-z));
                double c = (1 - beta) * pi * (1 - pi) + beta * (pi - y) * (pi - y);
                for (int i = 0; i < q; i++) {
                    for (int j = 0; j < q; j++) {
                        s[i][j] += c * phi[i] * phi[j];
                    }
                    grad[i] = (pi - y) * phi[i] + (i < d ? 0.5 * l2 * theta[i] : 0);
                }
            } else {
                double[] z = new double[k];
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < cols; j++) {
                        z[c] += theta[c * cols + j] * phi[j];
                    }
                    sum += Math.exp(z[c]);
                }
                double[] pi = new double[k];
                for (int c = 0; c < k; c++) {
                    pi[c] = Math.exp(z[c]) / sum;
                }
                // natural: (diag pi - pi pi^T) (x) phi phi^T; gradient: r r^T with r = (pi - e_y) (x) phi
                for (int a = 0; a < k; a++) {
                    for (int b = 0; b < k; b++) {
                        double nat = (a == b ? pi[a] : 0) - pi[a] * pi[b];
                        double res = (pi[a] - (a == y ? 1 : 0)) * (pi[b] - (b == y ? 1 : 0));
                        double c = (1 - beta) * nat + beta * res;
                        for (int i = 0; i < cols; i++) {
                            for (int j = 0; j < cols; j++) {
                                s[a * cols + i][b * cols + j] += c * phi[i] * phi[j];
                            }
                        }
                    }
                    for (int i = 0; i < cols; i++) {
                        grad[a * cols + i] = (pi[a] - (a == y ? 1 : 0)) * phi[i]
                                + (i < d ? l2 * theta[a * cols + i] : 0);
                    }
                }
            }
            RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(s)).getSolver().getInverse();
            double[] step = inv.operate(grad);
            for (int i = 0; i < q; i++) {
                theta[i] -= step[i];
            }
        }
        RealMatrix inv = new LUDecomposition(new Array2DRowRealMatrix(s)).getSolver().getInverse();
        double[] flat = new double[q * q];
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < q; j++) {
                flat[i * q + j] = inv.getEntry(i, j);
            }
        }
        return new double[][] {theta, flat};
    }

    static void permutations(int[] a, int m, List<int[]> out) {
        if (m == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = m; i < a.length; i++) {
            int t = a[m];
            a[m] = a[i];
            a[i] = t;
            permutations(a, m + 1, out);
            a[i] = a[m];
            a[m] = t;
        }
    }

    static void matchesOneOrder(LabelledData data, double beta, double l2) {
        int n = data.size();
        int k = data.classCount();
        int cols = data.featureCount() + 1;
        double[][] inverse = new double[1][];
        FirstOrderOptions o = FirstOrderOptions.builder().mode(FgnOptions.Mode.MINIBATCH).batchSize(n)
                .maxIterations(1).hybridWeight(beta).l2(l2).seed(9).build();
        TrainingResult r = new StochasticNewton(o).addInverseListener((m, inv, q) -> inverse[0] = inv.clone())
                .optimize(data);
        double[] theta = new double[k == 2 ? cols : k * cols];
        for (int j = 0; j < theta.length; j++) {
            theta[j] = k == 2 ? r.weights()[cols + j] - r.weights()[j] : r.weights()[j];
        }
        List<int[]> orders = new ArrayList<>();
        permutations(java.util.stream.IntStream.range(0, n).toArray(), 0, orders);
        double best = Double.POSITIVE_INFINITY;
        for (int[] order : orders) {
            double[][] ref = reference(data, order, beta, l2);
            double err = Check.maxAbsDiff(ref[0], theta, theta.length) + Check.maxAbsDiff(ref[1], inverse[0],
                    ref[1].length);
            best = Math.min(best, err);
        }
        if (!(best < 1e-10)) {
            fail("no order of the " + n + " examples reproduces the run: closest differs by " + best);
        }
    }

    @Test
    void binaryRecursionIsThePapers() {
        LabelledData data = standardised(Synthetic.gaussianPrototypes(5, 3, 2, 1.0, 2));
        matchesOneOrder(data, 0.5, 0.0);
        matchesOneOrder(data, 0.0, 0.1);
        matchesOneOrder(data, 1.0, 0.0);
    }

    @Test
    void multinomialRecursionIsTheStatedExtension() {
        LabelledData data = standardised(Synthetic.gaussianPrototypes(5, 2, 3, 1.0, 4));
        matchesOneOrder(data, 0.5, 0.0);
        matchesOneOrder(data, 0.0, 0.05);
    }

    @Test
    void reachesTheNewtonOptimum() {
        for (int k : new int[] {2, 3}) {
            LabelledData data = standardised(Synthetic.gaussianPrototypes(200, 4, k, 2.0, 7));
            double l2 = 1e-2;
            TrainingResult newton = new FgnOptimizer(FgnOptions.builder().l2(l2).standardize(false).solver("newton")
                    .tolerance(1e-13).build()).optimize(data);
            for (double beta : new double[] {0.0, 0.5}) {
                TrainingResult r = new StochasticNewton(FirstOrderOptions.builder().mode(FgnOptions.Mode.MINIBATCH)
                        .batchSize(50).maxIterations(4 * 200).hybridWeight(beta).l2(l2).build()).optimize(data);
                double gap = (r.objective() - newton.objective()) / newton.objective();
                assertTrue(gap >= -1e-12 && gap < 1e-4, "K=" + k + " weight " + beta + ": relative gap " + gap);
            }
        }
    }

    @Test
    void badInputIsRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StochasticNewton(FirstOrderOptions.builder().build()));
        assertTrue(e.getMessage().contains("MINIBATCH"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FirstOrderOptions.builder().hybridWeight(1.5));
        assertThrows(IllegalArgumentException.class, () -> new StochasticNewton(FirstOrderOptions.builder()
                .mode(FgnOptions.Mode.MINIBATCH).build()).addInverseListener(null));
    }
}
