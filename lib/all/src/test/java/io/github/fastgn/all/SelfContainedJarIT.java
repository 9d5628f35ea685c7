package io.github.fastgn.all;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded {@code fastgn-all.jar} (run after the package phase, by failsafe): it holds every
 * module and its dependencies, names the command line as its main class, and runs in a plain
 * {@code java -jar} without the incubator module, as a notebook's {@code %jars} line or a user's
 * shell would load it.
 */
class SelfContainedJarIT {

    private static final Path JAR = Path.of("target", "fastgn-all.jar");

    @Test
    void holdsEveryModuleAndItsDependencies() throws IOException {
        assertTrue(Files.isRegularFile(JAR), "no " + JAR.toAbsolutePath() + "; the package phase builds it");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (String entry : List.of(
                    "io/github/fastgn/SoftmaxHeadTrainer.class",              // fastgn-core
                    "io/github/fastgn/data/digits.csv.gz",                    // the bundled data
                    "io/github/fastgn/tribuo/FGNTrainer.class",               // fastgn-tribuo
                    "io/github/fastgn/tribuo/fgn-trainer.xml",
                    "io/github/fastgn/plot/Charts.class",                     // fastgn-plot
                    "io/github/fastgn/cli/Main.class",                        // fastgn-experiments
                    "io/github/fastgn/internal/linalg/VectorRowsFloat.class", // generated kernels
                    "org/tribuo/classification/sgd/linear/LinearSGDModel.class",
                    "org/knowm/xchart/XYChart.class",
                    "org/apache/commons/math3/linear/RealMatrix.class")) {
                assertNotNull(jar.getEntry(entry), "fastgn-all.jar lacks " + entry);
            }
            assertEquals("io.github.fastgn.cli.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void runsWithAPlainJavaCommand() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-jar", JAR.toString(), "--help")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -jar fastgn-all.jar --help did not finish in 60 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("reproduce") && out.contains("bench") && out.contains("train"), out);
    }
}
