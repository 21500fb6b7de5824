package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specs are one-line YAML flow mappings of Milvus my-release, as in GuardConstraintsTest. */
class FrozenFieldsRuleTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "queue frozen      | '{components: {image: milvusdb/milvus:v2.5.16}, dependencies: {msgStreamType: rocksmq}}' | '{components: {image: milvusdb/milvus:v2.6.11}, dependencies: {msgStreamType: woodpecker}}' | spec.dependencies.msgStreamType | must not change in the same update as the image step from 2.5.16 to 2.6.11",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(new FrozenFieldsRule(), name, before, after, field, message);
    }
}
