package io.github.fastgn.internal.head;

import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.linalg.Parallel;

/**
 * The rows of a {@link LabelledData} as the full-data objective, the mini-batch stream and an
 * all-rows batch read them, whatever the storage: sparse rows and a memory-mapped matrix through
 * their own storage (never densified, never copied whole onto the heap), double rows as the array,
 * in-heap float rows widened once for the objective and the stream (as before) and, in an all-rows
 * batch, through their float block products, which a mapped matrix of the same values shares bit
 * for bit.
 */
public final class DataRows {

    private final LabelledData data;
    /** The rows as double (the array itself, or widened float rows), or null for sparse or mapped rows. */
    private final double[] x;

    /** @param data checked data (shared, not copied; in-heap float rows are widened once) */
    public DataRows(LabelledData data) {
        this.data = data;
        this.x = data.storage() == LabelledData.Storage.DENSE ? data.features() : null;
    }

    /** The objective over all rows, evaluated chunk by chunk. */
    public ChunkedObjective objective(double l2, Parallel parallel) {
        return switch (data.storage()) {
            case SPARSE -> new ChunkedObjective(data.sparseFeatures(), data.labels(), data.weights(), data.classCount(),
                    l2, parallel);
            case MAPPED -> new ChunkedObjective(data.mappedFeatures(), data.labels(), data.weights(),
                    data.classCount(), l2, parallel);
            case DENSE -> new ChunkedObjective(x, data.labels(), data.weights(), data.size(), data.featureCount(),
                    data.classCount(), l2, parallel);
        };
    }

    /** Seeded mini-batches of about {@code batchSize} rows. */
    public BatchStream stream(int batchSize, long seed) {
        return switch (data.storage()) {
            case SPARSE -> new BatchStream(data.sparseFeatures(), data.labels(), data.weights(), batchSize, seed);
            case MAPPED -> new BatchStream(data.mappedFeatures(), data.labels(), data.weights(), batchSize, seed);
            case DENSE -> new BatchStream(x, data.labels(), data.weights(), data.size(), data.featureCount(), batchSize,
                    seed);
        };
    }

    /**
     * Whether {@link #pointAtAll} gives a matrix batch (products only, no feature arrays): every
     * storage but double rows in the heap.
     */
    public boolean matrixBatch() {
        return data.storage() != LabelledData.Storage.DENSE || data.isFloat();
    }

    /** Points {@code batch} (capacity {@code n}) at all rows, normalised over all of them. */
    public void pointAtAll(HeadBatch batch) {
        if (matrixBatch()) {
            batch.setBatch(data.featureMatrix(), data.labels(), data.weights(), Double.NaN);
        } else {
            batch.setBatch(x, data.labels(), data.weights(), data.size());
        }
    }
}
