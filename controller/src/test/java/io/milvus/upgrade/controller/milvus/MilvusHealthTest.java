package io.milvus.upgrade.controller.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import io.milvus.upgrade.testing.Objects;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MilvusHealthTest {

    /** A Deployment written as {@code spec/status.replicas/ready/generation/observed}; "-" leaves a field unset. */
    static Deployment deployment(String shape) {
        String[] f = shape.split("/");
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName("d").withGeneration(num(f[3]) == null ? null : (long) num(f[3])).endMetadata();
        b.withNewSpec().withReplicas(num(f[0])).endSpec();
        b.withNewStatus().withReplicas(num(f[1])).withReadyReplicas(num(f[2]))
                .withObservedGeneration(num(f[4]) == null ? null : (long) num(f[4])).endStatus();
        return b.build();
    }

    static Integer num(String s) {
        return s.equals("-") ? null : Integer.valueOf(s);
    }

    static List<Deployment> deployments(String shapes) {
        return shapes.isBlank() ? List.of() : java.util.Arrays.stream(shapes.split(" ")).map(MilvusHealthTest::deployment).toList();
    }

    @ParameterizedTest(name = "stopped({0}) = {1}")
    @CsvSource({
            "'',                          false",   // no Deployment at all is no evidence that Milvus is stopped
            "0/0/0/1/1,                   true",
            "0/0/0/1/1 0/-/-/1/1,         true",
            "0/1/0/1/1,                   false",   // a pod still terminating
            "1/1/1/1/1,                   false",
            "-/0/0/1/1,                   false",   // unset replicas mean 1
            "0/0/0/2/1,                   false"})  // the controller has not seen the scale-down yet
    void stopped(String shapes, boolean stopped) {
        assertThat(MilvusHealth.allStopped(deployments(shapes))).isEqualTo(stopped);
    }

    @ParameterizedTest(name = "healthy({0}, expected {1}) = {2}")
    @CsvSource({
            "'',                          1, false",   // nothing runs yet
            "2/2/2/1/1,                   2, true",
            "2/2/2/1/1 1/1/1/1/1,         3, true",
            "2/2/1/1/1,                   2, false",
            "0/0/0/1/1,                   2, false",   // still the stopped Deployment: ready 0 == 0 is not healthy
            "2/2/2/3/2,                   2, false",   // counts of an older spec
            "0/0/0/1/1,                   0, true"})   // a Milvus recorded at 0 replicas comes back at 0
    void healthyByDeployments(String shapes, int expected, boolean healthy) {
        assertThat(MilvusHealth.isHealthy(Objects.milvus("m", ""), deployments(shapes), expected)).isEqualTo(healthy);
    }

    @ParameterizedTest(name = "status {0}, observed {1}, generation {2} = {3}")
    @CsvSource({
            "Healthy,   -, 3, true",
            "Healthy,   3, 3, true",
            "Healthy,   2, 3, false",
            "Unhealthy, 3, 3, false"})
    void healthyByTheOperatorsStatus(String state, String observed, long generation, boolean healthy) {
        Milvus milvus = Objects.milvus("m", "");
        milvus.getMetadata().setGeneration(generation);
        MilvusStatus status = new MilvusStatus();
        status.setStatus(state);
        if (!observed.equals("-")) status.setAdditionalProperty("observedGeneration", Long.valueOf(observed));
        milvus.setStatus(status);
        assertThat(MilvusHealth.isHealthy(milvus, List.of(), 1)).isEqualTo(healthy);
    }
}
