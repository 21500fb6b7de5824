package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specs are one-line YAML flow mappings of Milvus my-release, as in GuardConstraintsTest. */
class ModeChangeRuleTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "cluster → standalone | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16}}' | '{mode: standalone, components: {image: milvusdb/milvus:v2.5.16}}' | spec.mode | a cluster cannot become standalone",
            "mode dropped      | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.5.16}}' | spec.mode | unset, which means standalone",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(new ModeChangeRule(), name, before, after, field, message);
    }
}
