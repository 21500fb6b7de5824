package io.milvus.upgrade.policy;

import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin adds the next Milvus release's step to the policy file, and the running guard
 * (same instance, no restart) admits the upgrade it denied before.
 */
class PolicyReloadChangesAVerdictTest {

    private static final AdmissionContext USER = new AdmissionContext("u", Operation.UPDATE, "default", "my-release", "alice", List.of(), false);

    @TempDir
    Path dir;

    @Test
    void aStepForAFutureReleaseTakesEffectOnReload() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "# the built-in policy\n");
        try (ReloadingPolicySource policy = ReloadingPolicySource.start(file, Duration.ofHours(1))) {
            MilvusImageGuard guard = new MilvusImageGuard(policy, new FakeCluster());
            Verdict before = guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.6.11"), milvusWithImage("milvusdb/milvus:v2.7.0"), USER);
            assertThat(before.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("the policy has no single step from 2.6.x to 2.7.x"));

            Files.writeString(file, """
                    addSteps:
                      - from: ">=2.6.5 <2.7.0"
                        to: ">=2.7.0 <2.8.0"
                        minimumSource: 2.6.9
                        frozenFields: [spec.dependencies.msgStreamType]
                    """);
            assertThat(policy.reloadIfChanged()).isTrue();

            Verdict after = guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.6.11"), milvusWithImage("milvusdb/milvus:v2.7.0"), USER);
            assertThat(after.errors()).isEmpty();
            Verdict tooOld = guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.6.5"), milvusWithImage("milvusdb/milvus:v2.7.0"), USER);
            assertThat(tooOld.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("starts from 2.6.9 or later, not 2.6.5")
                    .contains("the safe path: change spec.components.image to milvusdb/milvus:v2.6.9, then change spec.components.image to milvusdb/milvus:v2.7.0"));
        }
    }
}
