/**
 * The trainer: {@link io.github.fastgn.optim.FgnOptimizer}, Levenberg-Marquardt training of a
 * linear softmax head with FGN (or full-GGN) steps, the Ghosts-of-Softmax guard and an Armijo
 * search (ALGORITHM.md §3), configured by {@link io.github.fastgn.optim.FgnOptions}. Also the types
 * every optimizer of the library shares: {@link io.github.fastgn.optim.HeadOptimizer}, the
 * per-iteration {@link io.github.fastgn.optim.IterationRecord}, the
 * {@link io.github.fastgn.optim.TrainingResult} and {@link io.github.fastgn.optim.StopReason}, and
 * listeners ({@link io.github.fastgn.optim.LoggingListener}); the options' definitions
 * ({@link io.github.fastgn.optim.OptionSpec}, one per hyper-parameter, that every API maps onto).
 *
 * <p>May import: the JDK, {@code io.github.fastgn.internal.linalg}, {@code io.github.fastgn.internal.head} and
 * {@code io.github.fastgn.internal.solver}, {@code io.github.fastgn.internal.optim} and
 * {@code io.github.fastgn.data}. Never {@code baseline} (the baselines depend on this package),
 * Tribuo, XChart or the experiments module.
 */
package io.github.fastgn.optim;
