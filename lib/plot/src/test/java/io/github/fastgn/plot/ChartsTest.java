package io.github.fastgn.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.fastgn.optim.IterationRecord;
import io.github.fastgn.optim.StopReason;
import io.github.fastgn.optim.TrainingResult;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapSeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

class ChartsTest {

    /** A history with the given objectives; gradient norm = 10 * objective, 0.5 s and one epoch per step. */
    static List<IterationRecord> history(double... objectives) {
        List<IterationRecord> h = new ArrayList<>();
        for (int i = 0; i < objectives.length; i++) {
            h.add(new IterationRecord(i + 1, i + 1, objectives[i], 10 * objectives[i], 1e-3, 1.0, 0, 0.5,
                    false, true, 0.5 * (i + 1)));
        }
        return h;
    }

    static Map<String, List<IterationRecord>> twoRuns() {
        Map<String, List<IterationRecord>> runs = new LinkedHashMap<>();
        runs.put("FGN", history(1.0, 0.5, 0.25));
        runs.put("Adam + guard", history(1.0, 0.8, 0.7, 0.6));
        return runs;
    }

    // ------------------------------------------------------------------------------ loss curves

    @Test
    void lossCurvesPlotOneLinePerRunInMapOrder() {
        XYChart chart = Charts.lossCurves(twoRuns(), Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE);
        assertEquals(List.of("FGN", "Adam + guard"), new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries fgn = chart.getSeriesMap().get("FGN");
        assertArrayEquals(new double[] {1, 2, 3}, fgn.getXData());
        assertArrayEquals(new double[] {1.0, 0.5, 0.25}, fgn.getYData());
        assertFalse(chart.getStyler().isYAxisLogarithmic());
        assertFalse(chart.getStyler().isXAxisLogarithmic());
        assertEquals("iteration", chart.getXAxisTitle());
        assertEquals("objective", chart.getYAxisTitle());
        assertEquals(ChartStyle.DEFAULT_WIDTH, chart.getWidth());
        assertEquals(ChartStyle.DEFAULT_HEIGHT, chart.getHeight());
        // method colours; the guarded variant is dashed in its method's colour
        assertEquals(ChartStyle.colorOf("FGN"), fgn.getLineColor());
        XYSeries adam = chart.getSeriesMap().get("Adam + guard");
        assertEquals(ChartStyle.colorOf("Adam"), adam.getLineColor());
        assertNull(fgn.getLineStyle().getDashArray());
        assertNotNull(adam.getLineStyle().getDashArray());
        assertEquals(Styler.LegendPosition.OutsideE, chart.getStyler().getLegendPosition());
    }

    @Test
    void lossCurvesUseTheRequestedXAxis() {
        XYChart seconds = Charts.lossCurves(twoRuns(), Charts.XAxis.SECONDS, Charts.YValue.GRADIENT_NORM);
        assertArrayEquals(new double[] {0.5, 1.0, 1.5}, seconds.getSeriesMap().get("FGN").getXData());
        assertArrayEquals(new double[] {10, 5, 2.5}, seconds.getSeriesMap().get("FGN").getYData());
        assertEquals("wall-clock time (s)", seconds.getXAxisTitle());
        assertTrue(seconds.getStyler().isYAxisLogarithmic());

        XYChart epochs = Charts.lossCurves(twoRuns(), Charts.XAxis.EPOCH, Charts.YValue.OBJECTIVE);
        assertArrayEquals(new double[] {1, 2, 3, 4}, epochs.getSeriesMap().get("Adam + guard").getXData());
    }

    @Test
    void objectiveGapIsLogScaledAndDropsNonPositiveValues() {
        Map<String, List<IterationRecord>> runs = new LinkedHashMap<>();
        runs.put("Newton", history(1.25, 0.5, 0.25, 0.25, 0.2)); // reaches f* = 0.25, then undershoots
        runs.put("SGD", history(0.25, 0.25)); // never above f*: nothing to show on a log axis
        XYChart chart = Charts.lossCurves(runs, Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE_GAP, 0.25);
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(List.of("Newton"), new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries s = chart.getSeriesMap().get("Newton");
        assertArrayEquals(new double[] {1, 2}, s.getXData());
        assertArrayEquals(new double[] {1.0, 0.25}, s.getYData(), 1e-15);
        assertEquals("objective gap f - f*", chart.getYAxisTitle());
        ChartExport.toImage(chart); // renders without XChart's log-axis exception
    }

    @Test
    void lossCurvesRejectBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lossCurves(twoRuns(), Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE_GAP));
        assertTrue(e.getMessage().contains("fStar"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lossCurves(twoRuns(), Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE_GAP, Double.NaN));
        assertTrue(e.getMessage().contains("fStar"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lossCurves(Map.of(), Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE));
        assertTrue(e.getMessage().contains("runs is empty"), e.getMessage());
        Map<String, List<IterationRecord>> empty = new LinkedHashMap<>();
        empty.put("L-BFGS", List.of());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lossCurves(empty, Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE));
        assertTrue(e.getMessage().contains("\"L-BFGS\" has an empty history"), e.getMessage());
        Map<String, List<IterationRecord>> allAtOptimum = Map.of("FGN", history(0.5, 0.5));
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lossCurves(allAtOptimum, Charts.XAxis.ITERATION, Charts.YValue.OBJECTIVE_GAP, 0.5));
        assertTrue(e.getMessage().contains("non-positive on a log axis"), e.getMessage());
    }

    @Test
    void historiesKeepTheOrderOfResults() {
        Map<String, TrainingResult> results = new LinkedHashMap<>();
        results.put("b", result(history(2, 1)));
        results.put("a", result(history(3)));
        Map<String, List<IterationRecord>> h = Charts.histories(results);
        assertEquals(List.of("b", "a"), new ArrayList<>(h.keySet()));
        assertEquals(2, h.get("b").size());
    }

    private static TrainingResult result(List<IterationRecord> history) {
        return new TrainingResult(new double[1], 0, 0, history.size(), history.size(), 0.0, "fgn-row-cholesky",
                StopReason.MAX_ITERATIONS, history, 1.0);
    }

    // ------------------------------------------------------------------------------ generic lines

    @Test
    void linesKeepDataAndDropWhatALogAxisCannotShow() {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("train accuracy", new double[][] {{1, 2, 3, 4}, {0.5, Double.NaN, 0.9, 0.95}});
        series.put("lambda", new double[][] {{1, 2, 3, 4}, {1e-2, 0, -1, 1e-4}});
        XYChart lin = Charts.lines("t", "epoch", "value", series, false, false);
        assertArrayEquals(new double[] {1, 3, 4}, lin.getSeriesMap().get("train accuracy").getXData());
        assertArrayEquals(new double[] {1e-2, 0, -1, 1e-4}, lin.getSeriesMap().get("lambda").getYData());

        XYChart log = Charts.lines("t", "epoch", "value", series, true, true);
        assertTrue(log.getStyler().isXAxisLogarithmic());
        assertTrue(log.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {1, 4}, log.getSeriesMap().get("lambda").getXData());
        assertArrayEquals(new double[] {1e-2, 1e-4}, log.getSeriesMap().get("lambda").getYData());
        assertEquals("t", log.getTitle());
        ChartExport.toImage(log);
    }

    @Test
    void linesRejectMalformedSeriesNamingThem() {
        Map<String, double[][]> mismatched = Map.of("SGD", new double[][] {{1, 2, 3}, {1, 2}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.lines("t", "x", "y", mismatched, false, false));
        assertTrue(e.getMessage().contains("\"SGD\"") && e.getMessage().contains("3") && e.getMessage().contains("2"),
                e.getMessage());
        Map<String, double[][]> empty = Map.of("SGD", new double[][] {{}, {}});
        e = assertThrows(IllegalArgumentException.class, () -> Charts.lines("t", "x", "y", empty, false, false));
        assertTrue(e.getMessage().contains("\"SGD\" is empty"), e.getMessage());
        Map<String, double[][]> oneArray = Map.of("SGD", new double[][] {{1, 2}});
        e = assertThrows(IllegalArgumentException.class, () -> Charts.lines("t", "x", "y", oneArray, false, false));
        assertTrue(e.getMessage().contains("{x, y}"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Charts.lines("t", "x", "y", Map.of(), false, false));
    }

    // ------------------------------------------------------------------------------ heat maps

    @Test
    void heatmapHoldsTheValuesWithRowZeroAtTheBottom() {
        double[][] v = {{0.1, 0.2, 0.3}, {0.4, Double.NaN, 0.6}};
        HeatMapChart chart = Charts.heatmap("cos", new String[] {"a", "b", "c"}, new String[] {"low", "high"}, v, "cosine");
        HeatMapSeries s = chart.getHeatMapSeries();
        assertEquals("cosine", s.getName());
        assertEquals(List.of("a", "b", "c"), s.getXData());
        assertEquals(List.of("low", "high"), s.getYData());
        List<Number[]> cells = new ArrayList<>(s.getHeatData());
        assertEquals(5, cells.size(), "the NaN cell is left blank");
        assertCell(cells, 0, 0, 0.1);
        assertCell(cells, 2, 1, 0.6);
        assertTrue(cells.stream().noneMatch(c -> c[0].intValue() == 1 && c[1].intValue() == 1));
        // colour bar rounded outwards to short numbers, values printed with two decimals
        assertEquals(0.1, chart.getStyler().getMin(), 1e-15);
        assertEquals(0.6, chart.getStyler().getMax(), 1e-15);
        assertTrue(chart.getStyler().isShowValue());
        assertEquals("0.00", chart.getStyler().getHeatMapValueDecimalPattern());
    }

    private static void assertCell(List<? extends Number[]> heatData, int x, int y, double value) {
        List<Number[]> cells = new ArrayList<>(heatData);
        Number[] cell = cells.stream().filter(c -> c[0].intValue() == x && c[1].intValue() == y).findFirst()
                .orElseThrow(() -> new AssertionError("no cell " + x + "," + y));
        assertEquals(value, cell[2].doubleValue(), 0.0);
    }

    @Test
    void heatmapRejectsShapeMismatchesAndInfinities() {
        String[] x = {"a", "b"};
        String[] y = {"r"};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.heatmap("t", x, y, new double[][] {{1, 2, 3}}, "v"));
        assertTrue(e.getMessage().contains("row 0 has 3 entries but there are 2 xLabels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.heatmap("t", x, y, new double[][] {{1, 2}, {3, 4}}, "v"));
        assertTrue(e.getMessage().contains("2 rows but there are 1 yLabels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.heatmap("t", x, y, new double[][] {{1, Double.POSITIVE_INFINITY}}, "v"));
        assertTrue(e.getMessage().contains("NaN for a blank cell"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.heatmap("t", x, y, new double[][] {{Double.NaN, Double.NaN}}, "v"));
        assertTrue(e.getMessage().contains("no finite value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Charts.heatmap("t", new String[0], y, new double[][] {{}}, "v"));
    }

    @Test
    void confusionMatrixPutsTheFirstClassOnTop() {
        int[][] counts = {{5, 1, 0}, {2, 7, 0}, {0, 0, 9}};
        String[] names = {"cat", "dog", "bird"};
        HeatMapChart chart = Charts.confusionMatrix(counts, names);
        HeatMapSeries s = chart.getHeatMapSeries();
        assertEquals(List.of("cat", "dog", "bird"), s.getXData());
        assertEquals(List.of("bird", "dog", "cat"), s.getYData(), "y runs bottom to top");
        assertCell(s.getHeatData(), 0, 2, 5); // predicted cat, true cat: top left
        assertCell(s.getHeatData(), 0, 1, 2); // predicted cat, true dog
        assertCell(s.getHeatData(), 2, 0, 9); // predicted bird, true bird: bottom right
        assertEquals("predicted class", chart.getXAxisTitle());
        assertEquals("true class", chart.getYAxisTitle());
        assertEquals("0", chart.getStyler().getHeatMapValueDecimalPattern());
        assertEquals(0.0, chart.getStyler().getMin());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.confusionMatrix(new int[][] {{1, 2}, {3}}, new String[] {"a", "b"}));
        assertTrue(e.getMessage().contains("row 1 has 1 entries, expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.confusionMatrix(new int[][] {{1, -2}, {3, 4}}, new String[] {"a", "b"}));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.confusionMatrix(counts, new String[] {"a", "b"}));
        assertTrue(e.getMessage().contains("3 rows but there are 2 class names"), e.getMessage());
    }

    // ------------------------------------------------------------------------------ rendering

    @Test
    void everyChartKindRendersAtItsSizeAndNamesItsSeriesInSvg() {
        Map<String, double[][]> accuracy = new LinkedHashMap<>();
        accuracy.put("FGN", new double[][] {{1, 2, 3}, {0.5, 0.8, 0.9}});
        accuracy.put("Adam + guard", new double[][] {{1, 2, 3}, {0.4, 0.6, 0.7}});
        HeatMapChart grid = Charts.heatmap("Grid", new String[] {"0", "8"}, new String[] {"1e-4", "1"},
                new double[][] {{0.5, 0.8}, {0.99, 1}}, "cos & co");
        grid.setXAxisTitle("tau");
        List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = List.of(
                Charts.lossCurves(twoRuns(), Charts.XAxis.EPOCH, Charts.YValue.GRADIENT_NORM),
                Charts.lines("Accuracy <by epoch>", "epoch", "accuracy", accuracy, false, false),
                grid,
                new LineChartBuilder().title("Builder").xAxisTitle("step").yAxisTitle("loss")
                        .line("SGD", new double[] {0, 1, 2}, new double[] {2, 1, 0.5})
                        .line("\u0394loss", ChartStyle.colorOf("SGD"), new double[] {0, 1, 2}, new double[] {-1, 0, 1}, true, 1)
                        .rightYAxis(1, "\u0394loss")
                        .shade("window", 1, 2).verticalLine(1).build(),
                Charts.confusionMatrix(new int[][] {{3, 1}, {0, 4}}, new String[] {"T-shirt/top", "Trouser"}));
        for (var chart : charts) {
            BufferedImage image = ChartExport.toImage(chart);
            assertEquals(ChartStyle.DEFAULT_WIDTH, image.getWidth(), chart.getTitle());
            assertEquals(ChartStyle.DEFAULT_HEIGHT, image.getHeight(), chart.getTitle());
            String svg = ChartExport.toSvg(chart);
            assertTrue(svg.contains("<title>" + ChartExport.escapeXml(chart.getTitle()) + "</title>"), chart.getTitle());
            for (String series : chart.getSeriesMap().keySet()) {
                assertTrue(svg.contains(ChartExport.escapeXml(series)), chart.getTitle() + ": " + series);
            }
            assertTrue(svg.contains("x axis: " + ChartExport.escapeXml(chart.getXAxisTitle())), chart.getTitle());
        }
    }

    // ------------------------------------------------------------------------------ helpers

    @Test
    void numbersAreLabelledShortly() {
        assertEquals("0", Charts.formatNumber(0));
        assertEquals("0.5", Charts.formatNumber(0.5));
        assertEquals("8", Charts.formatNumber(8));
        assertEquals("0.001", Charts.formatNumber(1e-3));
        assertEquals("1e-4", Charts.formatNumber(1e-4));
        assertEquals("2.5e-5", Charts.formatNumber(2.5e-5));
        assertEquals("1e6", Charts.formatNumber(1e6));
        assertEquals("-0.25", Charts.formatNumber(-0.25));
    }

    @Test
    void colourBarRangesAreRoundedOutwards() {
        assertArrayEquals(new double[] {0.5, 1.0}, Charts.niceRange(0.52, 0.9997));
        assertArrayEquals(new double[] {0, 200}, Charts.niceRange(0, 179));
        assertArrayEquals(new double[] {-1, 1}, Charts.niceRange(-0.93, 0.98));
        double[] flat = Charts.niceRange(3, 3);
        assertTrue(flat[0] < 3 && flat[1] > 3);
    }
}
