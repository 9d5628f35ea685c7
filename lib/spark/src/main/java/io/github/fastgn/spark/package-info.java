/**
 * FastGN as a Spark ML estimator: {@link io.github.fastgn.spark.FGNClassifier} (a
 * {@code ProbabilisticClassifier}) and {@link io.github.fastgn.spark.FGNClassificationModel}, with
 * {@link io.github.fastgn.spark.FGNParams} (every hyper-parameter made from its definition in
 * {@code io.github.fastgn.optim.FgnOptions}). The fit runs the core's FGN loop through the
 * internal {@code ExternalRows} interface: losses, gradients and line searches are Spark jobs over
 * the cached partitions, the steps are solved on the driver from a seeded sample.
 *
 * <p>May import: Spark (provided by {@code spark-submit}), {@code io.github.fastgn} (the model),
 * {@code optim}, {@code data}, {@code internal.head} and {@code internal.linalg} (the kernels the
 * partitions are evaluated with), and {@code tribuo} (the conversion to a Tribuo model). Never
 * XChart or the experiments module.
 */
package io.github.fastgn.spark;
