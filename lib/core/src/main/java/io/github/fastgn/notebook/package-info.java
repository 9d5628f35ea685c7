/**
 * Small adapters for Java notebooks (IJava, JJava, the rapaio kernel). They call back into
 * functions the notebook passes in, such as the kernel's {@code updateDisplay}, so the library
 * itself stays independent of any kernel and never prints.
 */
package io.github.fastgn.notebook;
