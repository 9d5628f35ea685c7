package io.github.fastgn.experiment;

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

import io.github.fastgn.plot.ChartExport;
import io.github.fastgn.plot.ChartStyle;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** The paper's figures ({@link PaperCharts}), moved here from the plot module's ChartsTest. */
class PaperChartsTest {

    // ------------------------------------------------------------------------------ (a) mechanism

    @Test
    void cosineHeatmapAndLinesShareOneMatrix() {
        double[] taus = {0, 1, 8};
        double[] lambdas = {1e-4, 1e-2};
        double[] meanQ2 = {0.11, 0.5, 0.3}; // deliberately unsorted
        double[][] cos = {{0.52, 0.7, 0.82}, {0.89, 0.93, 0.96}};

        HeatMapChart heat = PaperCharts.cosineHeatmap(taus, lambdas, cos);
        assertEquals(List.of("0", "1", "8"), heat.getHeatMapSeries().getXData());
        assertEquals(List.of("1e-4", "0.01"), heat.getHeatMapSeries().getYData());
        assertCell(heat.getHeatMapSeries().getHeatData(), 2, 0, 0.82);

        XYChart lines = PaperCharts.cosineLines(meanQ2, lambdas, cos);
        assertEquals(List.of("\u03BB = 1e-4", "\u03BB = 0.01"), new ArrayList<>(lines.getSeriesMap().keySet()));
        XYSeries first = lines.getSeriesMap().get("\u03BB = 1e-4");
        assertArrayEquals(new double[] {0.11, 0.3, 0.5}, first.getXData(), "joined in increasing mean ||q||^2");
        assertArrayEquals(new double[] {0.52, 0.82, 0.7}, first.getYData());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperCharts.cosineLines(meanQ2, new double[] {1e-4}, cos));
        assertTrue(e.getMessage().contains("2 rows but there are 1 lambdas"), e.getMessage());
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
        XYChart chart = PaperCharts.costVsK(measured, model, ks);
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

        assertEquals(4, PaperCharts.costVsK(measured, null, ks).getSeriesMap().size() + 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperCharts.costVsK(Map.of("SGD", new double[] {1, 2}), null, ks));
        assertTrue(e.getMessage().contains("\"SGD\": ks has 3 values but seconds has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PaperCharts.costVsK(Map.of("SGD", new double[] {1}), null, new int[] {0}));
        assertTrue(e.getMessage().contains("ks[0] = 0"), e.getMessage());
    }

    // ------------------------------------------------------------------------------ safe step

    @Test
    void spikeTracesTakeATitleAndAWindowLabel() {
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("FGN, no guard", new double[] {2, 1, 40, 90});
        XYChart chart = PaperCharts.spikeTraces("FGN under a damping spike", "lambda forced to 1e-8", loss, 1, 3);
        assertEquals("FGN under a damping spike", chart.getTitle());
        assertEquals(List.of("lambda forced to 1e-8", "FGN, no guard"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertArrayEquals(new double[] {1, 1, 3, 3}, chart.getSeriesMap().get("lambda forced to 1e-8").getXData());
    }

    @Test
    void spikeTracesShadeTheSpikeWindowBeneathTheLines() {
        Map<String, double[]> loss = new LinkedHashMap<>();
        loss.put("SGD", new double[] {2, 1, 50, Double.POSITIVE_INFINITY, Double.NaN});
        loss.put("SGD + guard", new double[] {2, 1, 0.9, 0.8, 0.7});
        XYChart chart = PaperCharts.spikeTraces(loss, 2);
        assertEquals(List.of(PaperCharts.SPIKE_SERIES, "SGD", "SGD + guard"), new ArrayList<>(chart.getSeriesMap().keySet()));
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        XYSeries sgd = chart.getSeriesMap().get("SGD");
        assertArrayEquals(new double[] {0, 1, 2}, sgd.getXData(), "the diverged tail is left out");
        XYSeries spike = chart.getSeriesMap().get(PaperCharts.SPIKE_SERIES);
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, spike.getXYSeriesRenderStyle());
        assertArrayEquals(new double[] {2, 2, 4, 4}, spike.getXData());
        assertArrayEquals(new double[] {0.7, 50, 50, 0.7}, spike.getYData());
        assertEquals(sgd.getLineColor(), chart.getSeriesMap().get("SGD + guard").getLineColor());

        XYChart window = PaperCharts.spikeTraces(loss, 1, 2);
        assertArrayEquals(new double[] {1, 1, 2, 2}, window.getSeriesMap().get(PaperCharts.SPIKE_SERIES).getXData());
        XYChart oneStep = PaperCharts.spikeTraces(loss, 1, 1); // a line, no area
        assertFalse(oneStep.getSeriesMap().containsKey(PaperCharts.SPIKE_SERIES));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PaperCharts.spikeTraces(loss, 9));
        assertTrue(e.getMessage().contains("after the last step 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PaperCharts.spikeTraces(loss, 3, 2));
        assertTrue(e.getMessage().contains("spikeStart <= spikeEnd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PaperCharts.spikeTraces(Map.of(PaperCharts.SPIKE_SERIES, new double[] {1}), 0));
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
        XYChart chart = PaperCharts.phaseTransition(r, acc, dl);
        assertEquals(List.of("gradient", "FGN", "gradient" + PaperCharts.DELTA_LOSS_SUFFIX),
                new ArrayList<>(chart.getSeriesMap().keySet()));
        assertTrue(chart.getStyler().isXAxisLogarithmic());
        assertFalse(chart.getStyler().isYAxisLogarithmic());
        XYSeries loss = chart.getSeriesMap().get("gradient" + PaperCharts.DELTA_LOSS_SUFFIX);
        assertEquals(1, loss.getYAxisGroup());
        assertEquals(0, chart.getSeriesMap().get("FGN").getYAxisGroup());
        assertArrayEquals(new double[] {-0.01, 0.1, 5}, loss.getYData(), "loss changes may be negative");
        assertEquals(chart.getSeriesMap().get("gradient").getLineColor(), loss.getLineColor());
        assertEquals("\u0394loss", chart.getYAxisGroupTitle(1));

        assertEquals(2, PaperCharts.phaseTransition(r, acc, null).getSeriesMap().size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PaperCharts.phaseTransition(new double[] {0, 1, 2}, acc, null));
        assertTrue(e.getMessage().contains("r[0] = 0.0"), e.getMessage());
    }

    // ------------------------------------------------------------------------------ rendering

    @Test
    void everyFigureRendersAtItsSizeAndNamesItsSeriesInSvg() {
        double[] r = {0.1, 0.3, 1, 3, 10};
        Map<String, double[]> acc = Map.of("FGN", new double[] {0.9, 0.9, 0.8, 0.3, 0.1});
        Map<String, double[]> dl = Map.of("FGN", new double[] {0, 0.01, 0.2, 2, 20});
        Map<String, double[]> spike = new LinkedHashMap<>();
        spike.put("Adam", new double[] {2, 1.5, 40, 80, Double.NaN});
        spike.put("Adam + guard", new double[] {2, 1.5, 1.2, 1.0, 0.9});
        Map<String, double[]> measured = Map.of("fgn-row-cg", new double[] {1e-3, 1e-2, 1e-1});
        Map<String, double[]> model = Map.of("fgn-row-cg", new double[] {2e-3, 2e-2, 2e-1});
        List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = List.of(
                PaperCharts.cosineHeatmap(new double[] {0, 8}, new double[] {1e-4, 1}, new double[][] {{0.5, 0.8}, {0.99, 1}}),
                PaperCharts.cosineLines(new double[] {0.1, 0.9}, new double[] {1e-4, 1}, new double[][] {{0.5, 0.8}, {0.99, 1}}),
                PaperCharts.costVsK(measured, model, new int[] {2, 20, 200}),
                PaperCharts.spikeTraces(spike, 2),
                PaperCharts.phaseTransition(r, acc, dl));
        for (var chart : charts) {
            BufferedImage image = ChartExport.toImage(chart);
            assertEquals(ChartStyle.DEFAULT_WIDTH, image.getWidth(), chart.getTitle());
            assertEquals(ChartStyle.DEFAULT_HEIGHT, image.getHeight(), chart.getTitle());
            String svg = ChartExport.toSvg(chart);
            assertTrue(svg.contains("<title>" + escapeXml(chart.getTitle()) + "</title>"), chart.getTitle());
            for (String series : chart.getSeriesMap().keySet()) {
                assertTrue(svg.contains(escapeXml(series)), chart.getTitle() + ": " + series);
            }
            assertTrue(svg.contains("x axis: " + escapeXml(chart.getXAxisTitle())), chart.getTitle());
        }
    }

    // ------------------------------------------------------------------------------ helpers

    private static void assertCell(List<? extends Number[]> heatData, int x, int y, double value) {
        List<Number[]> cells = new ArrayList<>(heatData);
        Number[] cell = cells.stream().filter(c -> c[0].intValue() == x && c[1].intValue() == y).findFirst()
                .orElseThrow(() -> new AssertionError("no cell " + x + "," + y));
        assertEquals(value, cell[2].doubleValue(), 0.0);
    }

    /** As ChartExport's (package-private) escaping of SVG text. */
    private static String escapeXml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;");
    }
}
