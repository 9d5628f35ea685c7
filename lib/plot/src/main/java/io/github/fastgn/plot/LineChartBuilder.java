package io.github.fastgn.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Builds an XY line chart in the {@link ChartStyle} look, in the spirit of XChart's
 * {@link XYChartBuilder}: set the title and axes, add lines, then {@link #build()} a fresh
 * {@link XYChart} of {@link ChartStyle#DEFAULT_WIDTH} x {@link ChartStyle#DEFAULT_HEIGHT} pixels
 * (unless {@link #width}/{@link #height} say otherwise).
 *
 * <pre>{@code
 * XYChart chart = new LineChartBuilder()
 *         .title("Accuracy").xAxisTitle("epoch").yAxisTitle("accuracy")
 *         .line("FGN", epochs, fgnAccuracy)              // FGN's colour, solid
 *         .line("Adam + guard", epochs, adamAccuracy)    // Adam's colour, dashed
 *         .countingXAxisFromZero()
 *         .build();
 * }</pre>
 *
 * <p><b>Data rules</b> (as in {@link Charts}). Lines are drawn and listed in the legend in the
 * order they are added. Non-finite points are left out, and so are non-positive values on a
 * logarithmic axis; a line with no point left is left out of the chart, and {@link #build()}
 * rejects a chart with no point left at all. A line with a null or blank name, a name used twice,
 * a missing or empty coordinate array or arrays of different lengths is rejected with an
 * {@link IllegalArgumentException} that names the series.
 *
 * <p><b>Colours.</b> A line coloured by method gets {@link ChartStyle#colorOf(String)} of the
 * method its name belongs to ({@link ChartStyle#baseMethod(String)}), shared by all variants of
 * the method in this chart; two different methods that would share a colour are told apart with
 * a spare colour. A line may also be given an explicit colour.
 *
 * <p>A builder builds one chart; it may be changed and built again, each {@code build()} giving a
 * new chart.
 */
public final class LineChartBuilder {

    private String title = "";
    private String xAxisTitle = "";
    private String yAxisTitle = "";
    private int width = ChartStyle.DEFAULT_WIDTH;
    private int height = ChartStyle.DEFAULT_HEIGHT;
    private boolean logX;
    private boolean logY;
    private Double xAxisMin;
    private final SeriesColors colors = new SeriesColors();
    private final Map<String, Line> lines = new LinkedHashMap<>();
    private final Map<Integer, String> rightYAxes = new LinkedHashMap<>();
    private final List<Double> verticalLines = new ArrayList<>();
    private String shadeName;
    private double shadeFrom;
    private double shadeTo;

    private record Line(double[] x, double[] y, Color color, boolean dashed, int yAxisGroup) {
    }

    /** A builder for an empty chart with no title, linear axes and no line yet. */
    public LineChartBuilder() {
    }

    /** The chart title ({@code null} for none). */
    public LineChartBuilder title(String title) {
        this.title = title == null ? "" : title;
        return this;
    }

    /** The x axis title ({@code null} for none). */
    public LineChartBuilder xAxisTitle(String xAxisTitle) {
        this.xAxisTitle = xAxisTitle == null ? "" : xAxisTitle;
        return this;
    }

    /** The y axis title ({@code null} for none); the title of y axis group 0. */
    public LineChartBuilder yAxisTitle(String yAxisTitle) {
        this.yAxisTitle = yAxisTitle == null ? "" : yAxisTitle;
        return this;
    }

    /** The chart width in pixels (positive). */
    public LineChartBuilder width(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width must be positive, got " + width);
        }
        this.width = width;
        return this;
    }

    /** The chart height in pixels (positive). */
    public LineChartBuilder height(int height) {
        if (height < 1) {
            throw new IllegalArgumentException("height must be positive, got " + height);
        }
        this.height = height;
        return this;
    }

    /** Whether the x axis is logarithmic (points with {@code x <= 0} are then left out). */
    public LineChartBuilder logX(boolean logX) {
        this.logX = logX;
        return this;
    }

    /** Whether the y axes are logarithmic (points with {@code y <= 0} are then left out). */
    public LineChartBuilder logY(boolean logY) {
        this.logY = logY;
        return this;
    }

    /**
     * Starts a linear x axis of counts (iterations, epochs, steps) at 0 with round tick labels.
     * XChart labels an axis whose x values are equally spaced (as counts are) at every k-th value,
     * which gives ticks like 1, 15, 29; an axis minimum a hair below 0 breaks that spacing, so it
     * falls back to its round-number ticks (0, 50, 100). The offset is invisible at any count
     * range. (Without this, a linear x axis that spans at least 1 gets the same offset below its
     * smallest x.)
     */
    public LineChartBuilder countingXAxisFromZero() {
        return xAxisMin(-1e-3);
    }

    /** Starts the x axis at {@code min} (finite); by default XChart fits the axis to the data. */
    public LineChartBuilder xAxisMin(double min) {
        if (!Double.isFinite(min)) {
            throw new IllegalArgumentException("xAxisMin must be finite, got " + min);
        }
        this.xAxisMin = min;
        return this;
    }

    /**
     * Adds a line coloured by its own name's method, dashed if the name is a guarded variant
     * ({@link ChartStyle#isGuardedVariant(String)}), on y axis group 0.
     */
    public LineChartBuilder line(String name, double[] x, double[] y) {
        String n = requireName(name);
        return line(n, n, x, y, ChartStyle.isGuardedVariant(n), 0);
    }

    /** Adds a line coloured as {@code method} (see the class comment), on y axis group 0. */
    public LineChartBuilder line(String name, String method, double[] x, double[] y, boolean dashed) {
        return line(name, method, x, y, dashed, 0);
    }

    /**
     * Adds a line coloured as {@code method} on y axis group {@code yAxisGroup} (0 is the main,
     * left axis; see {@link #rightYAxis(int, String)}).
     */
    public LineChartBuilder line(String name, String method, double[] x, double[] y, boolean dashed,
                                 int yAxisGroup) {
        String n = requireName(name);
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("series \"" + n + "\": the method to colour it by is null or blank");
        }
        requireLine(n, x, y, yAxisGroup);
        return put(n, new Line(x.clone(), y.clone(), colors.colorFor(method), dashed, yAxisGroup));
    }

    /** Adds a line in an explicit colour, on y axis group 0. */
    public LineChartBuilder line(String name, Color color, double[] x, double[] y, boolean dashed) {
        return line(name, color, x, y, dashed, 0);
    }

    /** Adds a line in an explicit colour on y axis group {@code yAxisGroup}. */
    public LineChartBuilder line(String name, Color color, double[] x, double[] y, boolean dashed, int yAxisGroup) {
        String n = requireName(name);
        if (color == null) {
            throw new IllegalArgumentException("series \"" + n + "\": color is null");
        }
        requireLine(n, x, y, yAxisGroup);
        return put(n, new Line(x.clone(), y.clone(), color, dashed, yAxisGroup));
    }

    /**
     * The colour a line of {@code method} gets in this chart (assigning it now if no line of that
     * method was added yet), for pairing other chart parts with a method's line.
     */
    public Color colorOf(String method) {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("method is null or blank");
        }
        return colors.colorFor(method);
    }

    /** Draws y axis group {@code group} (at least 1) on the right with the given title. */
    public LineChartBuilder rightYAxis(int group, String title) {
        if (group < 1) {
            throw new IllegalArgumentException("y axis group " + group + " is the main axis; a right axis needs a group >= 1");
        }
        rightYAxes.put(group, title == null ? "" : title);
        return this;
    }

    /**
     * Shades the window {@code [from, to]} across the plotted range of y axis group 0, beneath the
     * lines, as a legend entry named {@code name} (listed before the lines). An empty window
     * ({@code to <= from}) draws nothing. A second call replaces the window.
     */
    public LineChartBuilder shade(String name, double from, double to) {
        String n = requireName(name);
        if (!Double.isFinite(from) || !Double.isFinite(to)) {
            throw new IllegalArgumentException("shaded window \"" + n + "\" must have finite ends, got ["
                    + from + ", " + to + "]");
        }
        shadeName = n;
        shadeFrom = from;
        shadeTo = to;
        return this;
    }

    /** Draws a dashed vertical line at {@code x} (finite) across the plot, without a legend entry. */
    public LineChartBuilder verticalLine(double x) {
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("vertical line at " + x + ": x must be finite");
        }
        verticalLines.add(x);
        return this;
    }

    /**
     * A new chart with the lines added so far.
     *
     * @throws IllegalArgumentException if no line was added, if no point is left to plot, or if
     *                                  the shaded window's name is also a line's name
     */
    public XYChart build() {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: no line was added");
        }
        if (shadeName != null && lines.containsKey(shadeName)) {
            throw new IllegalArgumentException("series name \"" + shadeName + "\" is used twice");
        }
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        Map<String, Line> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Line> e : lines.entrySet()) {
            Line line = e.getValue();
            double[][] xy = keep(line.x(), line.y(), logX, logY);
            if (xy[0].length == 0) {
                continue; // nothing this axis can show: the series is left out
            }
            for (int i = 0; i < xy[0].length; i++) {
                xMin = Math.min(xMin, xy[0][i]);
                xMax = Math.max(xMax, xy[0][i]);
                if (line.yAxisGroup() == 0) {
                    yMin = Math.min(yMin, xy[1][i]);
                    yMax = Math.max(yMax, xy[1][i]);
                }
            }
            kept.put(e.getKey(), new Line(xy[0], xy[1], line.color(), line.dashed(), line.yAxisGroup()));
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("nothing to plot: every point is non-finite"
                    + (logX || logY ? " or non-positive on a log axis" : ""));
        }
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title(title).xAxisTitle(xAxisTitle).yAxisTitle(yAxisTitle).build();
        ChartStyle.apply(chart);
        if (xAxisMin != null) {
            chart.getStyler().setXAxisMin(xAxisMin);
        }
        rightYAxes.forEach((group, axisTitle) -> {
            chart.getStyler().setYAxisGroupPosition(group, Styler.YAxisPosition.Right);
            chart.setYAxisGroupTitle(group, axisTitle);
        });
        for (double x : verticalLines) {
            chart.addAnnotation(new AnnotationLine(x, true, false));
        }
        if (shadeName != null && shadeTo > shadeFrom && yMax >= yMin) {
            XYSeries area = chart.addSeries(shadeName, new double[] {shadeFrom, shadeFrom, shadeTo, shadeTo},
                    new double[] {yMin, yMax, yMax, yMin});
            area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            area.setMarker(SeriesMarkers.NONE);
            area.setFillColor(ChartStyle.SHADE);
            area.setLineColor(ChartStyle.SHADE);
            area.setLineStyle(SeriesLines.NONE);
        }
        kept.forEach((name, line) -> {
            XYSeries s = chart.addSeries(name, line.x(), line.y());
            ChartStyle.styleLine(s, line.color(), line.dashed());
            s.setYAxisGroup(line.yAxisGroup());
        });
        if (logX) {
            ChartStyle.logX(chart, xMin, xMax);
        } else if (chart.getStyler().getXAxisMin() == null && xMax - xMin >= 1) {
            // see countingXAxisFromZero: round ticks also when the x values are equally spaced
            chart.getStyler().setXAxisMin(xMin - 1e-3);
        }
        if (logY) {
            ChartStyle.logY(chart, yMin, yMax);
        }
        return chart;
    }

    private LineChartBuilder put(String name, Line line) {
        if (lines.containsKey(name)) {
            throw new IllegalArgumentException("series name \"" + name + "\" is used twice");
        }
        lines.put(name, line);
        return this;
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a series has a null or blank name");
        }
        return name;
    }

    private static void requireLine(String name, double[] x, double[] y, int yAxisGroup) {
        Charts.requireSameLength(name, "x", x, "y", y);
        if (yAxisGroup < 0) {
            throw new IllegalArgumentException("series \"" + name + "\": y axis group " + yAxisGroup + " is negative");
        }
    }

    /** The points with finite coordinates that a log axis can show. */
    static double[][] keep(double[] x, double[] y, boolean logX, boolean logY) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        int n = 0;
        boolean[] ok = new boolean[x.length];
        for (int i = 0; i < x.length; i++) {
            ok[i] = Double.isFinite(x[i]) && Double.isFinite(y[i]) && (!logX || x[i] > 0) && (!logY || y[i] > 0);
            if (ok[i]) {
                n++;
            }
        }
        double[] kx = new double[n];
        double[] ky = new double[n];
        for (int i = 0, k = 0; i < x.length; i++) {
            if (ok[i]) {
                kx[k] = x[i];
                ky[k] = y[i];
                k++;
            }
        }
        return new double[][] {kx, ky};
    }
}
