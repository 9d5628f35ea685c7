/**
 * The methods FGN is compared with, on the same head and objective (ALGORITHM.md §4): first-order
 * updates ({@link io.github.fastgn.baseline.FirstOrderOptimizer} with an
 * {@link io.github.fastgn.baseline.UpdateRule}: SGD with momentum, Adam, normalised GD, clipped
 * GD; learning-rate schedules including spikes), {@link io.github.fastgn.baseline.Lbfgs}, online
 * gradient regression ({@link io.github.fastgn.baseline.Ogr}, ALGORITHM.md §5) and the natural and
 * hybrid stochastic Newton methods ({@link io.github.fastgn.baseline.StochasticNewton}, §6), all
 * configured by {@link io.github.fastgn.baseline.FirstOrderOptions}.
 *
 * <p>May import: the JDK, {@code io.github.fastgn.internal.linalg}, {@code io.github.fastgn.internal.head},
 * {@code io.github.fastgn.internal.solver} (L-BFGS's convergence certificate, a Newton decrement),
 * {@code io.github.fastgn.internal.optim} and {@code io.github.fastgn.optim} (the shared optimizer types). Never Tribuo, XChart or the
 * experiments module.
 */
package io.github.fastgn.baseline;
