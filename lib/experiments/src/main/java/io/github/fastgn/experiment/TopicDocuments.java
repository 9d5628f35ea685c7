package io.github.fastgn.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded raw text documents about {@code K} overlapping topics, for text pipelines (notebook
 * {@code 08-sparse-text}): the small, readable counterpart of the bench's {@code text} set
 * ({@code make_data.py}), made of words instead of hashed column numbers.
 *
 * <p>The vocabulary is {@code V} made-up words (consonant-vowel syllables, distinct by
 * construction). A document has {@code minWords + U[0, extraWords]} words: 60% drawn from a
 * background Zipf(1.05) law over the whole vocabulary that every topic shares, 25% from its own
 * topic and 15% from a second topic drawn at random per document. A topic is a Zipf(1.0) law over
 * its own permutation of one shared pool of mid-frequency words, so every pool word occurs in
 * every topic and the classes overlap (no linear model separates them).
 *
 * <p>The topics (vocabulary, pool, permutations) depend only on the constructor's seed; the
 * documents of {@link #documents(int, long)} on its own seed, so a training and a test set drawn
 * with two seeds share their topics. Same seeds, same documents, on every platform.
 */
public final class TopicDocuments {

    /** One document: its topic name (the label) and its words separated by single spaces. */
    public record Document(String label, String text) {

        /** The document as a line of Tribuo's {@code SimpleStringDataSource}: {@code label##text}. */
        public String line() {
            return label + "##" + text;
        }
    }

    private static final String CONSONANTS = "bdfgklmnprstvz";
    private static final String VOWELS = "aeiou";
    private static final double BACKGROUND = 0.60;
    private static final double OWN_TOPIC = 0.25;

    private final String[] words;
    private final String[] topicNames;
    private final double[] backgroundCdf;
    private final int[] backgroundOrder;
    private final double[] topicCdf;
    private final int[][] topicWords;
    private final int minWords;
    private final int extraWords;

    /**
     * @param topics     number of topics {@code K >= 2}
     * @param vocabulary number of distinct words {@code V >= 100}
     * @param poolSize   words shared by the topics' laws, {@code 1 <= poolSize <= V / 2}
     * @param minWords   fewest words of a document, {@code >= 1}
     * @param extraWords a document has {@code minWords + U[0, extraWords]} words, {@code >= 0}
     * @param seed       seed of the topics
     * @throws IllegalArgumentException naming the first argument out of range
     */
    public TopicDocuments(int topics, int vocabulary, int poolSize, int minWords, int extraWords, long seed) {
        if (topics < 2) {
            throw new IllegalArgumentException("topics = " + topics + "; documents need at least 2 topics");
        }
        if (vocabulary < 100) {
            throw new IllegalArgumentException("vocabulary = " + vocabulary + "; use at least 100 words");
        }
        if (poolSize < 1 || poolSize > vocabulary / 2) {
            throw new IllegalArgumentException("poolSize = " + poolSize + "; use 1 to vocabulary / 2 = "
                    + vocabulary / 2 + " words");
        }
        if (minWords < 1 || extraWords < 0) {
            throw new IllegalArgumentException("minWords = " + minWords + ", extraWords = " + extraWords
                    + "; a document needs minWords >= 1 and extraWords >= 0");
        }
        this.minWords = minWords;
        this.extraWords = extraWords;
        words = new String[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            words[i] = word(i);
        }
        topicNames = new String[topics];
        int width = Integer.toString(topics - 1).length();
        for (int c = 0; c < topics; c++) {
            topicNames[c] = String.format(java.util.Locale.ROOT, "topic%0" + width + "d", c);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        backgroundCdf = zipfCdf(vocabulary, 1.05);
        backgroundOrder = permutation(vocabulary, rnd);
        // mid-frequency words: past the most frequent 1% of the background law
        int skip = Math.min(vocabulary / 100, vocabulary - poolSize);
        int[] pool = Arrays.copyOfRange(backgroundOrder, skip, skip + poolSize);
        topicCdf = zipfCdf(poolSize, 1.0);
        topicWords = new int[topics][];
        for (int c = 0; c < topics; c++) {
            int[] order = permutation(poolSize, rnd);
            topicWords[c] = new int[poolSize];
            for (int r = 0; r < poolSize; r++) {
                topicWords[c][r] = pool[order[r]];
            }
        }
    }

    /** The topics of the notebook: {@code K} topics, 20,000 words, a pool of 2,000, 20 to 60 words per document. */
    public static TopicDocuments of(int topics, long seed) {
        return new TopicDocuments(topics, 20000, 2000, 20, 40, seed);
    }

    /** The topic names, {@code topic0..}, in class order. */
    public List<String> topics() {
        return List.of(topicNames);
    }

    /** {@code n >= 0} documents drawn with {@code seed}, topics uniform. */
    public List<Document> documents(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n + "; ask for 0 or more documents");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = topicNames.length;
        List<Document> docs = new ArrayList<>(n);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int topic = rnd.nextInt(k);
            int second = rnd.nextInt(k);
            int length = minWords + rnd.nextInt(extraWords + 1);
            text.setLength(0);
            for (int t = 0; t < length; t++) {
                double u = rnd.nextDouble();
                int w;
                if (u < BACKGROUND) {
                    w = backgroundOrder[draw(backgroundCdf, rnd)];
                } else {
                    w = topicWords[u < BACKGROUND + OWN_TOPIC ? topic : second][draw(topicCdf, rnd)];
                }
                if (t > 0) {
                    text.append(' ');
                }
                text.append(words[w]);
            }
            docs.add(new Document(topicNames[topic], text.toString()));
        }
        return docs;
    }

    /** The documents as lines {@code label##text} of Tribuo's {@code SimpleStringDataSource}. */
    public static List<String> lines(List<Document> docs) {
        return docs.stream().map(Document::line).toList();
    }

    /** Word {@code i}: its base-70 digits as consonant-vowel syllables, at least two (distinct for distinct i). */
    static String word(int i) {
        int base = CONSONANTS.length() * VOWELS.length();
        StringBuilder s = new StringBuilder();
        int v = i;
        int syllables = 0;
        do {
            int digit = v % base;
            s.append(CONSONANTS.charAt(digit / VOWELS.length())).append(VOWELS.charAt(digit % VOWELS.length()));
            v /= base;
            syllables++;
        } while (v > 0 || syllables < 2);
        return s.toString();
    }

    private static double[] zipfCdf(int size, double exponent) {
        double[] cdf = new double[size];
        double sum = 0;
        for (int r = 0; r < size; r++) {
            sum += Math.pow(r + 1, -exponent);
            cdf[r] = sum;
        }
        for (int r = 0; r < size; r++) {
            cdf[r] /= sum;
        }
        cdf[size - 1] = 1.0;
        return cdf;
    }

    private static int draw(double[] cdf, SplittableRandom rnd) {
        int r = Arrays.binarySearch(cdf, rnd.nextDouble());
        return r >= 0 ? r : -r - 1;
    }

    private static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
