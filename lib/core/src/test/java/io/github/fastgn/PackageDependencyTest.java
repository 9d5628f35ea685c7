package io.github.fastgn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package graph of fastgn-core, as each {@code package-info.java} states it: which FastGN
 * packages and which libraries each package may import. Read from the sources (and the generated
 * kernels), so a new import that breaks the layering fails here with the file and the import.
 */
class PackageDependencyTest {

    private static final String ROOT = "io.github.fastgn";

    /** Package (relative to io.github.fastgn, "" for the root) to the FastGN packages it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "internal.linalg", Set.of(),
            "internal.head", Set.of("data", "internal.linalg"),
            "internal.solver", Set.of("internal.head", "internal.linalg"),
            "internal.optim", Set.of("optim"),
            "data", Set.of("internal.linalg"),
            "optim", Set.of("data", "internal.head", "internal.linalg", "internal.optim", "internal.solver"),
            "baseline", Set.of("data", "internal.head", "internal.linalg", "internal.optim", "internal.solver", "optim"),
            "notebook", Set.of("optim"),
            "", Set.of("data", "internal.head", "internal.linalg", "optim"));

    /**
     * Libraries beyond the JDK: Commons Math where a package-info allows it, the Vector API in the
     * kernels only, HotSpot's management interface in the kernels only (the scalar panels read {@code UseFMA}).
     */
    private static final Map<String, Set<String>> LIBRARIES = Map.of(
            "internal.linalg", Set.of("org.apache.commons.math3.", "jdk.incubator.vector.", "com.sun.management."),
            "data", Set.of("org.apache.commons.math3."));

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);

    @Test
    void everyImportIsAllowedByThePackageGraph() throws IOException {
        List<String> violations = new ArrayList<>();
        Map<String, Set<String>> seen = new TreeMap<>();
        int files = 0;
        for (Path dir : List.of(Path.of("src", "main", "java"), Path.of("target", "generated-sources", "kernels"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    files++;
                    String src = Files.readString(p);
                    Matcher pm = PACKAGE.matcher(src);
                    assertTrue(pm.find(), "no package line in " + p);
                    String pkg = relative(pm.group(1));
                    assertTrue(ALLOWED.containsKey(pkg), "package " + pm.group(1) + " (" + p + ") has no rule here;"
                            + " add one that matches its package-info.java");
                    Matcher im = IMPORT.matcher(src);
                    while (im.find()) {
                        String imp = im.group(2);
                        if (imp.startsWith(ROOT + ".")) {
                            // a static import names a member: its class is one segment up
                            String type = im.group(1) != null ? imp.substring(0, imp.lastIndexOf('.')) : imp;
                            String target = relative(packageOf(type));
                            if (!target.equals(pkg)) {
                                seen.computeIfAbsent(pkg, x -> new TreeSet<>()).add(target);
                                if (!ALLOWED.get(pkg).contains(target)) {
                                    violations.add(p + ": " + imp);
                                }
                            }
                        } else if (!imp.startsWith("java.") && !imp.startsWith("javax.")
                                && LIBRARIES.getOrDefault(pkg, Set.of()).stream().noneMatch(imp::startsWith)) {
                            violations.add(p + ": " + imp + " (not a library this package may use)");
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "found only " + files + " source files; run from the module folder");
        assertEquals(List.of(), violations, "imports that break the package graph; the graph seen: " + seen);
    }

    private static String relative(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }

    /** The package of an imported type (a nested type's outer class is dropped too). */
    private static String packageOf(String imp) {
        String[] parts = imp.split("\\.");
        int i = parts.length - 1;
        while (i > 0 && Character.isUpperCase(parts[i].charAt(0))) {
            i--;
        }
        return String.join(".", java.util.Arrays.copyOf(parts, i + 1));
    }
}
