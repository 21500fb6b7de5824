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

class MilvusScalingTest {

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
    void recordingTakesTheGlobalImageAndEveryComponentsReplicasWithOneAsDefault() {
        Milvus milvus = Objects.milvus("m", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  mixCoord: {replicas: 2}
                  proxy: {replicas: 0}
                """);
        MilvusScaling.Recorded recorded = MilvusScaling.record(milvus);
        assertThat(recorded.sourceImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(recorded.replicas()).containsExactly(Map.entry("mixCoord", 2), Map.entry("dataNode", 1),
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
        Milvus stopped = MilvusScaling.stopped(milvus);
        assertThat(MilvusScaling.isStopped(milvus)).isFalse();
        assertThat(MilvusScaling.isStopped(stopped)).isTrue();
        assertThat(stopped.getSpec().getComponents().getStandalone().getReplicas()).isZero();
        assertThat(stopped.getSpec().getComponents().getStandalone().getAdditionalProperties()).containsKey("resources");
        assertThat(stopped.getSpec().getAdditionalProperties()).containsEntry("somethingElse", "kept");
        assertThat(milvus.getSpec().getComponents().getStandalone().getReplicas()).as("the observed object is not touched").isNull();
        assertThat(MilvusScaling.differs(stopped, MilvusScaling.stopped(stopped))).isFalse();
    }

    @Test
    void upgradingMovesTheGlobalImageAndOverridesPinnedToTheOldVersionOnly() {
        Milvus milvus = Objects.milvus("m", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  proxy: {replicas: 0, image: "milvusdb/milvus:v2.1.4"}
                  queryNode: {replicas: 0, image: "mirror.example/milvus:2.1.4"}
                  dataNode: {replicas: 0, image: "custom/tools:debug"}
                """);
        Milvus upgraded = MilvusScaling.upgraded(milvus, "milvusdb/milvus:v2.2.0", Version.of("2.1.4"), "milvusdb/milvus:v2.1.4",
                Map.of("proxy", 2, "queryNode", 3, "dataNode", 1));
        var c = upgraded.getSpec().getComponents();
        assertThat(List.of(c.getImage(), c.getProxy().getImage(), c.getQueryNode().getImage(), c.getDataNode().getImage()))
                .containsExactly("milvusdb/milvus:v2.2.0", "milvusdb/milvus:v2.2.0", "milvusdb/milvus:v2.2.0", "custom/tools:debug");
        assertThat(List.of(c.getProxy().getReplicas(), c.getQueryNode().getReplicas(), c.getDataNode().getReplicas())).containsExactly(2, 3, 1);

        Milvus back = MilvusScaling.rolledBack(upgraded, "milvusdb/milvus:v2.1.4", "milvusdb/milvus:v2.2.0", Map.of("proxy", 2));
        assertThat(back.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(back.getSpec().getComponents().getProxy().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(back.getSpec().getComponents().getDataNode().getImage()).isEqualTo("custom/tools:debug");
    }

    @Test
    void rollingBackAMilvusThatHadNoGlobalImageRemovesIt() {
        Milvus milvus = Objects.milvus("m", "components: {image: milvusdb/milvus:v2.2.0, standalone: {replicas: 0}}");
        Milvus back = MilvusScaling.rolledBack(milvus, null, "milvusdb/milvus:v2.2.0", Map.of("standalone", 1));
        assertThat(back.getSpec().getComponents().getImage()).isNull();
        assertThat(back.getSpec().getComponents().getStandalone().getReplicas()).isEqualTo(1);
    }
}
