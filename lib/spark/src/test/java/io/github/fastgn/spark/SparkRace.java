package io.github.fastgn.spark;

import io.github.fastgn.SoftmaxObjective;
import io.github.fastgn.data.LabelledData;
import io.github.fastgn.internal.race.RaceConfig;
import io.github.fastgn.internal.race.RaceData;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Spark race of issue 15 ({@code ./bench.sh --spark}): on a race set held as a checkpointed,
 * cached Spark DataFrame in local mode (see {@link #frame}), {@link FGNClassifier} against MLlib's {@code LogisticRegression}
 * (multinomial, {@code regParam} = the race's l2, {@code elasticNetParam} 0, {@code standardization}
 * false, {@code tol} 1e-12), both to {@code f*(1 + 1e-4)} of the race objective, which is measured by
 * the core's {@link SoftmaxObjective} on the returned model. Reports wall time and Spark jobs (a
 * {@link SparkListener} counts them). FGN stops at the target by itself ({@code targetObjective});
 * MLlib has no such stop, so a first run finds from its objective history the fewest iterations
 * that reach the target and a second run, limited to them, is the one timed.
 *
 * <p>Arguments: {@code --sets fmnist,syn --data DIR --partitions 2 --out DIR}, and
 * {@code --mllib-iterations M} for one MLlib run of {@code M} iterations instead (a bound when time is short);
 * {@code --mllib-probe M} the probe's budget (default {@value #PROBE_ITERATIONS}), {@code --mllib-only true} to
 * skip FGN, {@code --job-log true} to print each job's start time (epoch ms) to stderr: with Breeze's INFO log in
 * a log4j configuration that prints epoch-ms times, the jobs to each MLlib iteration of a probe cut short.
 * The probe writes its job start times and objective history to {@code OUT/mllib-probe-SET.txt}.
 */
public final class SparkRace {

    private SparkRace() {
    }

    public static void main(String[] args) throws IOException {
        String sets = "fmnist";
        Path folder = RaceData.defaultFolder();
        int partitions = 2;
        int mllibIterations = 0;
        int probeIterations = PROBE_ITERATIONS;
        boolean mllibOnly = false;
        boolean jobLog = false;
        Path out = Path.of("bench-results");
        for (int a = 0; a < args.length; a += 2) {
            switch (args[a]) {
                case "--sets" -> sets = args[a + 1];
                case "--data" -> folder = Path.of(args[a + 1]);
                case "--partitions" -> partitions = Integer.parseInt(args[a + 1]);
                case "--out" -> out = Path.of(args[a + 1]);
                case "--mllib-iterations" -> mllibIterations = Integer.parseInt(args[a + 1]);
                case "--mllib-probe" -> probeIterations = Integer.parseInt(args[a + 1]);
                case "--mllib-only" -> mllibOnly = Boolean.parseBoolean(args[a + 1]);
                case "--job-log" -> jobLog = Boolean.parseBoolean(args[a + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[a]
                        + " (use --sets fmnist,syn --data DIR --partitions N --out DIR --mllib-probe M --mllib-only true --job-log true)");
            }
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("fastgn-spark-race")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        AtomicLong jobs = new AtomicLong();
        List<Long> jobTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean logJobs = jobLog;
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.incrementAndGet();
                jobTimes.add(jobStart.time());
                if (logJobs) {
                    // with Breeze's INFO log (a log4j configuration with epoch-ms times), the jobs to each iteration
                    System.err.println(jobStart.time() + " JOB " + jobStart.jobId());
                }
            }
        });
        Files.createDirectories(out);
        Path table = out.resolve("spark.md");
        StringBuilder md = new StringBuilder();
        for (String set : sets.split(",")) {
            RaceData data = RaceData.read(folder, set);
            double fstar = RaceData.readFstar(folder, set);
            double target = RaceConfig.target(fstar);
            LabelledData arrays = LabelledData.ofFloat(data.trainFeatures(), data.trainLabels(), null, data.trainSize(), data.featureCount(), data.classCount());
            SoftmaxObjective objective = new SoftmaxObjective(arrays, RaceConfig.L2);
            Dataset<Row> frame = frame(spark, data, partitions).cache();
            frame.count();
            md.append(String.format(Locale.ROOT, "%n### %s (n=%d, d=%d, K=%d, %d partitions, local[2]), target f*(1+1e-4) ="
                    + " %.10f%n%n| trainer | time s | Spark jobs | iterations | f | f/f* - 1 | reached |%n"
                    + "|---|---|---|---|---|---|---|%n", set, data.trainSize(), data.featureCount(), data.classCount(), partitions, target));

            double fgnSeconds = Double.NaN;
            long fgnJobs = -1;
            if (!mllibOnly) {
            // FastGN: stops at the target by itself
            quiet(spark);
            long j0 = jobs.get();
            long t0 = System.nanoTime();
            FGNClassificationModel fgn = new FGNClassifier().setRegParam(RaceConfig.L2).setStandardization(false)
                    .setTargetObjective(target).setTol(0).setMaxIter(Integer.MAX_VALUE)
                    .setMaxSeconds(RaceConfig.MAX_SECONDS).fit(frame);
            fgnSeconds = (System.nanoTime() - t0) / 1e9;
            quiet(spark);
            fgnJobs = jobs.get() - j0;
            double fFgn = objective.evaluate(fgn.weights(), null);
            md.append(row("FGNClassifier", fgnSeconds, fgnJobs, fgn.trainingResult().iterations(), fFgn, fstar, target));
            System.out.print(md);
            System.out.flush();
            }

            if (mllibIterations > 0) {
                // one MLlib run of a fixed budget: if it ends above the target, MLlib needs more time and jobs
                quiet(spark);
                long j0 = jobs.get();
                long t0 = System.nanoTime();
                LogisticRegressionModel fixed = mllib(mllibIterations).fit(frame);
                double seconds = (System.nanoTime() - t0) / 1e9;
                quiet(spark);
                long n = jobs.get() - j0;
                double f = objective.evaluate(weights(fixed, data.featureCount(), data.classCount()), null);
                String r = row("MLlib LogisticRegression (L-BFGS), maxIter " + mllibIterations, seconds, n,
                        fixed.summary().totalIterations(), f, fstar, target);
                md.append(r);
                System.out.print(r);
                System.out.printf(Locale.ROOT, "FastGN / MLlib at this budget: time %.3f, jobs %.3f%s%n",
                        fgnSeconds / seconds, fgnJobs / (double) n, f <= target ? ""
                                : " (MLlib has not reached the target: its full figures are larger, the ratios smaller)");
                frame.unpersist();
                continue;
            }
            // MLlib: the fewest iterations that reach the target, from a long run's history; then timed
            quiet(spark);
            long j0 = jobs.get();
            int firstJob = jobTimes.size();
            long t0 = System.nanoTime();
            LogisticRegressionModel probe = mllib(probeIterations).fit(frame);
            double probeSeconds = (System.nanoTime() - t0) / 1e9;
            quiet(spark);
            double[] history = probe.summary().objectiveHistory();
            // for the jobs to each iteration: the probe's job submission times (ms) and its objective history
            Files.writeString(out.resolve("mllib-probe-" + set + ".txt"), "jobs " + jobTimes.subList(firstJob,
                    jobTimes.size()) + "\nhistory " + java.util.Arrays.toString(history) + "\n");
            System.out.printf(Locale.ROOT, "MLlib probe run: %d iterations, %d jobs, %.2f s, final f %.10f%n",
                    probe.summary().totalIterations(), jobs.get() - j0, probeSeconds,
                    objective.evaluate(weights(probe, data.featureCount(), data.classCount()), null));
            System.out.flush();
            int needed = history.length;
            for (int i = 0; i < history.length; i++) {
                if (history[i] <= target) {
                    needed = i;
                    break;
                }
            }
            LogisticRegressionModel timed = null;
            double mlSeconds = 0;
            long mlJobs = 0;
            double fMl = Double.NaN;
            if (needed == history.length) {
                System.out.printf(Locale.ROOT, "MLlib did not reach the target in %d iterations%n", probeIterations);
                frame.unpersist();
                continue;
            }
            for (int m = Math.max(1, needed); m <= needed + 5; m++) {
                quiet(spark);
                j0 = jobs.get();
                t0 = System.nanoTime();
                timed = mllib(m).fit(frame);
                mlSeconds = (System.nanoTime() - t0) / 1e9;
                quiet(spark);
                mlJobs = jobs.get() - j0;
                fMl = objective.evaluate(weights(timed, data.featureCount(), data.classCount()), null);
                if (fMl <= target) {
                    break;
                }
            }
            md.append(row("MLlib LogisticRegression (L-BFGS)", mlSeconds, mlJobs, timed.summary().totalIterations(), fMl,
                    fstar, target));
            md.append(String.format(Locale.ROOT, "%nFastGN / MLlib: time %.3f, jobs %.3f%n", fgnSeconds / mlSeconds,
                    fgnJobs / (double) mlJobs));
            System.out.printf(Locale.ROOT, "SPARK %s fgn_s=%.2f fgn_jobs=%d mllib_s=%.2f mllib_jobs=%d time_ratio=%.3f"
                            + " jobs_ratio=%.3f%n", set, fgnSeconds, fgnJobs, mlSeconds, mlJobs, fgnSeconds / mlSeconds,
                    fgnJobs / (double) mlJobs);
            frame.unpersist();
        }
        Files.writeString(table, "## Spark race (FGNClassifier vs MLlib LogisticRegression)\n" + md,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        System.out.print(md);
        spark.stop();
    }

    /** The iteration budget of MLlib's probe run (the one whose history gives the iterations to the target). */
    static final int PROBE_ITERATIONS = 600;

    private static LogisticRegression mllib(int maxIter) {
        return new LogisticRegression().setFamily("multinomial").setRegParam(RaceConfig.L2).setElasticNetParam(0)
                .setStandardization(false).setTol(1e-12).setMaxIter(maxIter);
    }

    /** Lets the listener bus deliver the events of finished jobs before the count is read. */
    private static void quiet(SparkSession spark) {
        try {
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Spark's listener bus did not drain", e);
        }
    }

    private static String row(String who, double seconds, long jobs, int iterations, double f, double fstar,
                              double target) {
        return String.format(Locale.ROOT, "| %s | %.2f | %d | %d | %.10f | %.2e | %s |%n", who, seconds, jobs, iterations,
                f, f / fstar - 1, f <= target ? "yes" : "no");
    }

    private static double[] weights(LogisticRegressionModel m, int d, int k) {
        Matrix w = m.coefficientMatrix();
        Vector b = m.interceptVector();
        double[] out = new double[k * (d + 1)];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                out[c * (d + 1) + j] = w.apply(c, j);
            }
            out[c * (d + 1) + d] = b.apply(c);
        }
        return out;
    }

    /**
     * The race set as a DataFrame in {@code partitions} partitions whose tasks carry no rows: the rows are
     * made into a local collection and checkpointed to the executors' block managers at once
     * ({@code localCheckpoint}), as a table read from storage would be. Without the checkpoint every task of
     * every job (both trainers') serialised its partition of the local collection (a 25,000-row partition of
     * {@code syn} is 51 MB of doubles), about half a second of each job in this race on {@code syn}: no cluster
     * reading files pays that.
     */
    private static Dataset<Row> frame(SparkSession spark, RaceData data, int partitions) {
        int d = data.featureCount();
        float[] x = data.trainFeatures();
        List<Row> rows = new ArrayList<>(data.trainSize());
        for (int i = 0; i < data.trainSize(); i++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = x[i * d + j];
            }
            rows.add(RowFactory.create((double) data.trainLabels()[i], Vectors.dense(v), 1.0));
        }
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), SparkTests.SCHEMA).localCheckpoint();
    }
}
