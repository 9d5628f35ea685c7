package io.github.fastgn.testing;

import io.github.fastgn.internal.linalg.HeadKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a class's {@code main} in a child JVM with this JVM's class path, its kernels and a heap
 * limit: how the bigger-than-the-heap tests show that work fits a small {@code -Xmx}.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Runs {@code main} with {@code -Xmx<heap>} and {@code args}, output to {@code log}; fails with
     * the log when the child exits non-zero or runs longer than ten minutes.
     */
    public static void run(Class<?> main, String heap, Path log, String... args) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + heap);
        if (HeadKernels.implementation().startsWith("vector")) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in ten minutes");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("child JVM failed (" + p.exitValue() + "): " + Files.readString(log));
        }
    }
}
