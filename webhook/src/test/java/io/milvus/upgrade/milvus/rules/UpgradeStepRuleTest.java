package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specs are one-line YAML flow mappings of Milvus my-release, as in GuardConstraintsTest. */
class UpgradeStepRuleTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "2.4 → 2.6         | '{components: {image: milvusdb/milvus:v2.4.17}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | no single step from 2.4.x to 2.6.x; the safe path: change spec.components.image to milvusdb/milvus:v2.5.27, then change spec.components.image to milvusdb/milvus:v2.6.11",
            "2.5.3 → 2.6       | '{components: {image: milvusdb/milvus:v2.5.3}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | starts from 2.5.16 or later, not 2.5.3; the safe path: change spec.components.image to milvusdb/milvus:v2.5.27",
            "from 2.6.0-rc1    | '{components: {image: milvusdb/milvus:v2.6.0-rc1}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | never start from 2.6.0-rc1",
            "component removed | '{components: {proxy: {image: milvusdb/milvus:v2.5.3}}}' | '{components: {proxy: {replicas: 2}}}' | spec.components.proxy.image | removing the image runs the operator's default",
            "gpu jump          | '{components: {image: milvusdb/milvus:v2.5.3-gpu}}' | '{components: {image: milvusdb/milvus:v2.6.11-gpu}}' | spec.components.image | starts from 2.5.16 or later, not 2.5.3",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(new UpgradeStepRule(), name, before, after, field, message);
    }
}
