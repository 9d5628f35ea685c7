package io.github.fastgn.spark;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A pass over the cached blocks summed in a fixed order: Spark's {@code treeAggregate} shape (as
 * many levels as {@code aggregationDepth} asks for, the same fan-in rule), but each node adds its
 * children in partition order. {@code treeAggregate} itself adds results in the order tasks
 * finish, which makes a floating-point sum, hence a fit, depend on timing; here a fit depends only
 * on the seed and the partitioning. One Spark job per pass.
 */
final class TreeSum {

    private TreeSum() {
    }

    static Partial sum(JavaRDD<Block> blocks, Function<Block, Partial> pass, int depth) {
        JavaPairRDD<Integer, Partial> level = blocks.mapPartitionsToPair(it -> {
            List<Tuple2<Integer, Partial>> out = new ArrayList<>(1);
            while (it.hasNext()) {
                Block b = it.next();
                out.add(new Tuple2<>(b.partition, pass.call(b)));
            }
            return out.iterator();
        });
        int num = blocks.getNumPartitions();
        int scale = Math.max((int) Math.ceil(Math.pow(num, 1.0 / depth)), 2);
        while (depth > 1 && num > scale + (int) Math.ceil((double) num / scale)) {
            num = (int) Math.ceil((double) num / scale);
            int s = scale;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / s, t))
                    .groupByKey(new HashPartitioner(num))
                    .mapToPair(g -> new Tuple2<>(g._1(), inOrder(g._2())));
        }
        Partial total = inOrder(level.collect());
        if (total == null) {
            throw new IllegalStateException("the data set has no partitions");
        }
        return total;
    }

    /** The sum of {@code parts} in the order of their keys (null if there are none). */
    static Partial inOrder(Iterable<Tuple2<Integer, Partial>> parts) {
        List<Tuple2<Integer, Partial>> list = new ArrayList<>();
        parts.forEach(list::add);
        list.sort(Comparator.comparing(Tuple2::_1));
        Partial total = null;
        for (Tuple2<Integer, Partial> t : list) {
            total = total == null ? t._2() : total.add(t._2());
        }
        return total;
    }
}
