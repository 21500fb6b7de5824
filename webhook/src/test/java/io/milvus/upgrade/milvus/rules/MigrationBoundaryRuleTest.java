package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
import static io.milvus.upgrade.testing.RuleFixtures.assertDenies;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.v1beta1.Milvus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationBoundaryRuleTest {

    private static final MigrationBoundaryRule RULE = new MigrationBoundaryRule();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "milvusdb/milvus:v2.1.4 | milvusdb/milvus:v2.2.0 | changing the image from 2.1.x to 2.2.x loses built indexes; create a MilvusUpgrade (sourceVersion 2.1.4, targetVersion 2.2.0)",
            "milvusdb/milvus:v2.0.2 | milvusdb/milvus:v2.3.1 | changing the image from 2.0.x to 2.3.x loses built indexes",
            "milvusdb/milvus:v2.1.4 | milvusdb/milvus:v2.2.0-rc1 | loses built indexes",
    })
    void deniedImageChanges(String from, String to, String message) {
        assertDeniedOn(check(RULE, milvusWithImage(from), milvusWithImage(to)), "spec.components.image", message);
    }

    /** Specs are one-line YAML flow mappings, as in GuardConstraintsTest. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "migration         | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {image: milvusdb/milvus:v2.2.0}}' | spec.components.image | loses built indexes; create a MilvusUpgrade (sourceVersion 2.1.4, targetVersion 2.2.0)",
            "migration to 2.6  | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {image: milvusdb/milvus:v2.6.11}}' | spec.components.image | a MilvusUpgrade migrates to >=2.2.0 <2.6.0 only; the safe path: upgrade to 2.5.27 with a MilvusUpgrade",
            "image removed     | '{components: {image: milvusdb/milvus:v2.1.4}}' | '{components: {}}' | spec.components.image | removing the image runs the operator's default \"milvusdb/milvus:v2.6.11\": changing the image from 2.1.x to 2.6.x loses built indexes",
            "version field     | '{components: {image: milvusdb/milvus:custom, version: 2.1.4}}' | '{components: {image: milvusdb/milvus:custom, version: 2.2.0}}' | spec.components.version | loses built indexes",
            "tag with version  | '{components: {image: milvusdb/milvus:custom, version: 2.1.4}}' | '{components: {image: milvusdb/milvus:other, version: 2.2.0}}' | spec.components.image | loses built indexes",
    })
    void denies(String name, String before, String after, String field, String message) {
        assertDenies(RULE, name, before, after, field, message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mixCoord", "rootCoord", "dataCoord", "queryCoord", "indexCoord", "dataNode", "queryNode", "indexNode", "proxy", "standalone"})
    void eachComponentImageIsGuarded(String component) {
        Milvus before = milvus("my-release", "mode: cluster\ncomponents:\n  image: milvusdb/milvus:v2.1.4\n  " + component + ": {replicas: 2}\n");
        Milvus after = milvus("my-release", "mode: cluster\ncomponents:\n  image: milvusdb/milvus:v2.1.4\n  " + component
                + ": {replicas: 2, image: milvusdb/milvus:v2.2.0}\n");
        assertDeniedOn(check(RULE, before, after), "spec.components." + component + ".image", "loses built indexes");

        Milvus patched = milvus("my-release", "mode: cluster\ncomponents:\n  image: milvusdb/milvus:v2.1.4\n  " + component
                + ": {replicas: 2, image: milvusdb/milvus:v2.1.5}\n");
        assertThat(check(RULE, before, patched).errors()).isEmpty();
    }

    @Test
    void theEffectiveImageOfEachComponentCounts() {
        // The proxy drops its own 2.1.4 image and now runs the global 2.2.0.
        Milvus pinned = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
        Milvus dropped = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {replicas: 2}\n");
        assertThat(fields(check(RULE, pinned, dropped))).containsExactly("spec.components.proxy.image");
        // The global image moves on while the proxy keeps the old one: the other components jump.
        Milvus old = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
        Milvus globalOnly = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
        assertThat(fields(check(RULE, old, globalOnly))).containsExactly("spec.components.image");
        // Both change: each is reported on its own field.
        Milvus both = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.2.0}\n");
        assertThat(fields(check(RULE, old, both))).containsExactly("spec.components.image", "spec.components.proxy.image");
    }
}
