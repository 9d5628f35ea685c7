package io.github.fastgn.internal.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateBackoffTest {

    @Test
    void aFirstCertificateIsDueAsSoonAsTheCheapEstimateIsWithinTheBound() {
        CertificateBackoff backoff = new CertificateBackoff();
        assertTrue(Double.isNaN(backoff.waitEstimate(1e-7, 1e-6)));
        assertTrue(Double.isNaN(backoff.waitEstimate(1e-6, 1e-6)));
    }

    @Test
    void aFailedCertificateWaitsLog2OfItsRatioStepsThenTriesAgain() {
        CertificateBackoff backoff = new CertificateBackoff();
        double bound = 1e-6;
        double cheap = 0.5e-6;
        backoff.certified(256 * cheap, cheap, bound); // the gap was 256 times the cheap estimate
        int waited = 0;
        double estimate;
        while (!Double.isNaN(estimate = backoff.waitEstimate(cheap, bound))) {
            assertTrue(estimate > bound, "a waiting estimate stays above the bound: " + estimate);
            waited++;
        }
        // ratio 256 -> 128 -> ... -> 2, then 2 * cheap = bound is due: 7 waiting steps
        assertEquals(7, waited);
    }

    @Test
    void aSmallerCheapEstimateShortensTheWaitAndASuccessResetsIt() {
        CertificateBackoff backoff = new CertificateBackoff();
        double bound = 1e-6;
        backoff.certified(1e-3, 1e-7, bound); // ratio 1e4
        assertEquals(1e-3, backoff.waitEstimate(1e-7, bound), 1e-18);
        assertTrue(Double.isNaN(backoff.waitEstimate(1e-10, bound)), "1e-10 * 5e3 is within the bound");
        backoff.certified(1e-7, 1e-8, bound);
        assertTrue(Double.isNaN(backoff.waitEstimate(0.9e-6, bound)));
    }

    @Test
    void aSolveThatDidNotFinishWaitsAFewStepsAndANotConvergedOneAtLeastOne() {
        CertificateBackoff backoff = new CertificateBackoff();
        double bound = 1e-6;
        backoff.certified(Double.NaN, 1e-7, bound);
        int waited = 0;
        while (!Double.isNaN(backoff.waitEstimate(0.9e-6, bound))) {
            waited++;
        }
        assertEquals(4, waited); // 16 -> 8 -> 4 -> 2 -> 1
        backoff.certified(1.01e-6, 0.9e-6, bound); // barely not converged: ratio 2
        assertEquals(1.8e-6, backoff.waitEstimate(0.9e-6, bound), 1e-18);
    }
}
