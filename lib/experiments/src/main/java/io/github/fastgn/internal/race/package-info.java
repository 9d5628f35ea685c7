/**
 * Races FastGN against a reference optimum on the peer benchmark harness's data sets
 * ({@code lib/experiments/src/bench/peers}): {@link io.github.fastgn.internal.race.RaceData} reads a set in
 * the harness's raw format, {@link io.github.fastgn.internal.race.RaceConfig} is the one place that fixes the
 * objective and the stop (everything else is FastGN's default),
 * {@link io.github.fastgn.internal.race.RaceEntry} trains through a public entry point (the plain-array
 * {@code SoftmaxHeadTrainer} or the Tribuo {@code FGNTrainer}), and
 * {@link io.github.fastgn.internal.race.RaceRunner} times runs to {@code f <= f*(1 + 1e-4)} and prints the
 * harness's {@code RESULT} line format with passes over the data and peak memory.
 * {@link io.github.fastgn.internal.race.BigDense} is the {@code bigdense} set (no peer): a seeded float
 * matrix bigger than the heap, written as a mapped matrix file and trained on from it.
 *
 * <p>May import: the JDK, {@code fastgn-core} ({@code io.github.fastgn}, {@code data}, {@code optim}, and
 * {@code internal.linalg} for the name of the kernels in use), {@code io.github.fastgn.tribuo} and Tribuo.
 * Never {@code experiment}, {@code cli}, {@code plot} or XChart.
 */
package io.github.fastgn.internal.race;
