/**
 * The run scaffold every optimizer of the library shares (FGN, Newton, L-BFGS and the first-order
 * rules): {@link io.github.fastgn.internal.optim.TrainingRun} keeps the clock, the history, the
 * listeners and the logging of one run and applies the
 * {@link io.github.fastgn.internal.optim.StopRules} (the optimality-gap test, iteration and time
 * budgets, stall, target objective) and the final divergence check. Internal: public only for
 * {@code io.github.fastgn.optim} and {@code io.github.fastgn.baseline}, not an API.
 * <p>May import: the JDK and the result and listener types of {@code io.github.fastgn.optim}.
 * Never the solvers, Tribuo, XChart or the experiments module.
 */
package io.github.fastgn.internal.optim;
