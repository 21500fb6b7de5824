package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.RuleFixtures.SEPARATE_COORDINATORS;
import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specs are one-line YAML flow mappings of Milvus my-release, as in GuardConstraintsTest; ROOTS stands for the four coordinators. */
class RequiredTopologyRuleTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "mixCoord needed   | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, ROOTS}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.11, ROOTS}}' | spec.components.mixCoord | needs mixCoord already running",
            "mixCoord same time| '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, ROOTS}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.11, mixCoord: {replicas: 1}}}' | spec.components.mixCoord | enable mixCoord (spec.components.mixCoord) on 2.5.16 first",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(new RequiredTopologyRule(), name, before.replace("ROOTS", SEPARATE_COORDINATORS), after.replace("ROOTS", SEPARATE_COORDINATORS), field, message);
    }
}
