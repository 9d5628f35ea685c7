package io.github.fastgn.internal.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Damping}'s diagonal and its reciprocal, formed on demand, follow every {@link Damping#set}. */
class DampingTest {

    private static void check(Damping damping, int d, int k, double lambda, double gamma, double[] extra) {
        int dd = d + 1;
        double[] diag = damping.diagonal();
        double[] inv = damping.inverse();
        for (int c = 0; c < k; c++) {
            for (int j = 0; j <= d; j++) {
                int t = c * dd + j;
                double want = lambda + (j < d ? gamma : 0.0) + (extra == null ? 0.0 : extra[t]);
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
    void refusesANonPositiveDamping() {
        Damping damping = new Damping(2, 2);
        assertThrows(IllegalArgumentException.class, () -> damping.set(0.0, 0.1, null));
        assertThrows(IllegalArgumentException.class, () -> damping.set(0.1, -1e-3, null));
        assertThrows(IllegalArgumentException.class, () -> damping.set(Double.NaN, 0.1, null));
    }
}
