package io.github.fastgn.testing;

import org.apache.commons.math3.linear.RealMatrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Tolerance assertions with informative messages. */
public final class Check {

    private Check() {
    }

    /** {@code max|a - e| <= relTol * max(max|e|, floor)}. */
    public static void close(double[] expected, double[] actual, double relTol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double err = maxAbsDiff(expected, actual, expected.length);
        if (!(err <= relTol * Math.max(scale, Double.MIN_NORMAL))) {
            fail(what + ": max abs error " + err + " exceeds " + relTol + " x scale " + scale);
        }
    }

    /** As {@link #close(double[], double[], double, String)} on the first {@code n} entries of {@code actual}. */
    public static void closePrefix(double[] expected, double[] actual, double relTol, String what) {
        double[] a = new double[expected.length];
        System.arraycopy(actual, 0, a, 0, expected.length);
        close(expected, a, relTol, what);
    }

    public static void close(double expected, double actual, double relTol, String what) {
        double err = Math.abs(expected - actual);
        if (!(err <= relTol * Math.max(Math.abs(expected), Double.MIN_NORMAL))) {
            fail(what + ": expected " + expected + " but got " + actual + " (relative error "
                    + err / Math.abs(expected) + " > " + relTol + ")");
        }
    }

    public static void close(RealMatrix expected, RealMatrix actual, double absTol, String what) {
        assertEquals(expected.getRowDimension(), actual.getRowDimension(), what + ": rows");
        assertEquals(expected.getColumnDimension(), actual.getColumnDimension(), what + ": columns");
        double err = maxAbs(expected.subtract(actual));
        if (!(err <= absTol)) {
            fail(what + ": max abs error " + err + " exceeds " + absTol);
        }
    }

    public static double maxAbs(RealMatrix m) {
        double s = 0;
        for (int i = 0; i < m.getRowDimension(); i++) {
            for (int j = 0; j < m.getColumnDimension(); j++) {
                s = Math.max(s, Math.abs(m.getEntry(i, j)));
            }
        }
        return s;
    }

    public static double maxAbsDiff(double[] a, double[] b, int n) {
        double err = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.abs(a[i] - b[i]);
            if (Double.isNaN(e)) {
                return Double.NaN;
            }
            err = Math.max(err, e);
        }
        return err;
    }

    public static double norm(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** Relative 2-norm difference {@code ||a - e|| / ||e||}. */
    public static double relativeError(double[] expected, double[] actual) {
        double s = 0;
        for (int i = 0; i < expected.length; i++) {
            s += (expected[i] - actual[i]) * (expected[i] - actual[i]);
        }
        return Math.sqrt(s) / norm(expected);
    }

    /**
     * Head parameters {@code [W | b]} ({@code k x (d+1)}) with the mean bias subtracted from every bias:
     * adding one constant to all biases leaves the softmax and the (bias-unpenalised) objective
     * unchanged, so only centred biases are unique and only they can be compared between optima.
     */
    public static double[] centredBiases(double[] w, int k, int d) {
        double[] out = w.clone();
        double mean = 0;
        for (int c = 0; c < k; c++) {
            mean += w[c * (d + 1) + d] / k;
        }
        for (int c = 0; c < k; c++) {
            out[c * (d + 1) + d] -= mean;
        }
        return out;
    }
}
