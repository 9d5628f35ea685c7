package io.github.fastgn.notebook;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/**
 * The wall-clock time and peak heap of a notebook run, for the line a notebook shows after its last
 * figure ({@code stats.summary()} as the cell's value), so that a reader knows what the run needs
 * on a small kernel such as Binder's (one core, 512 MB heap).
 *
 * <p>Start it in an early cell with {@link #start()}. The peak heap is the largest heap use the JVM
 * has seen since the kernel started (the sum of each heap memory pool's peak, so an upper bound of
 * the true peak, as the pools need not peak together); the maximum is the JVM's {@code -Xmx} (or its
 * default, a quarter of the container's or machine's memory). Nothing here prints.
 */
public final class RunStats {

    private static final double MB = 1024.0 * 1024.0;

    private final long startNanos;

    private RunStats(long startNanos) {
        this.startNanos = startNanos;
    }

    /** Starts the clock now. */
    public static RunStats start() {
        return new RunStats(System.nanoTime());
    }

    /** Seconds since {@link #start()}. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Peak heap use since the JVM started, in bytes (sum of the heap pools' peaks). */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The largest heap the JVM may use, in bytes ({@code -Xmx}), or -1 when undefined. */
    public static long maxHeapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    /** The number of processors the JVM sees ({@code -XX:ActiveProcessorCount}, CPU limits, taskset). */
    public static int processors() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * One line such as {@code "run: 95.3 s wall-clock, peak heap 231 MB of 512 MB, 1 processor,
     * preset quick"}; {@code preset} may be null.
     */
    public String summary(Object preset) {
        long max = maxHeapBytes();
        int cpus = processors();
        return String.format(Locale.ROOT, "run: %.1f s wall-clock, peak heap %.0f MB of %s, %d processor%s%s",
                elapsedSeconds(), peakHeapBytes() / MB,
                max < 0 ? "an unbounded heap" : String.format(Locale.ROOT, "%.0f MB", max / MB), cpus,
                cpus == 1 ? "" : "s", preset == null ? "" : ", preset " + preset.toString().toLowerCase(Locale.ROOT));
    }

    /** {@link #summary(Object)} without the preset. */
    public String summary() {
        return summary(null);
    }
}
