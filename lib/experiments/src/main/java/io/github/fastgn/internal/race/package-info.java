/**
 * Races FastGN against a reference optimum on the peer benchmark harness's data sets
 * ({@code lib/experiments/src/bench/peers}): {@link io.github.fastgn.internal.race.RaceData} reads a set in
 * the harness's raw format, {@link io.github.fastgn.internal.race.RaceConfig} is the one place that fixes the
 * objective and FastGN's settings per set, and {@link io.github.fastgn.internal.race.RaceRunner} times runs
 * to {@code f <= f*(1 + 1e-4)} and prints the harness's {@code RESULT} line format.
 *
 * <p>May import: the JDK and {@code fastgn-core} (in practice {@code io.github.fastgn.optim}).
 * Never {@code experiment}, {@code cli}, {@code plot}, Tribuo or XChart.
 */
package io.github.fastgn.internal.race;
