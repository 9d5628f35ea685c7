/**
 * The reproduction: the experiments (a) mechanism, (b) fixed-feature heads, (c) per-step cost
 * against K and (d) safe steps, each an {@link io.github.fastgn.experiment.Experiment} run at a
 * {@link io.github.fastgn.experiment.Preset} that records claims with a PASS rule, CSV tables and
 * figures through an {@link io.github.fastgn.experiment.ExperimentContext};
 * {@link io.github.fastgn.experiment.Reproduction} runs them and writes {@code report.md}. The
 * design, every claim and its PASS rule are described in {@code lib/experiments/EXPERIMENTS.md}.
 *
 * <p>May import: the JDK, Commons Math (dense reference matrices), XChart (only to hand charts to
 * {@code io.github.fastgn.plot}), {@code io.github.fastgn.plot} and every package of
 * {@code fastgn-core}. Never Tribuo, and never {@code race} or {@code cli} (they sit above it).
 */
package io.github.fastgn.experiment;
