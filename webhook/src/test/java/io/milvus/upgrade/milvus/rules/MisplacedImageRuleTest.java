package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specs are one-line YAML flow mappings of Milvus my-release, as in GuardConstraintsTest. */
class MisplacedImageRuleTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "spec.image        | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{image: milvusdb/milvus:v2.2.0, components: {image: milvusdb/milvus:v2.1.4}}' | spec.image | did you mean spec.components.image?",
            "spec.proxy.image  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{proxy: {image: milvusdb/milvus:v2.2.0}, components: {image: milvusdb/milvus:v2.1.4}}' | spec.proxy.image | did you mean spec.components.proxy.image?",
            "misspelt component| '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {image: milvusdb/milvus:v2.1.4, queryNodes: {image: milvusdb/milvus:v2.2.0}}}' | spec.components.queryNodes.image | did you mean one of spec.components.",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(new MisplacedImageRule(), name, before, after, field, message);
    }
}
