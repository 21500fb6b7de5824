package io.milvus.upgrade.admissionpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy-only profile holds the export of the built-in policy, not an older one. */
class PolicyOnlyProfileTest {

    /** Ours, and the operator's as its Helm chart names it (its MilvusUpgrade controller sets images too). */
    static final List<String> PROFILE_USERS = List.of(MilvusImageGuard.DEFAULT_CONTROLLER_USER,
            "system:serviceaccount:milvus-operator:milvus-operator");

    static final Path PROFILE = Path.of("..", "manifests", "profiles", "policy-only", "guard-policy.yaml");

    @Test
    void theProfileIsTheExportOfTheBuiltInPolicy() throws Exception {
        assertThat(Files.readString(PROFILE))
                .as("regenerate it: bin/milvus-webhook policy export --controller-user " + String.join(" --controller-user ", PROFILE_USERS)
                        + " -o manifests/profiles/policy-only/guard-policy.yaml")
                .isEqualTo(PolicyExportDocument.render(UpgradePolicy.builtIn(), PROFILE_USERS, "the built-in policy"));
    }
}
