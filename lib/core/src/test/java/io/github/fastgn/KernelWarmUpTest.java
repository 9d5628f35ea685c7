package io.github.fastgn;

import io.github.fastgn.internal.linalg.KernelWarmUp;
import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel warm-up ({@link KernelWarmUp}, {@link SoftmaxHeadTrainer#warmUp}) in fresh JVMs: it
 * starts one thread per storage per JVM, none with {@code -Dfastgn.warmUp=false}, and a model is the
 * same bits whether the warm-up was off, ran alongside the fit or finished before it.
 */
class KernelWarmUpTest extends QuietTestBase {

    @Test
    void startsOnceAndNeverChangesTheModel() throws Exception {
        String off = probe("-Dfastgn.warmUp=false");
        String alongside = probe("-Dfastgn.warmUp=true");
        String before = probe("-Dfastgn.warmUp=true", "join");
        String[] o = off.split(" ");
        String[] a = alongside.split(" ");
        String[] b = before.split(" ");
        assertEquals("false false", o[0] + " " + o[1], "no warm-up with the property off: " + off);
        assertEquals("true false", a[0] + " " + a[1], "one warm-up per storage per JVM: " + alongside);
        assertEquals("true false", b[0] + " " + b[1], before);
        assertEquals(o[2], a[2], "the model with the warm-up running alongside the fit");
        assertEquals(o[2], b[2], "the model after the warm-up compiled the kernels");
    }

    /** Training starts the warm-up by itself only with {@code -Dfastgn.warmUp=true}; the model is the same. */
    @Test
    void trainingStartsItOnlyWhenAsked() throws Exception {
        String byDefault = probe("-Dfastgn.unrelated=1", "auto");
        String asked = probe("-Dfastgn.warmUp=true", "auto");
        assertTrue(byDefault.startsWith("true "), "a fit started the warm-up by default: " + byDefault);
        assertTrue(asked.startsWith("false "), "a fit did not start the warm-up when asked: " + asked);
        assertEquals(byDefault.split(" ")[2], asked.split(" ")[2], "the model");
    }

    /** The probe's output line in a fresh JVM with this JVM's kernels (the Vector API module when present). */
    private static String probe(String property, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add(property);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WarmUpProbe.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the probe should end");
        assertEquals(0, p.exitValue(), "probe exit, output: " + out);
        String[] lines = out.split("\n");
        return lines[lines.length - 1].trim();
    }
}
