package io.milvus.upgrade.controller.milvus;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.components.MilvusTopology;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.testing.Objects;
import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MilvusSpecChangesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                  | standalone",
            "mode: standalone                    | standalone",
            "mode: cluster                       | rootCoord,dataCoord,queryCoord,indexCoord,dataNode,queryNode,indexNode,proxy",
            "'mode: cluster\ncomponents: {mixCoord: {}}' | mixCoord,dataNode,queryNode,indexNode,proxy"})
    void componentsFollowTheMode(String spec, String components) {
        assertThat(MilvusTopology.components(Objects.milvus("m", spec))).map(Component::field).containsExactly(components.split(","));
    }

    @Test
    void recordingTakesEveryImageFieldAndEveryComponentsReplicasWithOneAsDefault() {
        Milvus milvus = Objects.milvus("m", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  mixCoord: {replicas: 2}
                  proxy: {replicas: 0, image: "mirror.example/milvus:v2.1.4"}
                  standalone: {image: "milvusdb/milvus:v2.1.3"}
                """);
        RecordedImages images = ComponentImages.record(milvus);
        assertThat(images.global()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(images.components()).containsExactly(Map.entry("proxy", "mirror.example/milvus:v2.1.4"),
                Map.entry("standalone", "milvusdb/milvus:v2.1.3"));
        assertThat(MilvusSpecChanges.replicas(milvus)).containsExactly(Map.entry("mixCoord", 2), Map.entry("dataNode", 1),
                Map.entry("queryNode", 1), Map.entry("indexNode", 1), Map.entry("proxy", 0));
    }

    @Test
    void stoppingSetsEveryComponentToZeroAndKeepsEverythingElse() {
        Milvus milvus = Objects.milvus("m", """
                mode: standalone
                components:
                  image: milvusdb/milvus:v2.1.4
                  standalone: {resources: {limits: {cpu: "2"}}}
                somethingElse: kept
                """);
        Milvus stopped = MilvusSpecChanges.stopped(milvus);
        assertThat(MilvusSpecChanges.isStopped(milvus)).isFalse();
        assertThat(MilvusSpecChanges.isStopped(stopped)).isTrue();
        assertThat(stopped.getSpec().getComponents().getStandalone().getReplicas()).isZero();
        assertThat(stopped.getSpec().getComponents().getStandalone().getAdditionalProperties()).containsKey("resources");
        assertThat(stopped.getSpec().getAdditionalProperties()).containsEntry("somethingElse", "kept");
        assertThat(milvus.getSpec().getComponents().getStandalone().getReplicas()).as("the observed object is not touched").isNull();
        assertThat(MilvusSpecChanges.differs(stopped, MilvusSpecChanges.stopped(stopped))).isFalse();
    }

    @Test
    void upgradingMovesTheGlobalImageAndEveryOverrideOfTheSourceVersionInTheTargetsRepository() {
        Milvus milvus = Objects.milvus("m", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  proxy: {replicas: 0, image: "milvusdb/milvus:v2.1.4"}
                  queryNode: {replicas: 0, image: "docker.io/milvusdb/milvus:2.1.4"}
                  standalone: {image: "custom/tools:debug"}
                """);
        assertThat(ComponentImages.unmovable(milvus, "milvusdb/milvus:v2.2.0", Version.of("2.1.4")))
                .as("standalone does not run in cluster mode").isEmpty();
        Milvus upgraded = MilvusSpecChanges.upgraded(milvus, "milvusdb/milvus:v2.2.0", Version.of("2.1.4"),
                Map.of("proxy", 2, "queryNode", 3, "dataNode", 1), Map.of());
        var c = upgraded.getSpec().getComponents();
        assertThat(List.of(c.getImage(), c.getProxy().getImage(), c.getQueryNode().getImage(), c.getStandalone().getImage()))
                .containsExactly("milvusdb/milvus:v2.2.0", "milvusdb/milvus:v2.2.0", "milvusdb/milvus:v2.2.0", "custom/tools:debug");
        assertThat(List.of(c.getProxy().getReplicas(), c.getQueryNode().getReplicas(), c.getDataNode().getReplicas())).containsExactly(2, 3, 1);

        Milvus back = MilvusSpecChanges.rolledBack(upgraded, ComponentImages.record(milvus), Map.of("proxy", 2), Map.of());
        assertThat(ComponentImages.record(back)).isEqualTo(ComponentImages.record(milvus));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "milvusdb/milvus@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | pinned by digest",
            "milvusdb/milvus:v2.1.3                 | not the source version 2.1.4",
            "milvusdb/milvus:latest                 | not the source version 2.1.4",
            "mirror.example/milvus:v2.1.4           | another repository than the target image milvusdb/milvus:v2.2.0"})
    void anOverrideTheUpgradeCannotMoveIsNamedWithTheReason(String image, String reason) {
        Milvus milvus = Objects.milvus("m", "mode: cluster\ncomponents: {image: milvusdb/milvus:v2.1.4, queryNode: {image: \"" + image + "\"}}");
        assertThat(ComponentImages.unmovable(milvus, "milvusdb/milvus:v2.2.0", Version.of("2.1.4")))
                .singleElement().asString().startsWith("spec.components.queryNode.image is " + image).contains(reason);
    }

    @Test
    void rollingBackRestoresExactlyTheRecordedFieldsUnsetOnesIncluded() {
        Milvus before = Objects.milvus("m", "components: {standalone: {replicas: 1, image: milvusdb/milvus:v2.1.4}}");
        Milvus upgraded = MilvusSpecChanges.upgraded(before, "milvusdb/milvus:v2.2.0", Version.of("2.1.4"), Map.of("standalone", 1), Map.of());
        assertThat(upgraded.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(upgraded.getSpec().getComponents().getStandalone().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");

        Milvus back = MilvusSpecChanges.rolledBack(upgraded, ComponentImages.record(before), Map.of("standalone", 1), Map.of());
        assertThat(back.getSpec().getComponents().getImage()).isNull();
        assertThat(back.getSpec().getComponents().getStandalone().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
    }

    /** Operator 1.3.8's deployment groups: recorded, stopped and restored with the components; -1 (an HPA's) restarts at 1. */
    @Test
    void deploymentGroupsAreRecordedStoppedAndRestored() {
        Milvus milvus = Objects.milvus("my-release", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.6.11
                  mixCoord: {replicas: 1}
                  queryNode:
                    replicas: 1
                    groups: [{name: zone-a, replicas: 2, labels: {zone: a}}, {name: zone-b, replicas: -1}]
                  proxy: {replicas: 1}
                """);
        Map<String, Integer> groups = GroupReplicas.record(milvus);
        assertThat(groups).containsExactly(Map.entry("queryNode/zone-a", 2), Map.entry("queryNode/zone-b", -1));
        Milvus stopped = MilvusSpecChanges.stopped(milvus);
        assertThat(MilvusSpecChanges.isStopped(stopped)).isTrue();
        assertThat(stopped.getSpec().getComponents().getQueryNode().getGroups()).extracting(g -> g.getReplicas()).containsExactly(0, 0);
        assertThat(MilvusSpecChanges.isStopped(MilvusSpecChanges.stopped(Objects.milvus("m", "mode: cluster\ncomponents: {queryNode: {groups: [{name: a, replicas: 2}]}}"))))
                .isTrue();
        Map<String, Integer> replicas = MilvusSpecChanges.replicas(milvus);
        Milvus upgraded = MilvusSpecChanges.upgraded(stopped, "milvusdb/milvus:v2.6.24", Version.of("2.6.11"), replicas, groups);
        assertThat(upgraded.getSpec().getComponents().getQueryNode().getGroups()).extracting(g -> g.getReplicas()).containsExactly(2, 1);
        assertThat(upgraded.getSpec().getComponents().getQueryNode().getGroups().getFirst().getAdditionalProperties()).containsKey("labels");
        assertThat(GroupReplicas.hpaManaged(groups)).containsExactly("queryNode/zone-b");
        // queryNode's own replica is not counted: its groups' Deployments stand in for it.
        assertThat(MilvusSpecChanges.total(replicas, groups)).isEqualTo(replicas.values().stream().mapToInt(Integer::intValue).sum() - 1 + 3);
        Milvus back = MilvusSpecChanges.rolledBack(stopped, ComponentImages.record(milvus), replicas, groups);
        assertThat(back.getSpec().getComponents().getQueryNode().getGroups()).extracting(g -> g.getReplicas()).containsExactly(2, 1);
    }
}
