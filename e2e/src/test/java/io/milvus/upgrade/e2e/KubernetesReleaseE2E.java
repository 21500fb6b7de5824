package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.ControlPlaneBinaries;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Repository;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kubernetes release under test is the one the README names, and our answers reach the user
 * the way that release's kubectl shows them.
 */
@ExtendWith(LocalStackExtension.class)
class KubernetesReleaseE2E {

    /** The README's sentence that names the release the tests run on. */
    private static final Pattern README_RELEASE = Pattern.compile("end-to-end tests and `make run` run on Kubernetes (v\\d+\\.\\d+\\.\\d+)");

    @Test
    void theApiserverAndKubectlAreTheReleaseTheReadmeNames(ControlPlane plane) throws Exception {
        Matcher named = README_RELEASE.matcher(Files.readString(Repository.root().resolve("README.md")));
        assertThat(named.find()).as("README.md names the release: " + README_RELEASE.pattern()).isTrue();
        String release = named.group(1);
        assertThat(ControlPlaneBinaries.kubernetesVersion()).as(".ci/versions.env").isEqualTo(release);

        Kubectl.Result version = plane.kubectl("version", "-o", "json");
        assertThat(version.exitCode()).as(version.output()).isZero();
        JsonNode versions = ApiSerialization.json().readTree(version.stdout());
        assertThat(versions.at("/serverVersion/gitVersion").asText()).as("kube-apiserver's /version").isEqualTo(release);
        assertThat(versions.at("/clientVersion/gitVersion").asText()).as("kubectl").isEqualTo(release);
    }

    @Test
    void aWarningReadsAsKubectlPrintsIt(LocalStack stack) {
        String upgrade = WebhookE2E.upgradeYaml("warned", "default", "not-there", "2.1.4", "2.2.0", "");
        Kubectl.Result applied = Kubectl.run(stack.kubeconfig(), upgrade, "apply", "--dry-run=server", "-f", "-");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.stderr().lines()).as("kubectl's standard error").contains("Warning: Milvus default/not-there was not found, "
                + "so sourceVersion could not be checked; the upgrade waits until it exists, check spec.milvus");
    }
}
