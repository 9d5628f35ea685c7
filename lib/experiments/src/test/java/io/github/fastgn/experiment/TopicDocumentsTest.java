package io.github.fastgn.experiment;

import io.github.fastgn.testing.QuietTestBase;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seeded documents of {@link TopicDocuments}: reproducible, shaped as documented, topics that overlap. */
class TopicDocumentsTest extends QuietTestBase {

    @Test
    void wordsAreDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 400_000; i++) {
            assertTrue(seen.add(TopicDocuments.word(i)), "word " + i + " repeats: " + TopicDocuments.word(i));
        }
    }

    @Test
    void sameSeedsSameDocumentsAndTopicsSharedAcrossDocumentSeeds() {
        TopicDocuments a = TopicDocuments.of(4, 7);
        List<TopicDocuments.Document> d1 = a.documents(300, 1);
        assertEquals(d1, TopicDocuments.of(4, 7).documents(300, 1));
        assertNotEquals(d1, a.documents(300, 2));
        assertNotEquals(d1, TopicDocuments.of(4, 8).documents(300, 1));
        assertEquals(List.of("topic0", "topic1", "topic2", "topic3"), a.topics());
        for (TopicDocuments.Document d : d1) {
            int words = d.text().split(" ").length;
            assertTrue(words >= 20 && words <= 60, words + " words");
            assertEquals(d.label() + "##" + d.text(), d.line());
        }
        Map<String, Integer> counts = new HashMap<>();
        d1.forEach(d -> counts.merge(d.label(), 1, Integer::sum));
        assertEquals(4, counts.size());
        counts.values().forEach(c -> assertTrue(c > 40 && c < 110, "topic counts " + counts));
    }

    /**
     * The most frequent non-background words of each topic (counted over its documents) are shared
     * with other topics: no topic owns its vocabulary. Measured against a topic's ten most frequent words.
     */
    @Test
    void topicsOverlap() {
        TopicDocuments t = TopicDocuments.of(3, 11);
        List<TopicDocuments.Document> docs = t.documents(3000, 5);
        Map<String, Map<String, Integer>> perTopic = new HashMap<>();
        for (TopicDocuments.Document d : docs) {
            Map<String, Integer> m = perTopic.computeIfAbsent(d.label(), x -> new HashMap<>());
            Arrays.stream(d.text().split(" ")).forEach(w -> m.merge(w, 1, Integer::sum));
        }
        for (String topic : t.topics()) {
            List<String> top = perTopic.get(topic).entrySet().stream()
                    .sorted((x, y) -> y.getValue() - x.getValue()).limit(10).map(Map.Entry::getKey).toList();
            for (String w : top) {
                long others = t.topics().stream().filter(o -> !o.equals(topic))
                        .filter(o -> perTopic.get(o).getOrDefault(w, 0) > 0).count();
                assertTrue(others >= 1, "word " + w + " of " + topic + " occurs in no other topic");
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TopicDocuments(1, 1000, 10, 5, 5, 1))
                .getMessage().contains("topics"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TopicDocuments(3, 1000, 600, 5, 5, 1))
                .getMessage().contains("poolSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TopicDocuments.of(3, 1).documents(-1, 1))
                .getMessage().contains("n = -1"));
    }
}
