package io.github.fastgn.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunStatsTest {

    @Test
    void reportsTimePeakHeapAndProcessors() throws InterruptedException {
        RunStats stats = RunStats.start();
        Thread.sleep(20);
        double s = stats.elapsedSeconds();
        assertTrue(s >= 0.015 && s < 60, "elapsed " + s);
        long peak = RunStats.peakHeapBytes();
        assertTrue(peak > 0, "peak " + peak);
        assertEquals(Runtime.getRuntime().maxMemory() > 0, RunStats.maxHeapBytes() != 0);
        assertTrue(RunStats.processors() >= 1);
        String line = stats.summary("QUICK");
        assertTrue(line.matches("run: \\d+\\.\\d s wall-clock, peak heap \\d+ MB of (\\d+ MB|an unbounded heap), "
                + "\\d+ processors?, preset quick"), line);
        assertTrue(stats.summary().matches("run: .* processors?"), stats.summary());
    }

    @Test
    void peakHeapCoversAnAllocation() {
        byte[] block = new byte[16 << 20];
        block[block.length - 1] = 1;
        assertTrue(RunStats.peakHeapBytes() >= block.length, "a 16 MB array counts towards the peak");
    }
}
