/**
 * Generic XChart charts for training runs: {@link io.github.fastgn.plot.Charts} builds the
 * ready-made ones (loss curves against iterations, epochs or time; line charts; heat maps;
 * confusion matrices), {@link io.github.fastgn.plot.LineChartBuilder} builds any other XY line
 * chart (log axes, method colours, dashed variants, a second y axis, a shaded window),
 * {@link io.github.fastgn.plot.ChartStyle} gives them one look (font, colours per method, strokes,
 * log axes), and {@link io.github.fastgn.plot.ChartExport} renders them to a
 * {@link java.awt.image.BufferedImage}, PNG or SVG without opening a window. The figures of the
 * paper's experiments are built from these in the experiments module.
 *
 * <p>In a Java notebook, end a cell with {@code ChartExport.toImage(chart)} to show a chart inline.
 * On a headless machine, rendering needs fontconfig and a font: on Debian/Ubuntu,
 * {@code apt-get install -y fontconfig fonts-dejavu-core}.
 *
 * <p>May import: the JDK (AWT for rendering), XChart and {@code io.github.fastgn.optim} (the
 * iteration records the loss curves are drawn from). This is the only package of FastGN that
 * imports XChart; it never imports Tribuo or the experiments module, and nothing in
 * {@code fastgn-core} imports it.
 */
package io.github.fastgn.plot;
