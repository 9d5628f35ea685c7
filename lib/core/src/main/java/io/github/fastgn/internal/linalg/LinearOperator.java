package io.github.fastgn.internal.linalg;

/**
 * A symmetric linear operator {@code y = M x} on {@code R^n}, given only through products.
 *
 * <p>The shape of Commons Math's {@code RealLinearOperator}, but on plain arrays with the output
 * passed in, so that a conjugate-gradient loop allocates nothing per iteration.
 * {@link #asRealLinearOperator()} adapts it to Commons Math for cross-checking.
 */
public interface LinearOperator {

    /** The dimension {@code n}. */
    int dimension();

    /** Writes {@code M x} into {@code y}; {@code x} is not modified and never aliases {@code y}. */
    void apply(double[] x, double[] y);

    /** This operator as a Commons Math operator (allocates per call; for tests and interop). */
    default org.apache.commons.math3.linear.RealLinearOperator asRealLinearOperator() {
        LinearOperator self = this;
        return new org.apache.commons.math3.linear.RealLinearOperator() {
            @Override
            public int getRowDimension() {
                return self.dimension();
            }

            @Override
            public int getColumnDimension() {
                return self.dimension();
            }

            @Override
            public org.apache.commons.math3.linear.RealVector operate(org.apache.commons.math3.linear.RealVector x) {
                double[] y = new double[self.dimension()];
                self.apply(x.toArray(), y);
                return new org.apache.commons.math3.linear.ArrayRealVector(y, false);
            }
        };
    }
}
