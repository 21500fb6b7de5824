package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;
import static io.milvus.upgrade.testing.RuleFixtures.check;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDowngradeRuleTest {

    private static final ImageDowngradeRule RULE = new ImageDowngradeRule();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "milvusdb/milvus:v2.2.0 | milvusdb/milvus:v2.1.4 | downgrading from 2.2.0 to 2.1.4 crosses a minor version",
            "milvusdb/milvus:v2.3.0 | milvusdb/milvus:v2.2.9 | crosses a minor version, whose metadata the older version cannot read; to undo a MilvusUpgrade, set its operation to rollback",
            "milvusdb/milvus:v3.0.0 | milvusdb/milvus:v2.9.0 | crosses a minor version",
    })
    void deniedImageChanges(String from, String to, String message) {
        assertDeniedOn(check(RULE, milvusWithImage(from), milvusWithImage(to)), "spec.components.image", message);
    }

    /** Specs are one-line YAML flow mappings, as in GuardConstraintsTest. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "downgrade minor   | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.4.17}}' | spec.components.image | or declare the downgrade with spec.components.imageUpdateMode: rollingDowngrade",
            "rolling below 2.2.3| '{components: {image: milvusdb/milvus:v2.4.17}}' | '{components: {image: milvusdb/milvus:v2.2.0, imageUpdateMode: rollingDowngrade}}' | spec.components.image | crosses a minor version",
            "2.6 → 2.5         | '{components: {image: milvusdb/milvus:v2.6.11}}' | '{components: {image: milvusdb/milvus:v2.5.16, imageUpdateMode: rollingDowngrade}}' | spec.components.image | downgrading from 2.6.11 to 2.5.16 crosses a minor version",
            "2.2 → 2.1         | '{components: {image: milvusdb/milvus:v2.2.0}}' | '{components: {image: milvusdb/milvus:v2.1.4, imageUpdateMode: rollingDowngrade}}' | spec.components.image | downgrading from 2.2.0 to 2.1.4",
            "streamingNode     | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.6, mixCoord: {}, streamingNode: {}}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.6, mixCoord: {}, streamingNode: {image: milvusdb/milvus:v2.4.0}}}' | spec.components.streamingNode.image | downgrading from 2.6.6 to 2.4.0",
            "cdc               | '{components: {image: milvusdb/milvus:v2.6.6, cdc: {}}}' | '{components: {image: milvusdb/milvus:v2.6.6, cdc: {image: milvusdb/milvus:v2.1.4}}}' | spec.components.cdc.image | downgrading from 2.6.6 to 2.1.4",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(RULE, name, before, after, field, message);
    }
}
