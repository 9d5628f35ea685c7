package io.github.fastgn.spark;

import io.github.fastgn.testing.PublicApi;
import org.junit.jupiter.api.Test;

/** The public types of this module are exactly those listed in {@code public-api.txt} beside this test. */
class PublicApiTest {

    @Test
    void publicTypesAreTheListedOnes() {
        PublicApi.assertMatchesList(FGNClassifier.class, PublicApiTest.class);
    }
}
