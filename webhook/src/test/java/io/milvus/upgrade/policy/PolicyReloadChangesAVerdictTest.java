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
            Verdict before = guard.validateUpdate(milvusWithImage("milvusdb/milvus:v3.0.5"), milvusWithImage("milvusdb/milvus:v3.1.0"), USER);
            assertThat(before.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("the policy has no single step from 3.0.x to 3.1.x"));

            // The README's "next release" example: a 3.1 line and its newest patch, no build.
            Files.writeString(file, """
                    addSteps:
                      - {from: ">=3.0.0 <3.1.0", to: ">=3.1.0 <3.2.0", minimumSource: 3.0.3, frozenFields: [spec.dependencies.msgStreamType, spec.mode], frozenTopology: true}
                      - {from: ">=3.1.0 <3.2.0", to: ">=3.1.0 <3.2.0", downgrade: rollingDowngrade}
                    releases: [2.0.2, 2.1.4, 2.2.16, 2.3.20, 2.4.24, 2.5.27, 2.6.24, 3.0.5, 3.1.0]
                    """);
            assertThat(policy.reloadIfChanged()).isTrue();

            Verdict after = guard.validateUpdate(milvusWithImage("milvusdb/milvus:v3.0.5"), milvusWithImage("milvusdb/milvus:v3.1.0"), USER);
            assertThat(after.errors()).isEmpty();
            Verdict tooOld = guard.validateUpdate(milvusWithImage("milvusdb/milvus:v3.0.1"), milvusWithImage("milvusdb/milvus:v3.1.0"), USER);
            assertThat(tooOld.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("starts from 3.0.3 or later, not 3.0.1")
                    .contains("the safe path: change spec.components.image to milvusdb/milvus:v3.0.5, then change spec.components.image to milvusdb/milvus:v3.1.0"));
        }
    }
}
