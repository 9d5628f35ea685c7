package io.github.fastgn.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 28 x 28 grey-scale images of clothing, 60 000 for
 * training and 10 000 for testing, 10 classes. The data is not committed; it comes from the four
 * IDX files of Debian's {@code dataset-fashion-mnist} package ({@value #DEBIAN_DIR}), or from any
 * directory that holds them (set {@value #ENV_DIR}). {@code data/fetch-fashion-mnist.sh} installs
 * the package or extracts its files without root.
 *
 * <p>Pixels are divided by 255 and held as float ({@link LabelledData#ofFloat}; each value is
 * {@code (float) (p / 255.0)}, features in {@code [0, 1]}, d = 784), labels are 0-9 in the order of
 * {@link #CLASS_NAMES}. All 70 000 images take 220 MB as float; {@link #load(int, int)} and
 * {@link #twoClass(Path, int, int)} read only the images they return (the others are read past,
 * never stored), so a 512 MB heap is enough for them. Each file may be gzip-compressed ({@code name.gz}, preferred) or
 * plain ({@code name}); all are validated by {@link Idx}, and images must be 28 x 28.
 */
public final class FashionMnist {

    /** Directory of the Debian package's files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    /** Environment variable naming another directory that holds the four files. */
    public static final String ENV_DIR = "FASHION_MNIST_DIR";
    /** What to run when the data is missing. */
    public static final String HOW_TO_GET =
            "run data/fetch-fashion-mnist.sh (or: sudo apt-get install dataset-fashion-mnist)";

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    public static final int SIDE = 28;
    public static final int FEATURES = SIDE * SIDE;
    public static final int CLASSES = 10;
    public static final int TRAIN_SIZE = 60_000;
    public static final int TEST_SIZE = 10_000;

    /** Class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Label of "T-shirt/top". */
    public static final int TSHIRT = 0;
    /** Label of "Shirt"; T-shirt vs Shirt is the usual hard binary subset. */
    public static final int SHIRT = 6;

    private FashionMnist() {
    }

    /** {@value #ENV_DIR} when set and not blank, else {@value #DEBIAN_DIR}. */
    public static Path defaultDir() {
        String env = System.getenv(ENV_DIR);
        return Path.of(env == null || env.isBlank() ? DEBIAN_DIR : env.trim());
    }

    /** Whether {@link #defaultDir()} holds the four files. */
    public static boolean isAvailable() {
        return isAvailable(defaultDir());
    }

    /** Whether {@code dir} holds the four files (each gzip-compressed or plain). */
    public static boolean isAvailable(Path dir) {
        return missing(dir).isEmpty();
    }

    /** Loads training and test sets from {@link #defaultDir()}. */
    public static Splits.Split load() throws IOException {
        return load(defaultDir());
    }

    /**
     * Loads training and test sets from {@code dir}. The sets may be of any size (tests use small
     * files), but the images must be 28 x 28 and each image file must have as many labels as images.
     *
     * @throws FileNotFoundException    naming the missing files and the command that brings them
     * @throws IllegalArgumentException if a file is malformed
     */
    public static Splits.Split load(Path dir) throws IOException {
        requirePresent(dir);
        LabelledData train = loadPart(dir, TRAIN_IMAGES, TRAIN_LABELS, LabelFilter.ALL);
        LabelledData test = loadPart(dir, TEST_IMAGES, TEST_LABELS, LabelFilter.ALL);
        return new Splits.Split(train, test);
    }

    /** {@link #load(Path, int, int)} from {@link #defaultDir()}. */
    public static Splits.Split load(int trainSize, int testSize) throws IOException {
        return load(defaultDir(), trainSize, testSize);
    }

    /**
     * A stratified subset of each part, taken while reading: the same examples, in the same order,
     * as {@code Splits.stratified(part, size / (double) part.size(), SUBSET_SEED).test()} applied to
     * the fully loaded part (a size of at least the part's size takes the whole part). Only the
     * chosen images are stored.
     *
     * @param trainSize how many training images to keep (at least 1)
     * @param testSize  how many test images to keep (at least 1)
     */
    public static Splits.Split load(Path dir, int trainSize, int testSize) throws IOException {
        if (trainSize < 1 || testSize < 1) {
            throw new IllegalArgumentException("subset sizes must be at least 1, got " + trainSize + " train and "
                    + testSize + " test");
        }
        requirePresent(dir);
        LabelledData train = loadPart(dir, TRAIN_IMAGES, TRAIN_LABELS, LabelFilter.stratified(trainSize));
        LabelledData test = loadPart(dir, TEST_IMAGES, TEST_LABELS, LabelFilter.stratified(testSize));
        return new Splits.Split(train, test);
    }

    /** The seed of the stratified subsets of {@link #load(Path, int, int)}. */
    public static final long SUBSET_SEED = 11L;

    /** {@link #twoClass(Path, int, int)} from {@link #defaultDir()}. */
    public static Splits.Split twoClass(int first, int second) throws IOException {
        return twoClass(defaultDir(), first, second);
    }

    /**
     * The examples of classes {@code first} and {@code second} of both parts, relabelled 0 and 1,
     * read from {@code dir} without storing the other classes: equal to
     * {@code twoClass(load(dir), first, second)}.
     */
    public static Splits.Split twoClass(Path dir, int first, int second) throws IOException {
        if (first == second) {
            throw new IllegalArgumentException("the two classes must differ, got " + first + " twice");
        }
        for (int c : new int[] {first, second}) {
            if (c < 0 || c >= CLASSES) {
                throw new IllegalArgumentException("class " + c + " is outside [0, " + CLASSES + ")");
            }
        }
        requirePresent(dir);
        LabelFilter filter = LabelFilter.classes(first, second);
        return twoClass(new Splits.Split(loadPart(dir, TRAIN_IMAGES, TRAIN_LABELS, filter),
                loadPart(dir, TEST_IMAGES, TEST_LABELS, filter)), first, second);
    }

    /** Which examples of a part to keep, decided from the labels alone. */
    private interface LabelFilter {
        LabelFilter ALL = labels -> i -> true;

        IntPredicate keep(int[] labels);

        static LabelFilter stratified(int size) {
            return labels -> {
                if (size >= labels.length) {
                    return i -> true;
                }
                boolean[] mask = Splits.stratifiedMask(labels, labels.length, CLASSES,
                        (double) size / labels.length, SUBSET_SEED);
                return i -> mask[i];
            };
        }

        static LabelFilter classes(int first, int second) {
            return labels -> i -> labels[i] == first || labels[i] == second;
        }
    }

    private static void requirePresent(Path dir) throws FileNotFoundException {
        List<String> absent = missing(dir);
        if (!absent.isEmpty()) {
            String env = System.getenv(ENV_DIR);
            throw new FileNotFoundException("Fashion-MNIST is not in " + dir + " (missing " + String.join(", ", absent)
                    + ", each as .gz or plain); " + HOW_TO_GET + ", or set " + ENV_DIR
                    + " to a directory holding the four IDX files"
                    + (env == null || env.isBlank() ? "" : " (" + ENV_DIR + " is now '" + env + "')"));
        }
    }

    /**
     * The examples of classes {@code first} and {@code second}, in their original order, relabelled
     * {@code first -> 0} and {@code second -> 1} (K = 2). For example
     * {@code twoClass(data, TSHIRT, SHIRT)}.
     */
    public static LabelledData twoClass(LabelledData data, int first, int second) {
        if (first == second) {
            throw new IllegalArgumentException("the two classes must differ, got " + first + " twice");
        }
        for (int c : new int[] {first, second}) {
            if (c < 0 || c >= data.classCount()) {
                throw new IllegalArgumentException("class " + c + " is outside [0, " + data.classCount() + ")");
            }
        }
        int[] labels = data.labels();
        int m = 0;
        for (int v : labels) {
            m += v == first || v == second ? 1 : 0;
        }
        if (m == 0) {
            throw new IllegalArgumentException("the data holds no example of class " + first + " or " + second);
        }
        int[] index = new int[m];
        int[] y = new int[m];
        int r = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == first || labels[i] == second) {
                index[r] = i;
                y[r++] = labels[i] == first ? 0 : 1;
            }
        }
        LabelledData sub = data.subset(index);
        return sub.isFloat()
                ? LabelledData.ofFloat(sub.floatFeatures(), y, sub.weights(), m, data.featureCount(), 2)
                : new LabelledData(sub.features(), y, sub.weights(), m, data.featureCount(), 2);
    }

    /** {@link #twoClass(LabelledData, int, int)} applied to both parts of a split. */
    public static Splits.Split twoClass(Splits.Split split, int first, int second) {
        return new Splits.Split(twoClass(split.train(), first, second), twoClass(split.test(), first, second));
    }

    private static LabelledData loadPart(Path dir, String imagesName, String labelsName, LabelFilter filter)
            throws IOException {
        Path imagesFile = locate(dir, imagesName);
        Path labelsFile = locate(dir, labelsName);
        int[] labels = Idx.readLabels(labelsFile, CLASSES);
        IntPredicate keep = filter.keep(labels);
        Idx.FloatImages images = Idx.readImagesAsFloat(imagesFile, i -> i < labels.length && keep.test(i), 255.0);
        if (images.rows() != SIDE || images.cols() != SIDE) {
            throw new IllegalArgumentException(imagesFile + ": images are " + images.rows() + " x " + images.cols()
                    + " pixels, Fashion-MNIST images are " + SIDE + " x " + SIDE);
        }
        if (labels.length != images.fileCount()) {
            throw new IllegalArgumentException(imagesFile + " holds " + images.fileCount() + " images but " + labelsFile
                    + " holds " + labels.length + " labels; the two files must come from the same set");
        }
        if (images.fileCount() == 0) {
            throw new IllegalArgumentException(imagesFile + " holds no images");
        }
        int[] y = new int[images.count()];
        int r = 0;
        for (int i = 0; i < labels.length; i++) {
            if (keep.test(i)) {
                y[r++] = labels[i];
            }
        }
        return LabelledData.ofFloat(images.pixels(), y, null, y.length, FEATURES, CLASSES);
    }

    /** The {@code .gz} file if present, else the plain one, else null. */
    private static Path locate(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : null;
    }

    private static List<String> missing(Path dir) {
        List<String> out = new ArrayList<>();
        for (String name : new String[] {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS}) {
            if (locate(dir, name) == null) {
                out.add(name + ".gz");
            }
        }
        return out;
    }
}
