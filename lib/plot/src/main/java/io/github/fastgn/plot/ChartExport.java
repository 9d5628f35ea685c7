package io.github.fastgn.plot;

import java.awt.AWTError;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Renders charts to images and files without any window: a {@link BufferedImage} (what a Java
 * notebook cell returns to show a chart inline), PNG bytes, SVG text, and files.
 *
 * <p><b>Headless use.</b> Nothing here opens a window, so it works with
 * {@code -Djava.awt.headless=true}, which the JDK also assumes on Linux when {@code DISPLAY} is
 * unset; this class never sets that property itself. What rendering does need is system fonts:
 * a JVM on a machine without fontconfig or any font fails deep inside {@code sun.awt.FontConfiguration}
 * (knowm/XChart#648). Such failures are rethrown as an {@link IllegalStateException} that says to
 * install {@value #FONT_PACKAGES} ({@code apt-get install -y fontconfig fonts-dejavu-core} on Debian
 * and Ubuntu).
 *
 * <p><b>SVG text.</b> XChart draws every glyph as a path, so an SVG looks the same on machines
 * without the font, but contains no searchable text. {@link #toSvg(Chart)} therefore adds a
 * {@code <title>} (the chart title) and a {@code <desc>} (axis titles, series names and, for heat
 * maps, the row and column labels) right after the opening {@code <svg>} tag, for screen readers,
 * search and tests.
 */
public final class ChartExport {

    /** The Debian packages rendering needs on a headless machine. */
    public static final String FONT_PACKAGES = "fontconfig and fonts-dejavu-core";

    static final String FONT_HELP = "Chart rendering needs system fonts, and this JVM found none"
            + " (fontconfig or a font is missing). Install " + FONT_PACKAGES
            + " (Debian/Ubuntu: apt-get install -y fontconfig fonts-dejavu-core).";
    static final String DISPLAY_HELP = "Chart rendering tried to reach a display. Charts need none:"
            + " run the JVM with -Djava.awt.headless=true (or unset DISPLAY).";

    /** File formats of {@link #save(Chart, Path, Format)}. */
    public enum Format {
        PNG("png"),
        SVG("svg");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /** The file extension, without the dot. */
        public String extension() {
            return extension;
        }

        /** The format a file name's extension names ({@code .png} or {@code .svg}, any case). */
        public static Format fromFileName(Path file) {
            Objects.requireNonNull(file, "file");
            Path name = file.getFileName();
            String s = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (s.endsWith("." + f.extension)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("cannot tell the format of \"" + file
                    + "\": the file name must end in .png or .svg");
        }
    }

    private ChartExport() {
    }

    // ---------------------------------------------------------------------------------- in memory

    /** The chart as an RGB image at its own size; a Java notebook cell shows it inline. */
    public static BufferedImage toImage(Chart<?, ?> chart) {
        Objects.requireNonNull(chart, "chart");
        return toImage(chart, chart.getWidth(), chart.getHeight());
    }

    /**
     * The chart as an RGB image of the given size. XChart charts take their size from the last
     * paint, so the chart keeps this size for later exports.
     */
    public static BufferedImage toImage(Chart<?, ?> chart, int width, int height) {
        Objects.requireNonNull(chart, "chart");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + " x " + height);
        }
        return render(() -> {
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                // pure strokes: without this hint Java2D snaps antialiased lines to the pixel grid
                // and thin sloped lines come out wobbly
                g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                chart.paint(g, width, height);
            } finally {
                g.dispose();
            }
            return image;
        });
    }

    /** The chart as PNG bytes at its own size. */
    public static byte[] toPng(Chart<?, ?> chart) {
        Objects.requireNonNull(chart, "chart");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writePng(chart, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    /**
     * The chart as an SVG document (UTF-8 text), with a {@code <title>} and {@code <desc>} naming
     * the title, axes and series (see the class comment).
     */
    public static String toSvg(Chart<?, ?> chart) {
        Objects.requireNonNull(chart, "chart");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        render(() -> {
            try {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
            }
            return null;
        });
        return addMetadata(out.toString(StandardCharsets.UTF_8), chart);
    }

    // ---------------------------------------------------------------------------------- files

    /**
     * Writes the chart to {@code file} in the given format, creating missing parent directories
     * and replacing an existing file. The file name is used as given (no extension is added).
     *
     * @return {@code file}
     */
    public static Path save(Chart<?, ?> chart, Path file, Format format) throws IOException {
        Objects.requireNonNull(chart, "chart");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        switch (format) {
            case PNG:
                try (OutputStream out = Files.newOutputStream(file)) {
                    writePng(chart, out);
                }
                break;
            case SVG:
                Files.writeString(file, toSvg(chart), StandardCharsets.UTF_8);
                break;
            default:
                throw new AssertionError(format);
        }
        return file;
    }

    /** Writes the chart to {@code file}, in the format its extension names ({@code .png} or {@code .svg}). */
    public static Path save(Chart<?, ?> chart, Path file) throws IOException {
        return save(chart, file, Format.fromFileName(file));
    }

    /**
     * Writes {@code <base>.png} and {@code <base>.svg}, where {@code dirAndBaseName} is a path
     * without extension such as {@code results/figures/loss-vs-time}.
     *
     * @return the two files, PNG first
     */
    public static List<Path> savePngAndSvg(Chart<?, ?> chart, Path dirAndBaseName) throws IOException {
        Objects.requireNonNull(dirAndBaseName, "dirAndBaseName");
        Path name = dirAndBaseName.getFileName();
        if (name == null || name.toString().isBlank()) {
            throw new IllegalArgumentException("dirAndBaseName needs a file name, got \"" + dirAndBaseName + "\"");
        }
        List<Path> files = new ArrayList<>(2);
        for (Format f : Format.values()) {
            Path file = dirAndBaseName.resolveSibling(name + "." + f.extension());
            files.add(save(chart, file, f));
        }
        return List.copyOf(files);
    }

    // ---------------------------------------------------------------------------------- internals

    private static void writePng(Chart<?, ?> chart, OutputStream out) throws IOException {
        BufferedImage image = toImage(chart);
        if (!ImageIO.write(image, "png", out)) {
            throw new IllegalStateException("this JVM has no PNG writer");
        }
    }

    /** Runs a rendering step, turning missing-font and unreachable-display failures into clear messages. */
    static <T> T render(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException | LinkageError | InternalError | AWTError e) {
            if (isFontSetupFailure(e)) {
                throw new IllegalStateException(FONT_HELP, e);
            }
            if (isDisplayFailure(e)) {
                throw new IllegalStateException(DISPLAY_HELP, e);
            }
            throw e;
        }
    }

    /**
     * Whether a rendering failure comes from the JDK's font set-up: an exception thrown inside
     * {@code sun.awt.FontConfiguration} / {@code sun.font} / the X11 font manager anywhere in the
     * cause chain, or a message naming them or the native font libraries.
     */
    static boolean isFontSetupFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            StackTraceElement[] frames = c.getStackTrace();
            if (frames.length > 0 && isFontClass(frames[0].getClassName())) {
                return true;
            }
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("fontconfiguration") || m.contains("fontmanager") || m.contains("sun.font.")
                    || m.contains("libfreetype") || m.contains("fontconfig")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFontClass(String className) {
        return className.startsWith("sun.awt.FontConfiguration")
                || className.startsWith("sun.font.")
                || className.startsWith("sun.awt.X11FontManager")
                || className.startsWith("sun.awt.FcFontManager");
    }

    /**
     * Whether a failure is AWT trying to reach an X server (a JVM that is not headless, with a
     * {@code DISPLAY} it cannot open): the {@link AWTError} itself, or, on later calls, the
     * {@link NoClassDefFoundError} for the graphics environment whose initialisation it broke.
     */
    static boolean isDisplayFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("window server") || (m.contains("x11") && m.contains("display"))
                    || (c instanceof NoClassDefFoundError && m.contains("graphicsenvironment"))) {
                return true;
            }
        }
        return false;
    }

    /** Inserts {@code <title>} and {@code <desc>} after the opening {@code <svg ...>} tag. */
    static String addMetadata(String svg, Chart<?, ?> chart) {
        int open = svg.indexOf("<svg");
        int end = open < 0 ? -1 : svg.indexOf('>', open);
        if (end < 0) {
            return svg;
        }
        String title = chart.getTitle() == null ? "" : chart.getTitle();
        String meta = "\n  <title>" + escapeXml(title) + "</title>\n  <desc>" + escapeXml(describe(chart)) + "</desc>";
        return svg.substring(0, end + 1) + meta + svg.substring(end + 1);
    }

    /** A one-paragraph plain-text description: axis titles, series names, heat-map labels. */
    static String describe(Chart<?, ?> chart) {
        StringBuilder sb = new StringBuilder();
        append(sb, "x axis", chart.getXAxisTitle());
        append(sb, "y axis", chart.getYAxisTitle());
        for (int group = 1; group < 4; group++) {
            String t = chart.getYAxisGroupTitle(group); // falls back to the main title
            if (t != null && !t.equals(chart.getYAxisTitle())) {
                append(sb, "y axis " + (group + 1), t);
            }
        }
        if (!chart.getSeriesMap().isEmpty()) {
            append(sb, "series", String.join(", ", chart.getSeriesMap().keySet()));
        }
        if (chart instanceof HeatMapChart) {
            HeatMapSeries s = ((HeatMapChart) chart).getHeatMapSeries();
            if (s != null) {
                append(sb, "columns", joinLabels(s.getXData()));
                append(sb, "rows (bottom to top)", joinLabels(s.getYData()));
            }
        }
        return sb.toString();
    }

    private static String joinLabels(List<?> labels) {
        List<String> out = new ArrayList<>(labels.size());
        for (Object o : labels) {
            out.add(String.valueOf(o));
        }
        return String.join(", ", out);
    }

    private static void append(StringBuilder sb, String key, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append("; ");
        }
        sb.append(key).append(": ").append(value);
    }

    static String escapeXml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&apos;");
                    break;
                default:
                    // XML 1.0 forbids most control characters
                    if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') {
                        sb.append(ch);
                    }
            }
        }
        return sb.toString();
    }
}
