package io.github.fastgn.spark;

import io.github.fastgn.testing.QuietTestBase;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The rows a pass brings to the driver ({@link Gathered}): from partitions cached as float, double
 * and compressed sparse rows, taken by index or whole and appended in partition order, the driver
 * reads back each row's label, weight and values as the partition was given them (every value of a
 * dense row, the stored ones of a sparse row), in row order.
 */
class GatheredTest extends QuietTestBase {

    private static final int D = 40;

    /** A row's stored values: every column of a dense vector, the stored entries of a sparse one. */
    private record Cell(int row, int column, double value) {
    }

    private static List<Row> rows(int n, String kind, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Vector v;
            if (kind.equals("sparse")) {
                v = Vectors.sparse(D, new int[] {r.nextInt(5), 10 + r.nextInt(10), 30 + r.nextInt(10)},
                        new double[] {r.nextGaussian(), 0.0, r.nextGaussian()});
            } else {
                double[] x = new double[D];
                for (int j = 0; j < D; j++) {
                    x[j] = kind.equals("float") ? (float) r.nextGaussian() : r.nextGaussian();
                }
                v = Vectors.dense(x);
            }
            out.add(RowFactory.create((double) r.nextInt(3), v, 0.5 + r.nextDouble()));
        }
        return out;
    }

    private static void expect(List<Cell> cells, int row, Row source) {
        Vector v = (Vector) source.get(1);
        v.foreachActive((j, x) -> {
            cells.add(new Cell(row, (Integer) j, (Double) x));
            return null;
        });
    }

    @Test
    void thePartitionsRowsComeBackInOrderWithTheirValuesLabelsAndWeights() {
        // more rows than a chunk in the float partition, so that indices cross chunks
        List<List<Row>> partitions = List.of(rows(Block.CHUNK_ROWS + 37, "float", 1), rows(50, "double", 2),
                rows(60, "sparse", 3));
        List<Block> blocks = new ArrayList<>();
        for (int p = 0; p < partitions.size(); p++) {
            blocks.add(Block.read(p, partitions.get(p).iterator(), true));
        }
        assertNotNull(blocks.get(0).chunks[0].single, "float-valued rows are cached as float");
        assertNotNull(blocks.get(1).chunks[0].dense, "other dense rows as double");
        assertNotNull(blocks.get(2).chunks[0].rowStart, "sparse rows as compressed rows");
        assertNull(blocks.get(2).chunks[0].dense);

        int[][] picks = {{0, 5, Block.CHUNK_ROWS - 1, Block.CHUNK_ROWS, Block.CHUNK_ROWS + 36}, null, {1, 2, 59}};
        Gathered all = null;
        List<Cell> expected = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        int row = 0;
        for (int p = 0; p < blocks.size(); p++) {
            int[] pick = picks[p];
            int count = pick == null ? partitions.get(p).size() : pick.length;
            Gathered g = Gathered.of(blocks.get(p), pick, 0, count);
            all = all == null ? g : all.append(g);
            for (int a = 0; a < count; a++) {
                Row source = partitions.get(p).get(pick == null ? a : pick[a]);
                expect(expected, row++, source);
                labels.add((int) source.getDouble(0));
                weights.add(source.getDouble(2));
            }
        }
        assertEquals(row, all.rows);
        List<Cell> visited = new ArrayList<>();
        all.forEach(D, (i, j, x) -> visited.add(new Cell(i, j, x)));
        assertEquals(expected, visited, "each row's values, in row and column order");
        assertEquals(expected.size(), all.storedValues(D));
        assertArrayEquals(labels.stream().mapToInt(Integer::intValue).toArray(), all.labels());
        assertArrayEquals(weights.stream().mapToDouble(Double::doubleValue).toArray(), all.weights(), 0.0);
    }
}
