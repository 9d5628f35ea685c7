package io.github.fastgn.experiment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PresetAndTableTest {

    @Test
    void presetsParseAndPick() {
        assertEquals(Preset.QUICK, Preset.parse(" Quick "));
        assertEquals(3, Preset.FULL.pick(1, 2, 3));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preset.parse("huge")).getMessage()
                .contains("tiny, quick or full"));
    }

    @Test
    void csvQuotesAndRoundTripsNumbers() {
        ResultTable t = new ResultTable("name", "value");
        t.add("a,b", 0.1);
        t.add("say \"hi\"", Double.NaN);
        assertEquals("name,value\n\"a,b\",0.1000000000\n\"say \"\"hi\"\"\",NaN\n", t.toCsv());
        assertArrayEquals(new double[] {0.1, Double.NaN}, t.column("value"), 0.0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.add("only one")).getMessage()
                .contains("2 columns"));
    }

    @Test
    void slopeOfAPowerLaw() {
        int[] ks = {10, 20, 40, 80};
        double[] t = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            t[i] = 3e-4 * Math.pow(ks[i], 1.5);
        }
        assertEquals(1.5, ClassScalingExperiment.slope(ks, t, 10, 80), 1e-12);
        assertTrue(Double.isNaN(ClassScalingExperiment.slope(ks, t, 100, 200)));
    }
}
