package io.github.fastgn.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.AWTError;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.w3c.dom.Document;

class ChartExportTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static XYChart xyChart() {
        XYChart chart = new XYChartBuilder().width(ChartStyle.DEFAULT_WIDTH).height(ChartStyle.DEFAULT_HEIGHT)
                .title("Objective & gap <test>").xAxisTitle("iteration").yAxisTitle("objective").build();
        ChartStyle.apply(chart);
        chart.addSeries("FGN", new double[] {1, 2, 3}, new double[] {3, 2, 1});
        chart.addSeries("L-BFGS", new double[] {1, 2, 3}, new double[] {3, 2.5, 2});
        return chart;
    }

    static HeatMapChart heatMap() {
        HeatMapChart chart = new HeatMapChartBuilder().width(400).height(300).title("Confusion")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        ChartStyle.apply(chart);
        chart.addSeries("count", Arrays.asList("cat", "dog"), Arrays.asList("dog", "cat"),
                Arrays.asList(new Number[] {0, 0, 1}, new Number[] {1, 1, 3}));
        return chart;
    }

    // ------------------------------------------------------------------------------ in memory

    @Test
    void imagesHaveTheChartSizeOrTheRequestedOne() {
        XYChart chart = xyChart();
        BufferedImage image = ChartExport.toImage(chart);
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        assertEquals(BufferedImage.TYPE_INT_RGB, image.getType());

        BufferedImage small = ChartExport.toImage(chart, 400, 250);
        assertEquals(400, small.getWidth());
        assertEquals(250, small.getHeight());
        assertThrows(IllegalArgumentException.class, () -> ChartExport.toImage(chart, 0, 10));
    }

    @Test
    void pngBytesDecodeToAnImageOfTheChartSize() throws Exception {
        byte[] png = ChartExport.toPng(heatMap());
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(png, 8));
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(400, decoded.getWidth());
        assertEquals(300, decoded.getHeight());
    }

    @Test
    void svgNamesTitleAxesAndSeriesInItsText() throws Exception {
        String svg = ChartExport.toSvg(xyChart());
        assertTrue(svg.startsWith("<?xml"), svg.substring(0, 40));
        assertTrue(svg.contains("<title>Objective &amp; gap &lt;test&gt;</title>"));
        assertTrue(svg.contains("x axis: iteration"));
        assertTrue(svg.contains("y axis: objective"));
        assertTrue(svg.contains("series: FGN, L-BFGS"));
        assertTrue(svg.contains("viewBox=\"0 0 800 500\""));

        Document doc = parse(svg);
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals("Objective & gap <test>", doc.getElementsByTagName("title").item(0).getTextContent());
    }

    @Test
    void heatMapSvgListsRowsAndColumns() throws Exception {
        String svg = ChartExport.toSvg(heatMap());
        String desc = parse(svg).getElementsByTagName("desc").item(0).getTextContent();
        assertEquals("x axis: predicted; y axis: true; series: count; columns: cat, dog;"
                + " rows (bottom to top): dog, cat", desc);
    }

    @Test
    void xmlEscapingDropsCharactersXmlForbids() {
        assertEquals("a&amp;b&lt;c&gt;&quot;&apos;d", ChartExport.escapeXml("a&b<c>\"'d\u0001"));
        assertEquals("\u03BB = 1e-4", ChartExport.escapeXml("\u03BB = 1e-4"));
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder b = f.newDocumentBuilder();
        return b.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------------------ files

    @Test
    void saveWritesPngAndSvgFilesCreatingDirectories(@TempDir Path dir) throws Exception {
        XYChart chart = xyChart();
        Path png = ChartExport.save(chart, dir.resolve("figs/a/loss.png"), ChartExport.Format.PNG);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(png), 8));
        Path svg = ChartExport.save(chart, dir.resolve("loss.SVG")); // format from the extension
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg"));
        assertTrue(text.contains("series: FGN, L-BFGS"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChartExport.save(chart, dir.resolve("loss.jpg")));
        assertTrue(e.getMessage().contains(".png or .svg"), e.getMessage());
    }

    @Test
    void savePngAndSvgWritesBothBesideEachOther(@TempDir Path dir) throws Exception {
        List<Path> files = ChartExport.savePngAndSvg(heatMap(), dir.resolve("out/confusion"));
        assertEquals(List.of(dir.resolve("out/confusion.png"), dir.resolve("out/confusion.svg")), files);
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(files.get(0)), 8));
        assertTrue(Files.readString(files.get(1), StandardCharsets.UTF_8).contains("<title>Confusion</title>"));
        assertEquals(ChartExport.Format.SVG, ChartExport.Format.fromFileName(files.get(1)));
    }

    // ------------------------------------------------------------------------------ failures

    @Test
    void missingFontFailuresAreRecognisedAndExplained() {
        // the shape of knowm/XChart#648: InternalError(InvocationTargetException(NPE in FontConfiguration))
        NullPointerException npe = new NullPointerException("Cannot load from short array because \"sun.awt.FontConfiguration.head\" is null");
        npe.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("sun.awt.FontConfiguration", "getVersion", "FontConfiguration.java", 1262)});
        InternalError wrapped = new InternalError(new java.lang.reflect.InvocationTargetException(npe));
        wrapped.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("sun.font.FontManagerFactory$1", "run", "FontManagerFactory.java", 86)});
        assertTrue(ChartExport.isFontSetupFailure(wrapped));
        assertTrue(ChartExport.isFontSetupFailure(npe));
        assertTrue(ChartExport.isFontSetupFailure(new UnsatisfiedLinkError(
                "/usr/lib/jvm/java-17/lib/libfontmanager.so: libfreetype.so.6: cannot open shared object file")));
        assertTrue(ChartExport.isFontSetupFailure(new NoClassDefFoundError("Could not initialize class sun.font.SunFontManager")));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChartExport.render(() -> { throw wrapped; }));
        assertTrue(e.getMessage().contains("apt-get install -y fontconfig fonts-dejavu-core"), e.getMessage());
        assertSame(wrapped, e.getCause());
    }

    @Test
    void otherFailuresPassThroughUnchanged() {
        NullPointerException npe = new NullPointerException("a bug");
        npe.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.knowm.xchart.XYChart", "paint", "XYChart.java", 1)});
        assertFalse(ChartExport.isFontSetupFailure(npe));
        assertFalse(ChartExport.isDisplayFailure(npe));
        assertSame(npe, assertThrows(NullPointerException.class, () -> ChartExport.render(() -> { throw npe; })));
    }

    @Test
    void unreachableDisplaysAreExplained() {
        AWTError x11 = new AWTError("Can't connect to X11 window server using ':99' as the value of the DISPLAY variable.");
        assertTrue(ChartExport.isDisplayFailure(x11));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChartExport.render(() -> { throw x11; }));
        assertTrue(e.getMessage().contains("-Djava.awt.headless=true"), e.getMessage());
        // later calls see the broken class initialisation instead
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class java.awt.GraphicsEnvironment$LocalGE");
        later.initCause(new ExceptionInInitializerError("Exception java.awt.AWTError: Can't connect to X11 window server"));
        assertTrue(ChartExport.isDisplayFailure(later));
        assertFalse(ChartExport.isFontSetupFailure(later));
    }
}
