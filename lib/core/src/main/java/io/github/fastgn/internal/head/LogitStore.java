package io.github.fastgn.internal.head;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Per-block {@code rows x K} double arrays of a {@link FullData} (the logits at the current point,
 * the logit image of the step), kept in the heap or, when {@code n x K} doubles would crowd the
 * heap (a memory-mapped feature matrix with many rows and classes), in a temporary memory-mapped
 * file that the operating system pages: the heap then holds one block of them. The values are
 * the same doubles either way, so where they are kept never changes a result.
 */
abstract class LogitStore {

    /** Rows of each block, times {@code K}: the length of each block's array. */
    final int[] lengths;

    private LogitStore(int[] lengths) {
        this.lengths = lengths;
    }

    /** In the heap: one array per block. */
    static LogitStore inHeap(int[] lengths) {
        return new Heap(lengths);
    }

    /**
     * In a temporary file (created in {@code java.io.tmpdir}, deleted once mapped or at exit), one
     * mapping per block.
     *
     * @throws UncheckedIOException when the file cannot be created or mapped
     */
    static LogitStore inFile(int[] lengths) {
        return new File(lengths);
    }

    /**
     * Whether {@code values} doubles belong in a file rather than the heap: more than a quarter of
     * the largest heap.
     */
    static boolean crowdsHeap(long values) {
        return 8 * values > Runtime.getRuntime().maxMemory() / 4;
    }

    /** Block {@code b}'s values: the kept array itself (heap) or a scratch filled from the file. */
    abstract double[] read(int b);

    /** An array to write block {@code b}'s new values into before {@link #write} (it may hold stale values). */
    abstract double[] buffer(int b);

    /** Stores the first {@code lengths[b]} values of {@code values} as block {@code b}'s. */
    abstract void write(int b, double[] values);

    /** One array per block, each allocated when first used (a store that is never written costs nothing). */
    private static final class Heap extends LogitStore {
        private final double[][] blocks;

        Heap(int[] lengths) {
            super(lengths);
            blocks = new double[lengths.length][];
        }

        private double[] block(int b) {
            if (blocks[b] == null) {
                blocks[b] = new double[lengths[b]];
            }
            return blocks[b];
        }

        @Override
        double[] read(int b) {
            return block(b);
        }

        @Override
        double[] buffer(int b) {
            return block(b);
        }

        @Override
        void write(int b, double[] values) {
            double[] kept = block(b);
            if (values != kept) {
                System.arraycopy(values, 0, kept, 0, lengths[b]);
            }
        }
    }

    private static final class File extends LogitStore {
        private final DoubleBuffer[] blocks;
        private final double[] scratch;

        File(int[] lengths) {
            super(lengths);
            blocks = new DoubleBuffer[lengths.length];
            int longest = 0;
            try {
                Path path = Files.createTempFile("fastgn-logits", ".f64");
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    long at = 0;
                    for (int b = 0; b < lengths.length; b++) {
                        blocks[b] = ch.map(FileChannel.MapMode.READ_WRITE, at, 8L * lengths[b])
                                .order(ByteOrder.nativeOrder()).asDoubleBuffer();
                        at += 8L * lengths[b];
                        longest = Math.max(longest, lengths[b]);
                    }
                } finally {
                    try {
                        Files.delete(path); // the mappings stay valid; the space is freed when they are
                    } catch (IOException e) {
                        path.toFile().deleteOnExit(); // a system that cannot delete a mapped file
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the logits in a temporary file in java.io.tmpdir ("
                        + System.getProperty("java.io.tmpdir") + "); point it at a disk with room for them", e);
            }
            scratch = new double[longest];
        }

        @Override
        double[] read(int b) {
            blocks[b].get(0, scratch, 0, lengths[b]);
            return scratch;
        }

        @Override
        double[] buffer(int b) {
            return scratch;
        }

        @Override
        void write(int b, double[] values) {
            blocks[b].put(0, values, 0, lengths[b]);
        }
    }
}
