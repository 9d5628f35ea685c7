package io.github.fastgn.plot;

import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one look shared by every chart in this package: size, background, font family, colours,
 * line strokes, legend placement and log-axis ticks.
 *
 * <p><b>Font.</b> Text is set in {@value #PREFERRED_FONT_FAMILY} (Debian package
 * {@code fonts-dejavu-core}), which exists on headless Linux machines once installed; if the JVM
 * does not list that family, the logical family {@value #FALLBACK_FONT_FAMILY} is used. The
 * family is looked up once per JVM ({@link #fontFamily()}).
 *
 * <p><b>Colours.</b> A method always gets the same colour in every chart: {@link #colorOf(String)}
 * maps the method names used by this project (FGN, FGN-D, Newton/GGN, L-BFGS, SGD, Adam,
 * normalized and clipped GD, the solver names, ...) to fixed colours, case-insensitively, and any
 * other name to a colour chosen from its {@link String#hashCode()} (specified by the JLS, hence
 * the same on every JVM). Variants of a method share its colour: a name ending in a guard suffix
 * ({@code "Adam + guard"}, {@code "Adam (no guard)"}) or a model suffix ({@code "fgn-row-cg (model)"})
 * has the colour of its base name ({@link #baseMethod(String)}); guarded variants and model lines are
 * drawn dashed.
 *
 * <p>This class holds no mutable state; everything it returns is fixed.
 */
public final class ChartStyle {

    /** Default chart width in pixels. */
    public static final int DEFAULT_WIDTH = 800;
    /** Default chart height in pixels. */
    public static final int DEFAULT_HEIGHT = 500;
    /** The font family used when the JVM has it. */
    public static final String PREFERRED_FONT_FAMILY = "DejaVu Sans";
    /** The logical font family used otherwise (always defined by the JDK). */
    public static final String FALLBACK_FONT_FAMILY = Font.SANS_SERIF;

    /** Chart title size in points. */
    public static final float TITLE_SIZE = 16f;
    /** Axis title size in points. */
    public static final float AXIS_TITLE_SIZE = 14f;
    /** Tick label, legend and annotation size in points. */
    public static final float LABEL_SIZE = 12f;
    /** Width of every data line in pixels. */
    public static final float LINE_WIDTH = 2f;

    /** Near-black used for all text. */
    public static final Color TEXT = new Color(0x22, 0x22, 0x22);
    /** Light grey of grid lines. */
    public static final Color GRID = new Color(0xE3, 0xE3, 0xE3);
    /** Mid grey of the plot border, legend border and marker lines. */
    public static final Color BORDER = new Color(0xA0, 0xA0, 0xA0);
    /** Fill of shaded regions (translucent grey). */
    public static final Color SHADE = new Color(0x80, 0x80, 0x80, 0x38);

    /** Heat-map colour ramp, low to high (ColorBrewer "Blues", stopped before black text becomes unreadable). */
    static final Color[] HEAT_RAMP = {
        new Color(0xF7, 0xFB, 0xFF), new Color(0xDE, 0xEB, 0xF7), new Color(0xC6, 0xDB, 0xEF),
        new Color(0x9E, 0xCA, 0xE1), new Color(0x6B, 0xAE, 0xD6), new Color(0x42, 0x92, 0xC6)
    };

    /** Sequential colours for ordered parameters (e.g. one line per damping), dark to light. */
    private static final Color[] SEQUENTIAL = {
        new Color(0x44, 0x01, 0x54), new Color(0x3B, 0x52, 0x8B), new Color(0x21, 0x90, 0x8C),
        new Color(0x5D, 0xC8, 0x63), new Color(0xC8, 0xB8, 0x1E)
    };

    /** Colours for names not in the fixed map, picked by hash. */
    private static final Color[] FALLBACK_COLORS = {
        new Color(0x1B, 0x9E, 0x77), new Color(0xD9, 0x5F, 0x02), new Color(0x75, 0x70, 0xB3),
        new Color(0xE7, 0x29, 0x8A), new Color(0x66, 0xA6, 0x1E), new Color(0xB8, 0x86, 0x0B),
        new Color(0xA6, 0x76, 0x1D), new Color(0x4E, 0x79, 0xA7), new Color(0xB0, 0x7A, 0xA1),
        new Color(0x59, 0x59, 0x59)
    };

    private static final Map<String, Color> METHOD_COLORS = buildMethodColors();

    /** Suffixes that mark a guarded variant (lower case). */
    private static final List<String> GUARD_SUFFIXES = List.of(
            " + guard", "+guard", " (guard)", " (guarded)", " guarded", " with guard", " w/ guard",
            "-guard", "_guard", " guard");
    /** Suffixes that mark an unguarded variant (lower case); checked before {@link #GUARD_SUFFIXES}. */
    private static final List<String> NO_GUARD_SUFFIXES = List.of(
            " (no guard)", " no guard", " without guard", " (unguarded)", " unguarded", "-noguard",
            "_noguard", " - no guard");
    /** Suffixes that mark a model line next to a measured one (lower case). */
    private static final List<String> MODEL_SUFFIXES = List.of(" (flop model)", " (model)", " model");
    private static final List<String> MEASURED_SUFFIXES = List.of(" (measured)", " measured");

    private static final float[] DASH = {8f, 5f};

    private ChartStyle() {
    }

    private static Map<String, Color> buildMethodColors() {
        Map<String, Color> m = new HashMap<>();
        Color blue = new Color(0x1F, 0x77, 0xB4);
        Color orange = new Color(0xFF, 0x7F, 0x0E);
        put(m, blue, "fgn", "fast gauss-newton", "fgn-row-cholesky");
        put(m, new Color(0x17, 0xBE, 0xCF), "fgn-d");
        put(m, orange, "newton", "ggn", "full ggn", "damped newton", "gauss-newton", "ggn-param-cg");
        put(m, new Color(0x2C, 0xA0, 0x2C), "l-bfgs", "lbfgs");
        put(m, new Color(0xD6, 0x27, 0x28), "sgd", "sgd+momentum", "sgd + momentum", "sgd (momentum)",
                "sgd with momentum", "momentum sgd", "momentum");
        put(m, new Color(0x94, 0x67, 0xBD), "adam");
        put(m, new Color(0x8C, 0x56, 0x4B), "normalized gd", "normalised gd", "ngd");
        put(m, new Color(0xE3, 0x77, 0xC2), "clipped gd", "clipped-gd");
        put(m, new Color(0x7F, 0x7F, 0x7F), "gd", "gradient descent", "gradient");
        put(m, new Color(0xBC, 0xBD, 0x22), "ogr");
        put(m, new Color(0x7B, 0x41, 0x73), "hybrid sn", "hybrid stochastic newton");
        put(m, new Color(0x39, 0x3B, 0x79), "fgn-param-cg");
        put(m, Color.BLACK, "random");
        put(m, new Color(0x63, 0x79, 0x39), "fgn-row-cg");
        put(m, new Color(0x6B, 0x6E, 0xCF), "fgn-param-cholesky");
        put(m, new Color(0x8C, 0x6D, 0x31), "ggn-param-cholesky");
        put(m, new Color(0x84, 0x3C, 0x39), "ggn-row-cholesky");
        return Map.copyOf(m);
    }

    private static void put(Map<String, Color> m, Color c, String... names) {
        for (String n : names) {
            m.put(n, c);
        }
    }

    // ---------------------------------------------------------------------------------- fonts

    private static final class FontHolder {
        static final String FAMILY = resolveFontFamily(availableFamilies());
    }

    /**
     * The font family every chart uses: {@value #PREFERRED_FONT_FAMILY} when the local graphics
     * environment lists it, else {@value #FALLBACK_FONT_FAMILY}. Looked up once per JVM.
     */
    public static String fontFamily() {
        return FontHolder.FAMILY;
    }

    /** Picks {@link #PREFERRED_FONT_FAMILY} if it is among {@code available}, else the fallback. */
    static String resolveFontFamily(String[] available) {
        if (available != null) {
            for (String f : available) {
                if (PREFERRED_FONT_FAMILY.equalsIgnoreCase(f)) {
                    return PREFERRED_FONT_FAMILY;
                }
            }
        }
        return FALLBACK_FONT_FAMILY;
    }

    /**
     * The installed families, or {@code null} if the JVM cannot enumerate fonts (no fontconfig or
     * no fonts, or a display that cannot be reached); rendering then fails later with the message
     * of {@link ChartExport}.
     */
    private static String[] availableFamilies() {
        try {
            return GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT);
        } catch (RuntimeException | LinkageError | InternalError | AWTError e) {
            return null;
        }
    }

    /** The chart font at the given style ({@link Font#PLAIN}, {@link Font#BOLD}) and size in points. */
    public static Font font(int style, float size) {
        return new Font(fontFamily(), style, 12).deriveFont(style, size);
    }

    // ---------------------------------------------------------------------------------- colours

    /**
     * The colour of a method, the same in every chart: a fixed colour for the names this project
     * uses (matched case-insensitively after {@link #baseMethod(String)}), otherwise one picked
     * deterministically from the name's hash.
     */
    public static Color colorOf(String method) {
        String key = normalise(baseMethod(method));
        Color c = METHOD_COLORS.get(key);
        if (c != null) {
            return c;
        }
        return FALLBACK_COLORS[Math.floorMod(key.hashCode(), FALLBACK_COLORS.length)];
    }

    /** Whether {@link #colorOf(String)} has a fixed (not hash-picked) colour for this name. */
    public static boolean hasFixedColor(String method) {
        return METHOD_COLORS.containsKey(normalise(baseMethod(method)));
    }

    /**
     * The method a series name belongs to: the name without a trailing guard, no-guard, model or
     * measured marker, e.g. {@code "Adam + guard" -> "Adam"}, {@code "fgn-row-cg (model)" -> "fgn-row-cg"}.
     */
    public static String baseMethod(String name) {
        String s = name == null ? "" : name.strip();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (List<String> suffixes : List.of(NO_GUARD_SUFFIXES, GUARD_SUFFIXES, MODEL_SUFFIXES, MEASURED_SUFFIXES)) {
                String cut = stripSuffix(s, suffixes);
                if (cut != null) {
                    s = cut;
                    changed = true;
                }
            }
        }
        return s;
    }

    /** Whether a series name marks a guarded variant ({@code "SGD + guard"}, {@code "Adam (guarded)"}). */
    public static boolean isGuardedVariant(String name) {
        String s = name == null ? "" : name.strip();
        // a model suffix may follow the guard suffix
        String m = stripSuffix(s, MODEL_SUFFIXES);
        if (m != null) {
            s = m;
        }
        return stripSuffix(s, NO_GUARD_SUFFIXES) == null && stripSuffix(s, GUARD_SUFFIXES) != null;
    }

    private static String stripSuffix(String s, List<String> suffixes) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (String suffix : suffixes) {
            if (lower.endsWith(suffix) && lower.length() > suffix.length()) {
                return s.substring(0, s.length() - suffix.length()).strip();
            }
        }
        return null;
    }

    private static String normalise(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replace('_', '-').replaceAll("\\s+", " ");
    }

    /**
     * {@code n} colours for an ordered parameter (e.g. one line per damping value), from dark
     * purple through teal and green to yellow-olive, evenly spaced along that ramp.
     */
    public static Color[] sequentialColors(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        Color[] out = new Color[n];
        for (int i = 0; i < n; i++) {
            double t = n == 1 ? 0.0 : (double) i / (n - 1);
            out[i] = interpolate(SEQUENTIAL, t);
        }
        return out;
    }

    static Color interpolate(Color[] ramp, double t) {
        double pos = Math.max(0.0, Math.min(1.0, t)) * (ramp.length - 1);
        int i = Math.min((int) Math.floor(pos), ramp.length - 2);
        double f = pos - i;
        Color a = ramp[i];
        Color b = ramp[i + 1];
        return new Color(
                (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /** The colours used when a chart's fixed method colours collide, in order of preference. */
    static List<Color> spareColors() {
        return Arrays.asList(FALLBACK_COLORS);
    }

    // ---------------------------------------------------------------------------------- strokes

    /** The solid stroke of data lines. */
    public static BasicStroke solidStroke() {
        return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    /** The dashed stroke of model lines and guarded variants. */
    public static BasicStroke dashedStroke() {
        return new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, DASH.clone(), 0f);
    }

    /** Styles one line series: colour, stroke, no markers. */
    public static void styleLine(XYSeries series, Color color, boolean dashed) {
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setFillColor(color);
        series.setLineStyle(dashed ? dashedStroke() : solidStroke());
    }

    // ---------------------------------------------------------------------------------- stylers

    /** Applies the common look to an XY chart: white, the chart font, legend outside right, no markers. */
    public static void apply(XYChart chart) {
        XYStyler s = chart.getStyler();
        applyCommon(s);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarkerSize(0);
        s.setPlotGridLinesVisible(true);
        s.setZoomEnabled(false);
        s.setCursorEnabled(false);
    }

    /** Applies the common look to a heat map: white, the chart font, colour bar outside right. */
    public static void apply(HeatMapChart chart) {
        HeatMapStyler s = chart.getStyler();
        applyCommon(s);
        s.setPlotGridLinesVisible(false);
        s.setRangeColors(HEAT_RAMP.clone());
        s.setPiecewise(false);
        s.setShowValue(false);
        s.setDrawBorder(true); // a border in the cell colour hides antialiasing seams between cells
        s.setValueFont(font(Font.PLAIN, LABEL_SIZE));
        s.setValueFontColor(TEXT);
        s.setGradientColorColumnWeight(22);
        s.setGradientColorColumnHeight(260);
        s.setPlotContentSize(1.0);
    }

    private static void applyCommon(AxesChartStyler s) {
        s.setBaseFont(font(Font.PLAIN, LABEL_SIZE));
        s.setChartTitleFont(font(Font.BOLD, TITLE_SIZE));
        s.setAxisTitleFont(font(Font.PLAIN, AXIS_TITLE_SIZE));
        s.setAxisTickLabelsFont(font(Font.PLAIN, LABEL_SIZE));
        s.setLegendFont(font(Font.PLAIN, LABEL_SIZE));
        s.setAnnotationTextFont(font(Font.PLAIN, LABEL_SIZE));
        s.setAnnotationTextPanelFont(font(Font.PLAIN, LABEL_SIZE));
        s.setToolTipFont(font(Font.PLAIN, LABEL_SIZE));

        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartFontColor(TEXT);
        s.setAxisTickLabelsColor(TEXT);
        s.setAxisTickMarksColor(BORDER);
        s.setPlotBorderColor(BORDER);
        s.setPlotBorderVisible(true);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleBoxVisible(false);
        s.setChartPadding(12);
        s.setAxisTitlePadding(8);
        s.setAxisTickPadding(6);
        s.setPlotMargin(0);

        s.setLegendVisible(true);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendBorderColor(BORDER);
        s.setLegendPadding(8);
        s.setLegendSeriesLineLength(28);

        s.setAnnotationLineColor(BORDER.darker());
        s.setAnnotationLineStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {6f, 4f}, 0f));
        s.setAnnotationTextFontColor(TEXT);
        s.setToolTipsEnabled(false);
        s.setLocale(Locale.ROOT);
        s.setAntiAlias(true);
    }

    // ---------------------------------------------------------------------------------- log axes

    /**
     * Makes the x axis logarithmic. Over 1.5 decades or more only the decades are labelled (all
     * ticks stay); over less, every tick is labelled so the axis never goes unlabelled.
     *
     * @param min smallest positive x value plotted
     * @param max largest x value plotted
     */
    public static void logX(XYChart chart, double min, double max) {
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisLogarithmicDecadeOnly(decadesOnly(min, max));
    }

    /** Makes the y axis logarithmic; see {@link #logX(XYChart, double, double)} for the labels. */
    public static void logY(XYChart chart, double min, double max) {
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(decadesOnly(min, max));
    }

    static boolean decadesOnly(double min, double max) {
        return min > 0 && max > 0 && Math.log10(max / min) >= 1.5;
    }
}
