package io.github.fastgn.internal.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Damping}'s diagonal and its reciprocal, formed on demand, follow every {@link Damping#set}, with
 * the bias scale on the biases only.
 */
class DampingTest {

    private static void check(Damping damping, int d, int k, double lambda, double gamma, double[] extra) {
        check(damping, d, k, lambda, gamma, 1.0, extra);
    }

    private static void check(Damping damping, int d, int k, double lambda, double gamma, double biasScale,
                              double[] extra) {
        int dd = d + 1;
        double[] diag = damping.diagonal();
        double[] inv = damping.inverse();
        for (int c = 0; c < k; c++) {
            for (int j = 0; j <= d; j++) {
                int t = c * dd + j;
                double want = (j < d ? lambda + gamma : lambda * biasScale) + (extra == null ? 0.0 : extra[t]);
                assertEquals(want, diag[t], 0.0, "Lambda[" + c + "][" + j + "]");
                assertEquals(1.0 / want, inv[t], 0.0, "1 / Lambda[" + c + "][" + j + "]");
            }
        }
    }

    @Test
    void everySetGivesItsDiagonalAndReciprocal() {
        int d = 5;
        int k = 3;
        Damping damping = new Damping(d, k);
        damping.set(0.3, 0.01, null);
        assertTrue(damping.isUniform());
        check(damping, d, k, 0.3, 0.01, null);
        // a new damping after the reciprocals were read: both follow it
        damping.set(1e-7, 2.5, null);
        check(damping, d, k, 1e-7, 2.5, null);
        double[] extra = new double[k * (d + 1)];
        for (int t = 0; t < extra.length; t++) {
            extra[t] = 0.1 * t;
        }
        damping.set(0.2, 0.05, extra);
        assertFalse(damping.isUniform());
        check(damping, d, k, 0.2, 0.05, extra);
        damping.set(0.4, 0.0, null);
        assertTrue(damping.isUniform());
        check(damping, d, k, 0.4, 0.0, null);
        assertEquals(0.4, damping.weightDamping(), 0.0);
        assertEquals(0.4, damping.biasDamping(), 0.0);
    }

    @Test
    void theBiasScaleDampsTheBiasesOnly() {
        int d = 4;
        int k = 3;
        Damping damping = new Damping(d, k);
        damping.setBiasScale(0.1);
        damping.set(0.3, 0.01, null);
        assertTrue(damping.isUniform());
        check(damping, d, k, 0.3, 0.01, 0.1, null);
        assertEquals(0.3 + 0.01, damping.weightDamping(), 0.0);
        assertEquals(0.3 * 0.1, damping.biasDamping(), 0.0);
        double[] extra = new double[k * (d + 1)];
        for (int t = 0; t < extra.length; t++) {
            extra[t] = 0.01 * t;
        }
        damping.set(0.2, 0.05, extra);
        check(damping, d, k, 0.2, 0.05, 0.1, extra);
        // the uniform fill and the general loop give the same bits
        double[] zeros = new double[k * (d + 1)];
        damping.set(0.7, 0.03, zeros);
        double[] general = damping.diagonal().clone();
        damping.set(0.7, 0.03, null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(general, damping.diagonal());
        assertThrows(IllegalArgumentException.class, () -> damping.setBiasScale(0.0));
        assertThrows(IllegalArgumentException.class, () -> damping.setBiasScale(1.5));
        assertThrows(IllegalArgumentException.class, () -> damping.setBiasScale(Double.NaN));
    }

    @Test
    void refusesANonPositiveDamping() {
        Damping damping = new Damping(2, 2);
        assertThrows(IllegalArgumentException.class, () -> damping.set(0.0, 0.1, null));
        assertThrows(IllegalArgumentException.class, () -> damping.set(0.1, -1e-3, null));
        assertThrows(IllegalArgumentException.class, () -> damping.set(Double.NaN, 0.1, null));
    }
}
