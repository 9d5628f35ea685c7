package io.github.fastgn.tribuo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tribuo.CategoricalInfo;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableFeatureMap;

/**
 * {@link DatasetReader.NameIds} answers every name with the feature map's own id: for the same name
 * object again, for another String with the same characters, for names the map does not hold, across
 * its table's growth, and once past its limit (names that are never shared).
 */
class NameIdsTest {

    private static ImmutableFeatureMap map(int features) {
        MutableFeatureMap m = new MutableFeatureMap();
        for (int j = 0; j < features; j++) {
            m.put(new CategoricalInfo(String.format("f%06d", j)));
        }
        return new ImmutableFeatureMap(m);
    }

    @Test
    void givesTheMapsIdForEveryName() {
        int features = 5000;
        ImmutableFeatureMap map = map(features);
        DatasetReader.NameIds ids = new DatasetReader.NameIds(map);
        String[] shared = new String[features];
        for (int j = 0; j < features; j++) {
            shared[j] = String.format("f%06d", j);
        }
        for (int round = 0; round < 3; round++) {
            // the same objects again (the table answers), through several growths of the table in the first round
            for (int j = features - 1; j >= 0; j -= 7) {
                assertEquals(map.getID(shared[j]), ids.id(shared[j]), shared[j]);
            }
            for (int j = 0; j < features; j += 3) {
                assertEquals(map.getID(shared[j]), ids.id(shared[j]), shared[j]);
                // a different String with the same characters: the map's id too
                String copy = new String(shared[j].toCharArray());
                assertEquals(map.getID(shared[j]), ids.id(copy), copy);
            }
            assertEquals(-1, ids.id("not a feature"));
            assertEquals(-1, ids.id(new String("g000001")));
        }
    }

    @Test
    void namesThatAreNeverSharedStillGetTheMapsIds() {
        int features = 100;
        ImmutableFeatureMap map = map(features);
        DatasetReader.NameIds ids = new DatasetReader.NameIds(map);
        // a fresh String for every occurrence: far past the table's limit of 2 * 100 + 1024 names
        for (int occurrence = 0; occurrence < 20_000; occurrence++) {
            int j = (occurrence * 37) % (features + 10);
            String name = String.format("f%06d", j);
            assertEquals(j < features ? j : -1, ids.id(name), name);
            assertEquals(map.getID(name), ids.id(name), name);
        }
    }
}
