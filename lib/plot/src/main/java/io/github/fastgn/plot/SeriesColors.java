package io.github.fastgn.plot;

import java.awt.Color;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Colour assignment within one chart: each method ({@link ChartStyle#baseMethod(String)}) gets
 * {@link ChartStyle#colorOf(String)}, variants of one method share it, and if two different
 * methods would get the same colour the later one takes the first spare colour not yet used.
 */
final class SeriesColors {

    private final Map<String, Color> byMethod = new HashMap<>();
    private final Set<Color> used = new HashSet<>();

    Color colorFor(String seriesName) {
        String method = ChartStyle.baseMethod(seriesName).toLowerCase(java.util.Locale.ROOT);
        Color c = byMethod.get(method);
        if (c != null) {
            return c;
        }
        c = ChartStyle.colorOf(seriesName);
        if (used.contains(c)) {
            for (Color spare : ChartStyle.spareColors()) {
                if (!used.contains(spare)) {
                    c = spare;
                    break;
                }
            }
        }
        byMethod.put(method, c);
        used.add(c);
        return c;
    }
}
