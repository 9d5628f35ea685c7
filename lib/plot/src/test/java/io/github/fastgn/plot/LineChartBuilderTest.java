package io.github.fastgn.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

class LineChartBuilderTest {

    private static final double[] X = {0, 1, 2, 3};

    @Test
    void buildsAStyledChartWithTitlesAndLinesInOrder() {
        XYChart chart = new LineChartBuilder().title("Loss").xAxisTitle("step").yAxisTitle("loss")
                .line("FGN", X, new double[] {4, 3, 2, 1})
                .line("Adam + guard", X, new double[] {4, 3.5, 3, 2.5})
                .build();
        assertEquals("Loss", chart.getTitle());
        assertEquals("step", chart.getXAxisTitle());
        assertEquals("loss", chart.getYAxisTitle());
        assertEquals(ChartStyle.DEFAULT_WIDTH, chart.getWidth());
        assertEquals(ChartStyle.DEFAULT_HEIGHT, chart.getHeight());
        assertEquals(Styler.LegendPosition.OutsideE, chart.getStyler().getLegendPosition());
        assertEquals(List.of("FGN", "Adam + guard"), new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries fgn = chart.getSeriesMap().get("FGN");
        XYSeries adam = chart.getSeriesMap().get("Adam + guard");
        assertArrayEquals(X, fgn.getXData());
        assertArrayEquals(new double[] {4, 3, 2, 1}, fgn.getYData());
        assertEquals(ChartStyle.colorOf("FGN"), fgn.getLineColor());
        assertEquals(ChartStyle.colorOf("Adam"), adam.getLineColor());
        assertNull(fgn.getLineStyle().getDashArray(), "a method line is solid");
        assertNotNull(adam.getLineStyle().getDashArray(), "a guarded variant is dashed");
        assertFalse(chart.getStyler().isXAxisLogarithmic());
        assertFalse(chart.getStyler().isYAxisLogarithmic());
        assertEquals(-1e-3, chart.getStyler().getXAxisMin(), 0.0, "x spanning >= 1 gets round ticks");
    }

    @Test
    void sizeAndEmptyTitlesCanBeSet() {
        XYChart chart = new LineChartBuilder().title(null).width(300).height(200)
                .line("SGD", new double[] {0.1, 0.2}, new double[] {1, 2}).build();
        assertEquals("", chart.getTitle());
        assertEquals(300, chart.getWidth());
        assertEquals(200, chart.getHeight());
        assertNull(chart.getStyler().getXAxisMin(), "x spanning less than 1 is left to XChart");
        assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().width(0));
        assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().height(-1));
    }

    @Test
    void linesTakeAMethodColourOrAnExplicitColourAndADashChoice() {
        Color red = new Color(200, 0, 0);
        LineChartBuilder b = new LineChartBuilder()
                .line("FGN measured", "FGN", X, X, false)
                .line("FGN (model)", "FGN", X, X, true)
                .line("reference", red, X, X, true);
        assertEquals(ChartStyle.colorOf("FGN"), b.colorOf("FGN"));
        XYChart chart = b.build();
        XYSeries measured = chart.getSeriesMap().get("FGN measured");
        XYSeries model = chart.getSeriesMap().get("FGN (model)");
        assertEquals(ChartStyle.colorOf("FGN"), measured.getLineColor());
        assertEquals(measured.getLineColor(), model.getLineColor());
        assertNull(measured.getLineStyle().getDashArray());
        assertNotNull(model.getLineStyle().getDashArray());
        assertEquals(red, chart.getSeriesMap().get("reference").getLineColor());
    }

    @Test
    void twoMethodsWithTheSameFixedColourAreToldApart() {
        LineChartBuilder b = new LineChartBuilder();
        Color first = b.colorOf("my-method-a");
        Color second = b.colorOf("my-method-b");
        if (ChartStyle.colorOf("my-method-a").equals(ChartStyle.colorOf("my-method-b"))) {
            assertNotEquals(first, second);
        }
        assertEquals(first, b.colorOf("my-method-a"), "a method keeps its colour within one chart");
    }

    @Test
    void aSecondYAxisGroupIsDrawnOnTheRight() {
        XYChart chart = new LineChartBuilder().yAxisTitle("accuracy").rightYAxis(1, "\u0394loss")
                .line("gradient", X, new double[] {0.9, 0.8, 0.5, 0.1})
                .line("gradient (\u0394loss)", "gradient", X, new double[] {-0.5, 0, 2, 9}, true, 1)
                .build();
        XYSeries acc = chart.getSeriesMap().get("gradient");
        XYSeries loss = chart.getSeriesMap().get("gradient (\u0394loss)");
        assertEquals(0, acc.getYAxisGroup());
        assertEquals(1, loss.getYAxisGroup());
        assertEquals(acc.getLineColor(), loss.getLineColor());
        assertEquals("\u0394loss", chart.getYAxisGroupTitle(1));
        assertEquals(Styler.YAxisPosition.Right, chart.getStyler().getYAxisGroupPosistion(1));
        ChartExport.toImage(chart);
        assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().rightYAxis(0, "y"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().line("SGD", Color.BLACK, X, X, false, -1));
        assertTrue(e.getMessage().contains("\"SGD\"") && e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void theShadedWindowSpansTheMainAxisRangeBeneathTheLines() {
        XYChart chart = new LineChartBuilder().logY(true)
                .line("SGD", X, new double[] {2, 1, 50, Double.NaN})
                .line("secondary", "SGD", X, new double[] {1000, 1000, 1000, 1000}, true, 1)
                .line("SGD + guard", X, new double[] {2, 1, 0.9, 0.7})
                .shade("LR spike", 2, 3)
                .countingXAxisFromZero()
                .verticalLine(2)
                .build();
        assertEquals(List.of("LR spike", "SGD", "secondary", "SGD + guard"),
                new ArrayList<>(chart.getSeriesMap().keySet()));
        XYSeries area = chart.getSeriesMap().get("LR spike");
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, area.getXYSeriesRenderStyle());
        assertArrayEquals(new double[] {2, 2, 3, 3}, area.getXData());
        assertArrayEquals(new double[] {0.7, 50, 50, 0.7}, area.getYData(), "group 0's range only");
        assertEquals(-1e-3, chart.getStyler().getXAxisMin(), 0.0);
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {0, 1, 2}, chart.getSeriesMap().get("SGD").getXData());

        XYChart empty = new LineChartBuilder().line("SGD", X, X).shade("window", 1, 1).build();
        assertFalse(empty.getSeriesMap().containsKey("window"), "an empty window draws nothing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().line("SGD", X, X).shade("SGD", 1, 2).build());
        assertTrue(e.getMessage().contains("\"SGD\" is used twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().shade("w", 0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().verticalLine(Double.NaN));
    }

    @Test
    void logAxesDropWhatTheyCannotShowAndAnExplicitAxisMinimumWins() {
        XYChart chart = new LineChartBuilder().logX(true).logY(true)
                .line("lambda", new double[] {0, 1, 10, 100}, new double[] {1, 1e-2, -1, 1e-4})
                .line("never positive", new double[] {1, 2}, new double[] {0, -1})
                .build();
        assertTrue(chart.getStyler().isXAxisLogarithmic());
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(List.of("lambda"), new ArrayList<>(chart.getSeriesMap().keySet()), "an empty line is left out");
        assertArrayEquals(new double[] {1, 100}, chart.getSeriesMap().get("lambda").getXData());
        ChartExport.toImage(chart);

        XYChart seconds = new LineChartBuilder().xAxisMin(0.0)
                .line("FGN", new double[] {0.5, 1, 1.5}, new double[] {3, 2, 1}).build();
        assertEquals(0.0, seconds.getStyler().getXAxisMin(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().xAxisMin(Double.NaN));
    }

    @Test
    void theBuilderCopiesItsInputAndBuildsAFreshChartEachTime() {
        double[] y = {1, 2, 3, 4};
        LineChartBuilder b = new LineChartBuilder().line("SGD", X, y);
        y[0] = 99;
        XYChart first = b.build();
        XYChart second = b.build();
        assertNotSame(first, second);
        assertEquals(1.0, first.getSeriesMap().get("SGD").getYData()[0], 0.0);
    }

    @Test
    void malformedLinesAreRejectedNamingTheSeries() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().line("SGD", new double[] {1, 2, 3}, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("\"SGD\"") && e.getMessage().contains("x has 3 values but y has 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().line("SGD", new double[0], new double[0]));
        assertTrue(e.getMessage().contains("\"SGD\" is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().line("SGD", null, X));
        assertTrue(e.getMessage().contains("\"SGD\": x is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().line(" ", X, X));
        assertTrue(e.getMessage().contains("null or blank name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().line("SGD", X, X).line("SGD", "Adam", X, X, true));
        assertTrue(e.getMessage().contains("series name \"SGD\" is used twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().line("SGD", (Color) null, X, X, false));
        assertTrue(e.getMessage().contains("\"SGD\": color is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().line("SGD", (String) null, X, X, false));
        assertTrue(e.getMessage().contains("\"SGD\""), e.getMessage());
    }

    @Test
    void aChartWithNothingToPlotIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder().build());
        assertTrue(e.getMessage().contains("no line was added"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LineChartBuilder()
                .line("SGD", X, new double[] {Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN}).build());
        assertTrue(e.getMessage().contains("every point is non-finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LineChartBuilder().logY(true).line("SGD", X, new double[] {0, 0, 0, 0}).build());
        assertTrue(e.getMessage().contains("non-positive on a log axis"), e.getMessage());
    }
}
