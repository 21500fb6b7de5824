package io.milvus.upgrade.milvus;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.RuleFixtures.SEPARATE_COORDINATORS;
import static io.milvus.upgrade.testing.RuleFixtures.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the documented constraints still allow (issue 13), one row each, through the whole guard
 * under the built-in policy: no rule may deny it. The denied rows are each in the test class of the
 * rule that denies them ({@code milvus.rules}). Specs are one-line YAML flow mappings.
 */
class GuardConstraintsTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // skipping minors below 2.6
            "skip minors        | '{components: {image: milvusdb/milvus:v2.2.3}}' | '{components: {image: milvusdb/milvus:v2.5.27}}'",
            "rolling from 2.2.3 | '{components: {image: milvusdb/milvus:v2.2.3}}' | '{components: {image: milvusdb/milvus:v2.5.27, enableRollingUpdate: true}}'",
            // to 2.6: from 2.5.16, with mixCoord, never from 2.6.0-rc1, same queue, same mode
            "2.5.16 → 2.6       | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.6.11}}'",
            "mixCoord there     | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, mixCoord: {replicas: 1}}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.6.11, mixCoord: {replicas: 1}}}'",
            "enable mixCoord    | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, ROOTS}}' | '{mode: cluster, components: {image: milvusdb/milvus:v2.5.16, mixCoord: {replicas: 1}}}'",
            "2.6 patch          | '{components: {image: milvusdb/milvus:v2.6.0}}' | '{components: {image: milvusdb/milvus:v2.6.11}}'",
            "queue on its own   | '{components: {image: milvusdb/milvus:v2.6.11}, dependencies: {msgStreamType: rocksmq}}' | '{components: {image: milvusdb/milvus:v2.6.11}, dependencies: {msgStreamType: woodpecker}}'",
            // downgrades
            "rollingDowngrade   | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.4.17, imageUpdateMode: rollingDowngrade}}'",
            "patch downgrade    | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{components: {image: milvusdb/milvus:v2.5.10}}'",
            // mode
            "standalone stays   | '{components: {image: milvusdb/milvus:v2.5.16}}' | '{mode: standalone, components: {image: milvusdb/milvus:v2.5.16}}'",
            // ways around the guard
            "removed on 2.6     | '{components: {image: milvusdb/milvus:v2.6.11}}' | '{components: {}}'",
            "version field ok   | '{components: {image: milvusdb/milvus:custom, version: 2.1.4}}' | '{components: {image: milvusdb/milvus:custom, version: 2.1.5}}'",
            "gpu is a release   | '{components: {image: milvusdb/milvus:v2.5.16-gpu}}' | '{components: {image: milvusdb/milvus:v2.6.11-gpu}}'",
    })
    void allowed(String name, String before, String after) {
        assertThat(new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster())
                .validateUpdate(milvus("my-release", before.replace("ROOTS", SEPARATE_COORDINATORS)), milvus("my-release", after.replace("ROOTS", SEPARATE_COORDINATORS)), USER)
                .errors()).as(name).isEmpty();
    }
}
