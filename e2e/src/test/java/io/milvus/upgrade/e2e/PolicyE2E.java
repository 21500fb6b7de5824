package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Poll;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin policy changes while requests flow: the new rule takes effect, a broken file changes nothing. */
@ExtendWith(LocalStackExtension.class)
class PolicyE2E {

    @Test
    void aPolicyChangeTakesEffectWithinSecondsAndABrokenOneIsRefused(LocalStack stack) throws Exception {
        String original = Files.readString(stack.policyFile());
        String jump = WebhookE2E.upgradeYaml("policy-probe", "default", "nobody", "2.1.4", "2.6.0", "");
        String valid = WebhookE2E.milvusYaml("policy-flow", "default", "milvusdb/milvus:v2.2.0");
        assertThat(dryRun(stack, jump).exitCode()).as("denied by the built-in rule").isNotZero();
        int requests = 0;
        int failures = 0;
        try {
            Files.writeString(stack.policyFile(), original + "rules:\n  upgradePath: warn\n");
            long changed = System.nanoTime();
            while (dryRun(stack, jump).exitCode() != 0) {
                assertThat(System.nanoTime() - changed).as("the new rule in force within 15 s").isLessThan(Duration.ofSeconds(15).toNanos());
                requests++;
                if (dryRun(stack, valid).exitCode() != 0) failures++;
            }
            double seconds = (System.nanoTime() - changed) / 1e9;
            Kubectl.Result warned = dryRun(stack, jump);
            assertThat(warned.stderr()).contains("upgrade to 2.5.27 with a MilvusUpgrade");

            Files.writeString(stack.policyFile(), "rules: [this is not a policy\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < deadline) { // three reload periods: the broken file must change nothing
                requests++;
                if (dryRun(stack, valid).exitCode() != 0) failures++;
                assertThat(dryRun(stack, jump).exitCode()).as("still the last good policy").isZero();
            }
            System.out.printf("policy reload: in force after %.1f s; %d requests during changes, %d failed%n", seconds, requests, failures);
            assertThat(failures).isZero();
        } finally {
            Files.writeString(stack.policyFile(), original);
        }
        Poll.until(Duration.ofSeconds(15), "the built-in rule back in force", () -> dryRun(stack, jump).exitCode() != 0);
    }

    private static Kubectl.Result dryRun(LocalStack stack, String yaml) {
        return Kubectl.run(stack.kubeconfig(), yaml, "apply", "--dry-run=server", "-f", "-");
    }
}
