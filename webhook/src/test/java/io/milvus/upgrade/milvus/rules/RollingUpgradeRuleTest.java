package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specs are one-line YAML flow mappings of Milvus my-release, as in GuardConstraintsTest. */
class RollingUpgradeRuleTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "rolling before    | '{components: {image: milvusdb/milvus:v2.2.0}}' | '{components: {image: milvusdb/milvus:v2.5.27, enableRollingUpdate: true}}' | spec.components.enableRollingUpdate | works from 2.2.3 on, not from 2.2.0",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(new RollingUpgradeRule(), name, before, after, field, message);
    }
}
