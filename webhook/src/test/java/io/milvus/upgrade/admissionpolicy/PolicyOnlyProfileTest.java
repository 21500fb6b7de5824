package io.milvus.upgrade.admissionpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy-only profile, kustomize's and the chart's copy, holds the export of the built-in
 * policy, not an older one (ChartMatchesKustomizeTest then compares what each renders).
 */
class PolicyOnlyProfileTest {

    /** Ours, and the operator's as its Helm chart names it (its MilvusUpgrade controller sets images too). */
    static final List<String> PROFILE_USERS = List.of(MilvusImageGuard.DEFAULT_CONTROLLER_USER,
            "system:serviceaccount:milvus-operator:milvus-operator");

    @ParameterizedTest
    @ValueSource(strings = {"manifests/profiles/policy-only/guard-policy.yaml", "charts/milvus-upgrade/files/admission-policy/guard-policy.yaml"})
    void theProfileIsTheExportOfTheBuiltInPolicy(String copy) throws Exception {
        assertThat(Files.readString(Path.of("..").resolve(copy)))
                .as("regenerate it: bin/milvus-webhook policy export --controller-user " + String.join(" --controller-user ", PROFILE_USERS)
                        + " -o " + copy)
                .isEqualTo(PolicyExportDocument.render(UpgradePolicy.builtIn(), PROFILE_USERS, "the built-in policy"));
    }
}
