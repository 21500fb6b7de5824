package io.milvus.upgrade.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The patch written as the overlay is found: applied to the raw object, it gives the overlay, and nothing else. */
class DefaultingPatchTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a default beside user fields      | {"a":1}               | {"a":1}                 | {"a":1,"b":2}                   | {"a":1,"b":2}                 | add
            nothing added                     | {"a":1}               | {"a":1}                 | {"a":1}                         | {"a":1}                       |
            a user value the model rewrote    | {"a":"x"}             | {"a":"x"}               | {"a":"y"}                       | {"a":"x"}                     |
            null and empty are unset          | {"a":null,"b":""}     | {"b":""}                | {"a":1,"b":"d"}                 | {"a":1,"b":"d"}               | replace,replace
            an object the model made up       | {"m":1}               | {"m":1,"o":{"k":0}}     | {"m":1,"o":{"k":0,"d":5}}       | {"m":1,"o":{"d":5}}           | add
            a made-up object left as it was   | {"m":1}               | {"m":1,"o":{"k":0}}     | {"m":1,"o":{"k":0}}             | {"m":1}                       |
            nested into the user's object     | {"s":{"u":1,"x":[1]}} | {"s":{"u":1}}           | {"s":{"u":1,"d":{"e":2}}}       | {"s":{"u":1,"x":[1],"d":{"e":2}}} | add
            keys that need escaping           | {"l":{}}              | {"l":{}}                | {"l":{"a/b":"1","c~d":"2"}}     | {"l":{"a/b":"1","c~d":"2"}}   | add,add
            a scalar where the model has more | {"s":3}               | {"s":{}}                | {"s":{"d":1}}                   | {"s":3}                       |
            """)
    void appliedToTheRawObjectItGivesTheOverlay(String name, String raw, String before, String after, String expected, String ops)
            throws Exception {
        JsonNode rawNode = json(raw);
        JsonNode patch = DefaultingPatch.between(rawNode, json(before), json(after));
        assertThat(JsonPatch.apply(patch, rawNode)).isEqualTo(json(expected));
        assertThat(patch.findValuesAsText("op")).containsExactlyElementsOf(ops == null ? java.util.List.of() : java.util.List.of(ops.split(",")));
        assertThat(rawNode).as("the raw object is not changed").isEqualTo(json(raw));
    }

    private static JsonNode json(String text) throws Exception {
        return ApiSerialization.json().readTree(text);
    }
}
