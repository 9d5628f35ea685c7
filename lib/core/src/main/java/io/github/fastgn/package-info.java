/**
 * FastGN: Fast Gauss-Newton training of linear softmax heads (multinomial logistic regression on
 * fixed features). {@link io.github.fastgn.SoftmaxHeadTrainer} is the plain-array entry point:
 * it standardises the features, runs {@link io.github.fastgn.optim.FgnOptimizer} and folds the
 * scaling back into the returned {@link io.github.fastgn.SoftmaxModel};
 * {@link io.github.fastgn.data.Standardizer} is that feature map and
 * {@link io.github.fastgn.SoftmaxObjective} evaluates the objective at a point.
 *
 * <p>The algorithm is described in {@code lib/core/ALGORITHM.md}. Packages of the
 * {@code fastgn-core} module that users call: this one, {@code optim} (the Levenberg-Marquardt
 * trainer, its options, results and listeners), {@code baseline} (first-order methods and
 * L-BFGS), {@code data} (the data type, loaders, feature maps, synthetic data) and
 * {@code notebook} (notebook adapters). Below them, in packages named {@code internal} (public only
 * so that FastGN's other modules can use them; not an API): {@code internal.linalg} (kernels,
 * Cholesky, CG), {@code internal.head} (the head and its per-example margin quantities),
 * {@code internal.solver} (damped step solvers) and {@code internal.optim} (the run scaffold the
 * optimizers share).
 *
 * <p>May import: the JDK, Commons Math and the other packages of {@code fastgn-core}. Like the
 * rest of the module it never imports Tribuo, XChart, or the experiments module.
 */
package io.github.fastgn;
