package io.github.fastgn.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The public surface of one module: every public top-level type compiled into the module's
 * classes folder, compared with the list committed beside the module's tests
 * ({@code public-api.txt} in the test resources, in the package of the module's {@code PublicApiTest}), so that a change to the surface is a visible change
 * to that list. Types in packages whose name has an {@code internal} segment are public only so that
 * the other FastGN modules can use them; the list marks them, and users are told not to.
 */
public final class PublicApi {

    private PublicApi() {
    }

    /** The public top-level types of the module that compiled {@code anchor}, sorted, internal ones marked. */
    public static List<String> of(Class<?> anchor) {
        Path root;
        try {
            root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("expected a classes folder, got " + root);
        }
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (!rel.endsWith(".class") || rel.contains("$") || rel.endsWith("package-info.class")
                        || rel.endsWith("module-info.class")) {
                    continue;
                }
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
                Class<?> c;
                try {
                    c = Class.forName(name, false, anchor.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // compiled for a module this JVM lacks (the Vector API kernels): not public API anyway
                    continue;
                }
                if (Modifier.isPublic(c.getModifiers())) {
                    out.add(isInternal(name) ? name + "  (internal)" : name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(out);
    }

    static boolean isInternal(String className) {
        return className.contains(".internal.");
    }

    /**
     * Fails, listing what was added and removed, unless the module's public types are exactly the
     * lines of the resource {@code public-api.txt} in the package of {@code anchorTest} (blank lines
     * and {@code #} comments ignored).
     */
    public static void assertMatchesList(Class<?> anchorMain, Class<?> anchorTest) {
        List<String> actual = of(anchorMain);
        List<String> listed = new ArrayList<>();
        try (InputStream in = anchorTest.getResourceAsStream("public-api.txt")) {
            if (in == null) {
                fail("no public-api.txt beside " + anchorTest.getName() + " in the test resources; it should hold:\n"
                        + String.join("\n", actual));
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    listed.add(t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TreeSet<String> added = new TreeSet<>(actual);
        added.removeAll(listed);
        TreeSet<String> removed = new TreeSet<>(listed);
        removed.removeAll(actual);
        if (!added.isEmpty() || !removed.isEmpty()) {
            fail("the public types of the module changed; update public-api.txt beside " + anchorTest.getSimpleName() + " in the test resources if this is meant.\n"
                    + "new public types: " + added + "\nno longer public (or gone): " + removed);
        }
    }
}
