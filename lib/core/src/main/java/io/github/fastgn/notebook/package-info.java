/**
 * Small adapters for Java notebooks (IJava, JJava, the rapaio kernel), such as
 * {@link io.github.fastgn.notebook.NotebookProgress}, a training listener that redraws one progress
 * line. They call back into functions the notebook passes in, such as the kernel's
 * {@code updateDisplay}, so the library itself stays independent of any kernel and never prints.
 *
 * <p>May import: the JDK and {@code io.github.fastgn.optim} (the listener types). Never a notebook
 * kernel's classes, Tribuo, XChart or the experiments module.
 */
package io.github.fastgn.notebook;
