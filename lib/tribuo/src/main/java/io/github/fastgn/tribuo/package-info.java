/**
 * Tribuo integration: {@link io.github.fastgn.tribuo.FGNTrainer}, a Tribuo {@code Trainer<Label>}
 * that trains with FastGN and returns a standard {@code LinearSGDModel}, and
 * {@link io.github.fastgn.tribuo.TribuoData}, which turns FastGN's plain arrays into Tribuo
 * datasets. This is the only package of FastGN that imports Tribuo.
 *
 * <p>The trainer's hyper-parameters are OLCUT {@code @Config} fields mapped onto
 * {@link io.github.fastgn.optim.FgnOptions}; training diagnostics go into the model provenance.
 * Sparse Tribuo datasets are read into compressed sparse rows ({@code DatasetReader}), never densified.
 *
 * <p>May import: the JDK, Tribuo (and the OLCUT and protobuf types its API exposes) and
 * {@code fastgn-core} ({@code io.github.fastgn}, {@code data}, {@code optim}, {@code solver}).
 * Never XChart or the experiments module, and nothing in {@code fastgn-core} imports it.
 */
package io.github.fastgn.tribuo;
