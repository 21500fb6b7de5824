package io.milvus.upgrade.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LosslessConversionTest {

    private static final ObjectMapper JSON = ApiSerialization.json();

    /**
     * Objects stored in a cluster carry digests written by earlier releases (sorted maps written
     * by Jackson); a different byte form would make every such object look edited.
     */
    @Test
    void theDigestIsTheOneEarlierReleasesWrote() throws Exception {
        JsonNode spec = JSON.readTree("""
                {"z": 1, "a": {"y": [3, {"b": null, "a": true}, "x"], "b": -12345678901234, "a": 0.25},
                 "m": "ü \\" \\n ☃", "e": {}, "l": [], "d": 1.0E10, "f": false}""");
        ObjectMapper sortedMaps = JSON.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        byte[] earlierCanonical = sortedMaps.writeValueAsBytes(sortedMaps.treeToValue(spec, Object.class));
        String earlier = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(earlierCanonical));

        assertThat(LosslessConversion.digest(spec)).isEqualTo(earlier);
    }

    @Test
    void theDigestDependsOnContentNotOnFieldOrder() throws Exception {
        String one = LosslessConversion.digest(JSON.readTree("{\"a\": 1, \"b\": {\"c\": 2, \"d\": 3}}"));

        assertThat(LosslessConversion.digest(JSON.readTree("{\"b\": {\"d\": 3, \"c\": 2}, \"a\": 1}"))).isEqualTo(one);
        assertThat(LosslessConversion.digest(JSON.readTree("{\"b\": {\"d\": 3, \"c\": 2}, \"a\": 2}"))).isNotEqualTo(one);
    }
}
