package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy export}, run in-process as `java -jar milvus-webhook.jar policy export ...` would. */
class PolicyExportCommandTest {

    @Test
    void writesThePoliciesAndBindingsAsOneYamlStream() {
        CliRun run = CliRun.of("policy", "export");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("# The Milvus image guard as ValidatingAdmissionPolicies").contains("# Webhook-only:");
        List<HasMetadata> objects = ApiSerialization.kubernetes().unmarshal(run.out());
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ValidatingAdmissionPolicy",
                "ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    }

    @Test
    void aPolicyFileAndTheControllerUserAreUsed(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "rules: {imageUpgradeStep: warn}\n");
        Path out = dir.resolve("vap.yaml");
        CliRun run = CliRun.of("policy", "export", "--policy", policy.toString(), "--controller-user",
                "system:serviceaccount:milvus-operator:milvus-operator", "-o", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(out)).contains("#   imageUpgradeStep: Warn", "'system:serviceaccount:milvus-operator:milvus-operator'")
                .doesNotContain("milvus-upgrade-system:milvus-upgrade-controller");
    }

    @Test
    void aBadPolicyFileIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "rules: {imageUpgradeStep: sometimes}\n");
        CliRun run = CliRun.of("policy", "export", "--policy", policy.toString());
        assertThat(run.exitCode()).isEqualTo(WebhookMain.BAD_INPUT);
        assertThat(run.oneLineOnStderr()).as(run.err()).isTrue();
        assertThat(run.out()).isEmpty();
    }
}
