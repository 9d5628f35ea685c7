/**
 * The command line of {@code fastgn-all.jar} ({@link io.github.fastgn.cli.Main}): {@code train}
 * (one head on digits or a digits-format CSV, with the per-iteration history, held-out evaluation
 * and an optional comparison with Newton), {@code reproduce} (the experiments of
 * {@code lib/experiments/EXPERIMENTS.md}, as {@code ./reproduce.sh} runs them) and {@code bench}
 * (the race of {@code io.github.fastgn.internal.race}).
 *
 * <p>May import: the JDK, {@code fastgn-core}, {@code io.github.fastgn.experiment} and
 * {@code io.github.fastgn.internal.race}: this is the top of the dependency graph, and nothing imports it.
 * Never Tribuo.
 */
package io.github.fastgn.cli;
