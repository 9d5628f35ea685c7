package io.github.fastgn.internal.linalg;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses the kernel implementation once per JVM, in the manner of Lucene's
 * {@code VectorizationProvider}.
 *
 * <ol>
 *   <li>System property {@code fastgn.vector=false}: the scalar kernels, silently.</li>
 *   <li>Otherwise, if module {@code jdk.incubator.vector} is in the boot layer (the JVM was
 *       started with {@code --add-modules jdk.incubator.vector}) and its preferred vector shape
 *       holds at least two doubles, {@code VectorKernels}, loaded reflectively so that this
 *       class and the whole library load and run on a JVM without the module.</li>
 *   <li>Otherwise the scalar kernels, with one INFO line through {@code java.util.logging}
 *       (logger {@code io.github.fastgn.internal.linalg}) saying how to get the fast path.</li>
 * </ol>
 */
final class KernelProvider {

    /** The system property that can force the scalar kernels ({@code -Dfastgn.vector=false}). */
    static final String PROPERTY = "fastgn.vector";
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String HINT = "Vector API not available; using scalar kernels. "
            + "Run the JVM with --add-modules jdk.incubator.vector for faster training";

    private static final Logger LOG = Logger.getLogger("io.github.fastgn.internal.linalg");
    private static final Kernels SCALAR = new ScalarKernels();
    /** The vector kernels, or null when the module is absent or unusable (ignores the property). */
    private static final Kernels VECTOR = loadVector();
    private static final Kernels SELECTED = select();

    private KernelProvider() {
    }

    /** The kernels every public entry point uses. */
    static Kernels get() {
        return SELECTED;
    }

    /** The plain-loop kernels (always available). */
    static Kernels scalar() {
        return SCALAR;
    }

    /** The Vector API kernels, or empty when this JVM cannot run them. */
    static Optional<Kernels> vector() {
        return Optional.ofNullable(VECTOR);
    }

    private static Kernels select() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
            return SCALAR;
        }
        if (VECTOR == null) {
            LOG.log(Level.INFO, HINT);
            return SCALAR;
        }
        return VECTOR;
    }

    private static Kernels loadVector() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return null;
        }
        try {
            Class<?> type = Class.forName("io.github.fastgn.internal.linalg.VectorKernels");
            Kernels kernels = (Kernels) type.getDeclaredConstructor().newInstance();
            int bits = (int) type.getDeclaredMethod("vectorBitSize").invoke(null);
            return bits >= 128 ? kernels : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.log(Level.FINE, "could not load the Vector API kernels", e);
            return null;
        }
    }
}
