package io.milvus.upgrade.milvus;

import static io.milvus.upgrade.testing.Objects.milvus;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import io.milvus.upgrade.milvus.MilvusImages.RunningImage;
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
    })
    void runningComponentsFollowTheMode(String spec, String components) {
        assertThat(MilvusImages.runningComponents(milvus("m", spec))).containsExactly(components.split(","));
    }

    @Test
    void declaredImagesAreTheGlobalOneAndEachOverride() {
        Milvus milvus = milvus("m", "components:\n  image: a:v1\n  proxy: {image: b:v2}\n  queryNode: {replicas: 1}\n  dataNode: {image: ' '}\n");
        assertThat(MilvusImages.declared(milvus)).containsExactly(
                Map.entry("spec.components.image", "a:v1"), Map.entry("spec.components.proxy.image", "b:v2"));
    }

    @Test
    void runningImagesPreferWhatTheOperatorObserved() {
        Milvus milvus = milvus("m", "mode: cluster\ncomponents:\n  image: a:v1\n  mixCoord: {}\n  proxy: {image: b:v2}\n  dataNode: {image: c:v3}\n");
        milvus.setStatus(ApiSerialization.json().convertValue(Map.of(
                "currentImage", "a:v0",
                "componentsDeployStatus", Map.of("dataNode", Map.of("image", "c:v2", "generation", 4))), MilvusStatus.class));
        assertThat(MilvusImages.running(milvus)).containsExactly(
                new RunningImage("mixCoord", "a:v0", "status.currentImage"),
                new RunningImage("dataNode", "c:v2", "status.componentsDeployStatus.dataNode.image"),
                new RunningImage("queryNode", "a:v0", "status.currentImage"),
                new RunningImage("indexNode", "a:v0", "status.currentImage"),
                new RunningImage("proxy", "b:v2", "spec.components.proxy.image"));
    }

    @Test
    void withoutStatusTheSpecsEffectiveImageRuns() {
        Milvus milvus = milvus("m", "components:\n  image: a:v1\n");
        assertThat(MilvusImages.running(milvus)).containsExactly(new RunningImage("standalone", "a:v1", "spec.components.image"));
        assertThat(MilvusImages.running(milvus("m", "mode: standalone"))).isEmpty();
        assertThat(MilvusImages.running(null)).isEqualTo(List.of());
    }
}
