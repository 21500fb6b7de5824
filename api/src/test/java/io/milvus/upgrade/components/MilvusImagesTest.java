package io.milvus.upgrade.components;

import static io.milvus.upgrade.testing.Objects.milvus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import io.milvus.upgrade.components.MilvusImages.RunningImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MilvusImagesTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                        | standalone",
            "mode: standalone                          | standalone",
            "'mode: cluster'                           | rootCoord,dataCoord,queryCoord,indexCoord,dataNode,queryNode,indexNode,proxy",
            "'mode: cluster\ncomponents: {mixCoord: {}}' | mixCoord,dataNode,queryNode,indexNode,proxy",
            "'components: {mixCoord: {}, proxy: {}}'   | standalone",
            "'components: {cdc: {}}'                   | standalone,cdc",
            "'mode: cluster\ncomponents: {mixCoord: {}, streamingNode: {}}' | mixCoord,dataNode,queryNode,indexNode,streamingNode,proxy",
    })
    void runningComponentsFollowTheMode(String spec, String components) {
        assertThat(MilvusTopology.components(milvus("m", spec))).containsExactly(
                Arrays.stream(components.split(",")).map(Component::named).toArray(Component[]::new));
    }

    @Test
    void declaredImagesAreTheGlobalOneAndEachOverride() {
        Milvus milvus = milvus("m", "components:\n  image: a:v1\n  proxy: {image: b:v2}\n  queryNode: {replicas: 1}\n  dataNode: {image: ' '}\n");
        assertThat(MilvusImages.declared(milvus)).containsExactly(
                Map.entry("spec.components.image", "a:v1"), Map.entry("spec.components.proxy.image", "b:v2"));
    }

    /** The operator reports components under lowercase keys ({@code datanode}), not the spec's camelCase. */
    @Test
    void runningImagesPreferWhatTheOperatorObserved() {
        Milvus milvus = milvus("m", "mode: cluster\ncomponents:\n  image: a:v1\n  mixCoord: {}\n  proxy: {image: b:v2}\n  dataNode: {image: c:v3}\n");
        milvus.setStatus(ApiSerialization.json().convertValue(Map.of(
                "currentImage", "a:v0",
                "componentsDeployStatus", Map.of("datanode", Map.of("image", "c:v2", "generation", 4))), MilvusStatus.class));
        assertThat(MilvusImages.running(milvus)).containsExactly(
                new RunningImage(Component.MIX_COORD, "a:v0", "status.currentImage"),
                new RunningImage(Component.DATA_NODE, "c:v2", "status.componentsDeployStatus.datanode.image"),
                new RunningImage(Component.QUERY_NODE, "a:v0", "status.currentImage"),
                new RunningImage(Component.INDEX_NODE, "a:v0", "status.currentImage"),
                new RunningImage(Component.PROXY, "b:v2", "spec.components.proxy.image"));
    }

    /** Operator 1.3.8's deployment groups: each runs its component's image, and reports it per group. */
    @Test
    void aDeploymentGroupRunsItsComponentsImage() {
        Milvus milvus = milvus("m", "mode: cluster\ncomponents:\n  image: a:v2.6.24\n  mixCoord: {}\n"
                + "  queryNode: {groups: [{name: zone-a, replicas: 2}, {name: zone-b, replicas: -1}]}\n  proxy: {groups: [{name: p}]}\n"
                + "  indexNode: {groups: [{name: ignored, replicas: 3}]}\n");
        assertThat(MilvusTopology.groupReplicas(milvus)).containsExactly(
                entry("queryNode/zone-a", 2), entry("queryNode/zone-b", -1), entry("proxy/p", 1));
        milvus.setStatus(ApiSerialization.json().convertValue(Map.of("deploymentGroupsDeployStatus",
                Map.of("querynode", Map.of("zone-a", Map.of("image", "a:v2.6.11")))), MilvusStatus.class));
        assertThat(MilvusImages.running(milvus)).extracting(RunningImage::image, RunningImage::readFrom)
                .contains(tuple("a:v2.6.11", "status.deploymentGroupsDeployStatus.querynode.zone-a.image"));
        assertThat(MilvusImages.runningVersion(milvus)).as("a group still on 2.6.11: the components run two versions").isEmpty();
    }

    @Test
    void withoutStatusTheSpecsEffectiveImageRuns() {
        Milvus milvus = milvus("m", "components:\n  image: a:v1\n");
        assertThat(MilvusImages.running(milvus)).containsExactly(new RunningImage(Component.STANDALONE, "a:v1", "spec.components.image"));
        assertThat(MilvusImages.running(milvus("m", "mode: standalone"))).isEmpty();
        assertThat(MilvusImages.running(null)).isEqualTo(List.of());
    }
}
