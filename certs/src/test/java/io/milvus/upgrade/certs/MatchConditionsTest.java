package io.milvus.upgrade.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MatchConditionsTest {

    @ParameterizedTest(name = "{0}.{1}: {2}")
    @CsvSource({"1, 20, false", "1, 29, false", "1, 30, true", "1, 37, true", "1, 31+, true", "1, 28+, false", "2, 0, true", "'', '', false"})
    void gaFromKubernetes130(String major, String minor, boolean supported) {
        assertThat(MatchConditions.supported(new VersionInfo.Builder().withMajor(major).withMinor(minor).build())).isEqualTo(supported);
    }

    /** Every webhook of the manifests' templates has its conditions, and removing them leaves the rest as it was. */
    @Test
    void theTemplatesCarryThemAndLoseOnlyThemOnAnOlderApiserver() throws Exception {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("manifests/webhook-configurations");
        for (String file : List.of("mutating.yaml", "validating.yaml")) {
            try (InputStream in = Files.newInputStream(dir.resolve(file)); var client = new KubernetesClientBuilder().build()) {
                HasMetadata template = client.load(in).items().getFirst();
                assertThat(conditions(template)).as(file).allSatisfy(c -> assertThat(c).isNotEmpty());
                String before = client.getKubernetesSerialization().asJson(template);
                MatchConditions.remove(template);
                assertThat(conditions(template)).as(file).allSatisfy(c -> assertThat(c).isNull());
                assertThat(client.getKubernetesSerialization().asJson(template).length()).isLessThan(before.length());
            }
        }
    }

    private static List<List<?>> conditions(HasMetadata configuration) {
        Stream<List<?>> lists = configuration instanceof MutatingWebhookConfiguration m
                ? m.getWebhooks().stream().map(w -> (List<?>) w.getMatchConditions())
                : ((ValidatingWebhookConfiguration) configuration).getWebhooks().stream().map(w -> (List<?>) w.getMatchConditions());
        return lists.toList();
    }
}
