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
        return new TrainingResult(new double[1], 0, 0, history.size(), history.size(), "fgn-row-cholesky",
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
    void cosineHeatmapAndLinesShareOneMatrix() {
        double[] taus = {0, 1, 8};
        double[] lambdas = {1e-4, 1e-2};
        double[] meanQ2 = {0.11, 0.5, 0.3}; // deliberately unsorted
        double[][] cos = {{0.52, 0.7, 0.82}, {0.89, 0.93, 0.96}};

        HeatMapChart heat = Charts.cosineHeatmap(taus, lambdas, cos);
        assertEquals(List.of("0", "1", "8"), heat.getHeatMapSeries().getXData());
        assertEquals(List.of("1e-4", "0.01"), heat.getHeatMapSeries().getYData());
        assertCell(heat.getHeatMapSeries().getHeatData(), 2, 0, 0.82);

        XYChart lines = Charts.cosineLines(meanQ2, lambdas, cos);
        assertEquals(List.of("\u03BB = 1e-4", "\u03BB = 0.01"), new ArrayList<>(lines.getSeriesMap().keySet()));
        XYSeries first = lines.getSeriesMap().get("\u03BB = 1e-4");
        assertArrayEquals(new double[] {0.11, 0.3, 0.5}, first.getXData(), "joined in increasing mean ||q||^2");
        assertArrayEquals(new double[] {0.52, 0.82, 0.7}, first.getYData());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.cosineLines(meanQ2, new double[] {1e-4}, cos));
        assertTrue(e.getMessage().contains("2 rows but there are 1 lambdas"), e.getMessage());
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

    // ------------------------------------------------------------------------------ cost vs K

    @Test
    void costVsKPairsEachMeasuredLineWithADashedModelLine() {
        int[] ks = {2, 10, 100};
        Map<String, double[]> measured = new LinkedHashMap<>();
        measured.put("fgn-row-cholesky", new double[] {1e-3, 2e-3, 3e-3});
        measured.put("ggn-row-cholesky", new double[] {1e-3, 1e-1, Double.NaN}); // not run at K = 100
        Map<String, double[]> model = new LinkedHashMap<>();
        model.put("ggn-row-cholesky", new double[] {8e-4, 9e-2, 90});
        model.put("fgn-row-cholesky", new double[] {9e-4, 1.9e-3, 2.5e-3});
        XYChart chart = Charts.costVsK(measured, model, ks);
        assertEquals(List.of("fgn-row-cholesky", "fgn-row-cholesky (model)", "ggn-row-cholesky",
                "ggn-row-cholesky (model)"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertTrue(chart.getStyler().isXAxisLogarithmic());
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        XYSeries ggn = chart.getSeriesMap().get("ggn-row-cholesky");
        XYSeries ggnModel = chart.getSeriesMap().get("ggn-row-cholesky (model)");
        assertArrayEquals(new double[] {2, 10}, ggn.getXData());
        assertArrayEquals(new double[] {2, 10, 100}, ggnModel.getXData());
        assertEquals(ggn.getLineColor(), ggnModel.getLineColor());
        assertNull(ggn.getLineStyle().getDashArray());
        assertNotNull(ggnModel.getLineStyle().getDashArray());

        assertEquals(4, Charts.costVsK(measured, null, ks).getSeriesMap().size() + 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.costVsK(Map.of("SGD", new double[] {1, 2}), null, ks));
        assertTrue(e.getMessage().contains("\"SGD\": ks has 3 values but seconds has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.costVsK(Map.of("SGD", new double[] {1}), null, new int[] {0}));
        assertTrue(e.getMessage().contains("ks[0] = 0"), e.getMessage());
    }

    // ------------------------------------------------------------------------------ safe step

    @Test
    void spikeTracesTakeATitleAndAWindowLabel() {
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("FGN, no guard", new double[] {2, 1, 40, 90});
        XYChart chart = Charts.spikeTraces("FGN under a damping spike", "lambda forced to 1e-8", loss, 1, 3);
        assertEquals("FGN under a damping spike", chart.getTitle());
        assertEquals(List.of("lambda forced to 1e-8", "FGN, no guard"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertArrayEquals(new double[] {1, 1, 3, 3}, chart.getSeriesMap().get("lambda forced to 1e-8").getXData());
    }

    @Test
    void spikeTracesShadeTheSpikeWindowBeneathTheLines() {
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("SGD", new double[] {2, 1, 50, Double.POSITIVE_INFINITY, Double.NaN});
        loss.put("SGD + guard", new double[] {2, 1, 0.9, 0.8, 0.7});
        XYChart chart = Charts.spikeTraces(loss, 2);
        assertEquals(List.of(Charts.SPIKE_SERIES, "SGD", "SGD + guard"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        XYSeries sgd = chart.getSeriesMap().get("SGD");
        assertArrayEquals(new double[] {0, 1, 2}, sgd.getXData(), "the diverged tail is left out");
        XYSeries spike = chart.getSeriesMap().get(Charts.SPIKE_SERIES);
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, spike.getXYSeriesRenderStyle());
        assertArrayEquals(new double[] {2, 2, 4, 4}, spike.getXData());
        assertArrayEquals(new double[] {0.7, 50, 50, 0.7}, spike.getYData());
        assertEquals(sgd.getLineColor(), chart.getSeriesMap().get("SGD + guard").getLineColor());

        XYChart window = Charts.spikeTraces(loss, 1, 2);
        assertArrayEquals(new double[] {1, 1, 2, 2}, window.getSeriesMap().get(Charts.SPIKE_SERIES).getXData());
        XYChart oneStep = Charts.spikeTraces(loss, 1, 1); // a line, no area
        assertFalse(oneStep.getSeriesMap().containsKey(Charts.SPIKE_SERIES));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Charts.spikeTraces(loss, 9));
        assertTrue(e.getMessage().contains("after the last step 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Charts.spikeTraces(loss, 3, 2));
        assertTrue(e.getMessage().contains("spikeStart <= spikeEnd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Charts.spikeTraces(Map.of(Charts.SPIKE_SERIES, new double[] {1}), 0));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }

    @Test
    void phaseTransitionPutsLossChangeOnASecondAxis() {
        double[] r = {0.1, 1, 10};
        Map<String, double[]> acc = new LinkedHashMap<>();
        acc.put("gradient", new double[] {0.95, 0.9, 0.1});
        acc.put("FGN", new double[] {0.95, 0.93, 0.2});
        Map<String, double[]> dl = new LinkedHashMap<>();
        dl.put("gradient", new double[] {-0.01, 0.1, 5});
        XYChart chart = Charts.phaseTransition(r, acc, dl);
        assertEquals(List.of("gradient", "FGN", "gradient" + Charts.DELTA_LOSS_SUFFIX),
                new ArrayList<>(chart.getSeriesMap().keySet()));
        assertTrue(chart.getStyler().isXAxisLogarithmic());
        assertFalse(chart.getStyler().isYAxisLogarithmic());
        XYSeries loss = chart.getSeriesMap().get("gradient" + Charts.DELTA_LOSS_SUFFIX);
        assertEquals(1, loss.getYAxisGroup());
        assertEquals(0, chart.getSeriesMap().get("FGN").getYAxisGroup());
        assertArrayEquals(new double[] {-0.01, 0.1, 5}, loss.getYData(), "loss changes may be negative");
        assertEquals(chart.getSeriesMap().get("gradient").getLineColor(), loss.getLineColor());
        assertEquals("\u0394loss", chart.getYAxisGroupTitle(1));

        assertEquals(2, Charts.phaseTransition(r, acc, null).getSeriesMap().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.phaseTransition(new double[] {0, 1, 2}, acc, null));
        assertTrue(e.getMessage().contains("r[0] = 0.0"), e.getMessage());
    }

    // ------------------------------------------------------------------------------ rendering

    @Test
    void everyChartKindRendersAtItsSizeAndNamesItsSeriesInSvg() {
        double[] r = {0.1, 0.3, 1, 3, 10};
        Map<String, double[]> acc = Map.of("FGN", new double[] {0.9, 0.9, 0.8, 0.3, 0.1});
        Map<String, double[]> dl = Map.of("FGN", new double[] {0, 0.01, 0.2, 2, 20});
        Map<String, double[]> spike = new LinkedHashMap<>();
        spike.put("Adam", new double[] {2, 1.5, 40, 80, Double.NaN});
        spike.put("Adam + guard", new double[] {2, 1.5, 1.2, 1.0, 0.9});
        Map<String, double[]> measured = Map.of("fgn-row-cg", new double[] {1e-3, 1e-2, 1e-1});
        Map<String, double[]> model = Map.of("fgn-row-cg", new double[] {2e-3, 2e-2, 2e-1});
        List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = List.of(
                Charts.lossCurves(twoRuns(), Charts.XAxis.EPOCH, Charts.YValue.GRADIENT_NORM),
                Charts.cosineHeatmap(new double[] {0, 8}, new double[] {1e-4, 1}, new double[][] {{0.5, 0.8}, {0.99, 1}}),
                Charts.cosineLines(new double[] {0.1, 0.9}, new double[] {1e-4, 1}, new double[][] {{0.5, 0.8}, {0.99, 1}}),
                Charts.costVsK(measured, model, new int[] {2, 20, 200}),
                Charts.spikeTraces(spike, 2),
                Charts.phaseTransition(r, acc, dl),
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
