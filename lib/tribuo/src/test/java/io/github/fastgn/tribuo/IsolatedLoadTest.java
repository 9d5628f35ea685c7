package io.github.fastgn.tribuo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saved FGN model is a plain Tribuo model: it loads and predicts in a class loader that holds
 * only the Tribuo, OLCUT and protobuf jars, without FastGN's classes.
 */
@ExtendWith(TestSupport.NoConsoleOutput.class)
class IsolatedLoadTest {

    /** Jars a Tribuo user has; FastGN's own classes (target/classes) are directories and excluded. */
    private static final Pattern TRIBUO_JARS = Pattern.compile(".*/(tribuo|olcut|protobuf)[^/]*\\.jar");
    /**
     * Tribuo's JEP-290 allow-list (docs/jep-290-filter.txt in oracle/tribuo) plus the OLCUT and
     * java.time classes that every Tribuo model's provenance and feature domain serialize
     * (without them the list rejects LogisticRegressionTrainer's models too). The final
     * {@code !*} rejects everything else, FastGN's classes included.
     */
    private static final String TRIBUO_FILTER = "org.tribuo.**;libsvm.svm_model;libsvm.svm_parameter;"
            + "libsvm.svm_node;de.bwaldvogel.liblinear.Model;de.bwaldvogel.liblinear.SolverType;java.util.**;"
            + "java.lang.*;com.oracle.labs.mlrg.olcut.provenance.**;com.oracle.labs.mlrg.olcut.util.*;"
            + "java.time.*;!*";

    private static LinearSGDModel model;
    private static MutableDataset<Label> test;
    private static List<Prediction<Label>> expected;

    @BeforeAll
    static void train() {
        TestSupport.quietLogging();
        model = new FGNTrainer(1e-4).train(TestSupport.smallDigits());
        test = TestSupport.digitsTest();
        expected = model.predict(test);
    }

    /** The test class path: surefire's property (manifest-only jar) or the JVM's. */
    private static URL[] tribuoJars() throws MalformedURLException {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(Pattern.quote(File.pathSeparator))) {
            String unix = entry.replace(File.separatorChar, '/');
            if (TRIBUO_JARS.matcher(unix).matches() && !unix.contains("-tests.jar")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertTrue(urls.size() >= 5, "expected the Tribuo, OLCUT and protobuf jars on " + path);
        return urls.toArray(new URL[0]);
    }

    private static URLClassLoader isolatedLoader() throws MalformedURLException {
        URLClassLoader loader = new URLClassLoader(tribuoJars(), ClassLoader.getPlatformClassLoader());
        assertThrows(ClassNotFoundException.class, () -> Class.forName(FGNTrainer.class.getName(), false, loader));
        return loader;
    }

    /** Predicts, in the isolated loader, every example of the test set saved as a protobuf. */
    @SuppressWarnings("unchecked")
    private static void checkPredictions(ClassLoader loader, Object loadedModel, Path dataset) throws Exception {
        Class<?> modelClass = loadedModel.getClass();
        assertEquals(LinearSGDModel.class.getName(), modelClass.getName());
        assertTrue(modelClass.getClassLoader() == loader, "the model class must come from the isolated loader");
        Class<?> datasetClass = Class.forName("org.tribuo.Dataset", true, loader);
        Object data = datasetClass.getMethod("deserializeFromFile", Path.class).invoke(null, dataset);
        List<Object> predictions = (List<Object>) modelClass.getMethod("predict", Iterable.class)
                .invoke(loadedModel, data);
        assertEquals(expected.size(), predictions.size());
        Method getOutput = Class.forName("org.tribuo.Prediction", true, loader).getMethod("getOutputScores");
        Class<?> labelClass = Class.forName("org.tribuo.classification.Label", true, loader);
        Method getScore = labelClass.getMethod("getScore");
        for (int i = 0; i < predictions.size(); i++) {
            Map<String, Object> scores = (Map<String, Object>) getOutput.invoke(predictions.get(i));
            Map<String, Label> want = expected.get(i).getOutputScores();
            assertEquals(want.keySet(), scores.keySet());
            for (Map.Entry<String, Label> e : want.entrySet()) {
                assertEquals(e.getValue().getScore(), (double) getScore.invoke(scores.get(e.getKey())), 1e-12);
            }
        }
    }

    @Test
    void protobufModelLoadsWithoutFastGN(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fgn-digits.tribuo");
        Path data = dir.resolve("digits-test.tribuo");
        model.serializeToFile(file);
        test.serializeToFile(data);
        try (URLClassLoader loader = isolatedLoader()) {
            Object loaded = Class.forName("org.tribuo.Model", true, loader)
                    .getMethod("deserializeFromFile", Path.class).invoke(null, file);
            checkPredictions(loader, loaded, data);
        }
    }

    @Test
    void javaSerializedModelLoadsWithoutFastGNThroughTribuosFilter(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fgn-digits.ser");
        Path data = dir.resolve("digits-test.tribuo");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeObject(model);
        }
        test.serializeToFile(data);
        try (URLClassLoader loader = isolatedLoader();
             ObjectInputStream in = new LoaderObjectInputStream(Files.newInputStream(file), loader)) {
            in.setObjectInputFilter(ObjectInputFilter.Config.createFilter(TRIBUO_FILTER));
            Object loaded = in.readObject();
            checkPredictions(loader, loaded, data);
        }
    }

    @Test
    void classPathHasNoFastGNJar() throws MalformedURLException {
        for (URL url : tribuoJars()) {
            assertFalse(url.toString().contains("fastgn"), url.toString());
        }
    }

    /** Resolves classes in the given loader instead of the caller's. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private static final List<String> PRIMITIVES = List.of("boolean", "byte", "char", "short", "int", "long",
                "float", "double", "void");
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (PRIMITIVES.contains(desc.getName())) {
                return super.resolveClass(desc);
            }
            // no fallback to the caller's loader: a class missing here fails the test
            return Class.forName(desc.getName(), false, loader);
        }
    }
}
