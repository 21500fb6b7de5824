package io.milvus.upgrade.milvusupgrade;

import static io.milvus.upgrade.testing.Objects.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.policy.PolicySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MilvusUpgradeDefaulterTest {

    private final MilvusUpgradeDefaulter defaulter = new MilvusUpgradeDefaulter(PolicySource.builtIn());
    private final AdmissionContext context = AdmissionContext.offline(Operation.CREATE, "default", "my-release-upgrade");

    private MilvusUpgrade defaulted(String spec) {
        MilvusUpgrade upgrade = upgrade(spec);
        assertThat(defaulter.applyDefaults(upgrade, context)).isEmpty();
        return upgrade;
    }

    @ParameterizedTest(name = "targetVersion {0} → {1}")
    @CsvSource({
            "v2.2.0, milvusdb/milvus:v2.2.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2.0, milvusdb/milvus:v2.2.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2.3, milvusdb/milvus:v2.2.3, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2, milvusdb/milvus:v2.2, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.3.0, milvusdb/milvus:v2.3.0, ''",
            "latest, milvusdb/milvus:vlatest, ''"})
    void imagesFollowTheTargetVersion(String target, String targetImage, String toolImage) {
        MilvusUpgrade upgrade = defaulted("milvus: {name: my-release}\nsourceVersion: 2.1.4\ntargetVersion: \"" + target + "\"");
        assertThat(upgrade.getSpec().getTargetImage()).isEqualTo(targetImage);
        assertThat(upgrade.getSpec().getToolImage()).isEqualTo(toolImage.isEmpty() ? null : toolImage);
    }

    @Test
    void theGuidesExampleGetsEveryDefault() {
        MilvusUpgrade upgrade = defaulted("milvus: {name: my-release}\nsourceVersion: v2.1.4\ntargetVersion: v2.2.0");
        var spec = upgrade.getSpec();
        assertThat(spec.getMilvus().getNamespace()).isEqualTo("default");
        assertThat(spec.getOperation()).isEqualTo("upgrade");
        assertThat(spec.getRollbackIfFailed()).isTrue();
        assertThat(spec.getMaxRetry()).isEqualTo(3);
        assertThat(spec.getBackupPVC()).isNull();
    }

    @Test
    void explicitValuesAreKept() {
        MilvusUpgrade upgrade = defaulted("""
                milvus: {name: my-release, namespace: other}
                sourceVersion: 2.1.4
                targetVersion: 2.2.0
                targetImage: myregistry:5000/milvus/milvus:v2.2.0
                toolImage: myregistry:5000/meta-migration:v1
                operation: rollback
                rollbackIfFailed: false
                maxRetry: 0
                """);
        var spec = upgrade.getSpec();
        assertThat(spec.getMilvus().getNamespace()).isEqualTo("other");
        assertThat(spec.getTargetImage()).isEqualTo("myregistry:5000/milvus/milvus:v2.2.0");
        assertThat(spec.getToolImage()).isEqualTo("myregistry:5000/meta-migration:v1");
        assertThat(spec.getOperation()).isEqualTo("rollback");
        assertThat(spec.getRollbackIfFailed()).isFalse();
        assertThat(spec.getMaxRetry()).isZero();
    }

    @Test
    void anEmptySpecGetsWhatNeedsNoInput() {
        MilvusUpgrade upgrade = defaulted("");
        assertThat(upgrade.getSpec().getTargetImage()).isNull();
        assertThat(upgrade.getSpec().getToolImage()).isNull();
        assertThat(upgrade.getSpec().getMilvus().getNamespace()).isEqualTo("default");
        assertThat(upgrade.getSpec().getMaxRetry()).isEqualTo(3);
    }
}
