package io.github.fastgn.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class ChartStyleTest {

    @Test
    void fontFamilyIsDejaVuWhenInstalledElseSansSerif() {
        List<String> installed = Arrays.asList(
                GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT));
        String expected = installed.contains("DejaVu Sans") ? "DejaVu Sans" : Font.SANS_SERIF;
        assertEquals(expected, ChartStyle.fontFamily());
        assertEquals(ChartStyle.fontFamily(), ChartStyle.font(Font.BOLD, 16f).getName());
        assertEquals(16f, ChartStyle.font(Font.BOLD, 16f).getSize2D());
        assertTrue(ChartStyle.font(Font.BOLD, 16f).isBold());
    }

    @Test
    void fontResolutionFallsBackToTheLogicalFamily() {
        assertEquals("DejaVu Sans", ChartStyle.resolveFontFamily(new String[] {"Dialog", "DejaVu Sans"}));
        assertEquals("DejaVu Sans", ChartStyle.resolveFontFamily(new String[] {"dejavu sans"}));
        assertEquals("SansSerif", ChartStyle.resolveFontFamily(new String[] {"Dialog", "Liberation Sans"}));
        assertEquals("SansSerif", ChartStyle.resolveFontFamily(new String[0]));
        assertEquals("SansSerif", ChartStyle.resolveFontFamily(null)); // fonts could not be listed
    }

    @Test
    void knownMethodsHaveFixedDistinctColours() {
        List<String> methods = List.of("FGN", "FGN-D", "Newton", "L-BFGS", "SGD", "Adam", "normalized GD",
                "clipped GD", "GD", "OGR", "hybrid SN", "random", "fgn-row-cg", "fgn-param-cg",
                "fgn-param-cholesky", "ggn-param-cholesky", "ggn-row-cholesky");
        HashSet<Color> colours = new HashSet<>();
        for (String m : methods) {
            assertTrue(ChartStyle.hasFixedColor(m), m);
            colours.add(ChartStyle.colorOf(m));
        }
        assertEquals(methods.size(), colours.size(), "every listed method has its own colour");
        // aliases and case
        assertEquals(ChartStyle.colorOf("FGN"), ChartStyle.colorOf("fgn"));
        assertEquals(ChartStyle.colorOf("FGN"), ChartStyle.colorOf("fgn-row-cholesky"));
        assertEquals(ChartStyle.colorOf("Newton"), ChartStyle.colorOf("GGN"));
        assertEquals(ChartStyle.colorOf("L-BFGS"), ChartStyle.colorOf("lbfgs"));
        assertEquals(ChartStyle.colorOf("fgn-row-cg"), ChartStyle.colorOf("FGN_ROW_CG"));
    }

    @Test
    void variantsShareTheColourOfTheirMethod() {
        Color adam = ChartStyle.colorOf("Adam");
        assertEquals(adam, ChartStyle.colorOf("Adam + guard"));
        assertEquals(adam, ChartStyle.colorOf("adam (no guard)"));
        assertEquals(adam, ChartStyle.colorOf("Adam (guarded)"));
        assertEquals(ChartStyle.colorOf("fgn-row-cg"), ChartStyle.colorOf("fgn-row-cg (model)"));
        assertEquals("SGD", ChartStyle.baseMethod("SGD + guard"));
        assertEquals("SGD", ChartStyle.baseMethod("SGD without guard"));
        assertEquals("ggn-param-cg", ChartStyle.baseMethod("ggn-param-cg (model)"));
        assertEquals("guard", ChartStyle.baseMethod("guard")); // a bare suffix is a name
    }

    @Test
    void guardedVariantsAreRecognised() {
        assertTrue(ChartStyle.isGuardedVariant("Adam + guard"));
        assertTrue(ChartStyle.isGuardedVariant("SGD (guarded)"));
        assertTrue(ChartStyle.isGuardedVariant("clipped GD with guard"));
        assertFalse(ChartStyle.isGuardedVariant("Adam"));
        assertFalse(ChartStyle.isGuardedVariant("Adam (no guard)"));
        assertFalse(ChartStyle.isGuardedVariant("SGD unguarded"));
        assertFalse(ChartStyle.isGuardedVariant("SGD without guard"));
    }

    @Test
    void unknownNamesGetADeterministicColour() {
        Color c = ChartStyle.colorOf("my-new-method");
        assertEquals(c, ChartStyle.colorOf("my-new-method"));
        assertEquals(c, ChartStyle.colorOf("My-New-Method"));
        assertFalse(ChartStyle.hasFixedColor("my-new-method"));
        assertTrue(ChartStyle.spareColors().contains(c));
    }

    @Test
    void sequentialColoursRunFromDarkToLight() {
        Color[] c = ChartStyle.sequentialColors(5);
        assertEquals(5, c.length);
        assertEquals(5, new HashSet<>(Arrays.asList(c)).size());
        assertTrue(luminance(c[0]) < luminance(c[4]));
        assertEquals(1, ChartStyle.sequentialColors(1).length);
        assertEquals(0, ChartStyle.sequentialColors(0).length);
        assertThrows(IllegalArgumentException.class, () -> ChartStyle.sequentialColors(-1));
    }

    @Test
    void logAxesLabelDecadesOnlyOverWideRanges() {
        assertTrue(ChartStyle.decadesOnly(1e-8, 1));
        assertFalse(ChartStyle.decadesOnly(0.2, 0.9));
        assertNotEquals(ChartStyle.solidStroke().getDashArray() != null, ChartStyle.dashedStroke().getDashArray() != null);
    }

    private static double luminance(Color c) {
        return 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
    }
}
