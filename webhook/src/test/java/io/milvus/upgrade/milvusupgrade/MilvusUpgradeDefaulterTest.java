package io.milvus.upgrade.milvusupgrade;

import static io.milvus.upgrade.testing.Objects.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import java.util.function.Function;
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

    /**
     * The image tag is the full version: Milvus publishes no {@code v2.2} tag, and {@code +} is
     * not allowed in a tag. Text that is no version keeps the reference's rule; validation
     * refuses it anyway.
     */
    @ParameterizedTest(name = "targetVersion {0} → {1}")
    @CsvSource({
            "v2.2.0, milvusdb/milvus:v2.2.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2.0, milvusdb/milvus:v2.2.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2.3, milvusdb/milvus:v2.2.3, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2, milvusdb/milvus:v2.2.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2.0+build.7, milvusdb/milvus:v2.2.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "v2.2.1-hotfix, milvusdb/milvus:v2.2.1-hotfix, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.2.0-rc1, milvusdb/milvus:v2.2.0-rc1, ''",
            "2.3.0, milvusdb/milvus:v2.3.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.6.0, milvusdb/milvus:v2.6.0, ''",
            "latest, milvusdb/milvus:vlatest, ''"})
    void imagesFollowTheTargetVersion(String target, String targetImage, String toolImage) {
        MilvusUpgrade upgrade = defaulted("milvus: {name: my-release}\nsourceVersion: 2.1.4\ntargetVersion: \"" + target + "\"");
        assertThat(upgrade.getSpec().getTargetImage()).isEqualTo(targetImage);
        assertThat(upgrade.getSpec().getToolImage()).isEqualTo(toolImage.isEmpty() ? null : toolImage);
    }

    @Test
    void imagesComeFromThePolicy() throws Exception {
        var policy = PolicySource.fixed(PolicyFile.parse("""
                defaultRepository: registry.local/milvus
                toolImages: [{targets: ">=2.2.0 <2.3.0", image: "registry.local/meta-migration:v1"}]
                defaultMaxRetry: 1
                """, "test"));
        MilvusUpgrade upgrade = upgrade("milvus: {name: my-release}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0");
        new MilvusUpgradeDefaulter(policy).applyDefaults(upgrade, context);
        assertThat(upgrade.getSpec().getTargetImage()).isEqualTo("registry.local/milvus:v2.2.0");
        assertThat(upgrade.getSpec().getToolImage()).isEqualTo("registry.local/meta-migration:v1");
        assertThat(upgrade.getSpec().getMaxRetry()).isEqualTo(1);
    }

    @Test
    void theGuidesExampleGetsEveryDefault() {
        MilvusUpgrade upgrade = defaulted("milvus: {name: my-release}\nsourceVersion: v2.1.4\ntargetVersion: v2.2.0");
        var spec = upgrade.getSpec();
        assertThat(spec.getMilvus().getNamespace()).isEqualTo("default");
        assertThat(spec.getOperation()).isEqualTo("upgrade");
        assertThat(spec.getRollbackIfFailed()).isTrue();
        assertThat(spec.getMaxRetry()).isEqualTo(3);
        assertThat(spec.getBackupPVC()).as("empty: the controller creates one").isNull();
        assertThat(upgrade.getStatus()).as("status is not the defaulter's").isNull();
    }

    /** Each default, and that a value the user wrote for it is kept. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "milvus.namespace | 'milvus: {name: my-release, namespace: other}' | other",
            "targetImage      | 'targetImage: myregistry:5000/milvus/milvus:v2.2.0' | myregistry:5000/milvus/milvus:v2.2.0",
            "toolImage        | 'toolImage: myregistry:5000/meta-migration:v1' | myregistry:5000/meta-migration:v1",
            "operation        | 'operation: rollback'          | rollback",
            "rollbackIfFailed | 'rollbackIfFailed: false'      | false",
            "maxRetry         | 'maxRetry: 0'                  | 0",
            "backupPVC        | 'backupPVC: my-backup'         | my-backup",
    })
    void explicitValuesAreKept(String field, String line, String kept) {
        String base = "sourceVersion: 2.1.4\ntargetVersion: 2.2.0\n";
        MilvusUpgrade upgrade = defaulted((line.startsWith("milvus:") ? "" : "milvus: {name: my-release}\n") + base + line);
        assertThat(String.valueOf(VALUES.apply(upgrade.getSpec()).get(field))).isEqualTo(kept);
    }

    private static final Function<MilvusUpgradeSpec, java.util.Map<String, Object>> VALUES = spec -> {
        java.util.Map<String, Object> values = new java.util.HashMap<>();
        values.put("milvus.namespace", spec.getMilvus().getNamespace());
        values.put("targetImage", spec.getTargetImage());
        values.put("toolImage", spec.getToolImage());
        values.put("operation", spec.getOperation());
        values.put("rollbackIfFailed", spec.getRollbackIfFailed());
        values.put("maxRetry", spec.getMaxRetry());
        values.put("backupPVC", spec.getBackupPVC());
        return values;
    };

    @Test
    void theNamespaceIsTheUpgradesOwnElseTheRequests() {
        MilvusUpgrade own = upgrade("milvus: {name: my-release}");
        own.getMetadata().setNamespace("prod");
        defaulter.applyDefaults(own, context);
        assertThat(own.getSpec().getMilvus().getNamespace()).isEqualTo("prod");

        MilvusUpgrade noNamespace = upgrade("milvus: {name: my-release}");
        noNamespace.getMetadata().setNamespace(null);
        defaulter.applyDefaults(noNamespace, AdmissionContext.offline(Operation.CREATE, "from-request", "u"));
        assertThat(noNamespace.getSpec().getMilvus().getNamespace()).isEqualTo("from-request");
    }

    @Test
    void anEmptySpecGetsWhatNeedsNoInput() {
        MilvusUpgrade upgrade = defaulted("");
        assertThat(upgrade.getSpec().getTargetImage()).isNull();
        assertThat(upgrade.getSpec().getToolImage()).isNull();
        assertThat(upgrade.getSpec().getMilvus().getNamespace()).isEqualTo("default");
        assertThat(upgrade.getSpec().getMilvus().getName()).isNull();
        assertThat(upgrade.getSpec().getOperation()).isEqualTo("upgrade");
        assertThat(upgrade.getSpec().getMaxRetry()).isEqualTo(3);
    }

    /** The validating webhook finds an upgrade's siblings by these labels; a value the user wrote stays. */
    @Test
    void theTargetMilvusBecomesTwoLabels() {
        MilvusUpgrade upgrade = defaulted("milvus: {name: my-release, namespace: prod}");
        assertThat(upgrade.getMetadata().getLabels()).containsEntry("milvus-upgrade.io/milvus-name", "my-release")
                .containsEntry("milvus-upgrade.io/milvus-namespace", "prod");

        MilvusUpgrade labelled = upgrade("milvus: {name: my-release}");
        labelled.getMetadata().setLabels(java.util.Map.of("milvus-upgrade.io/milvus-name", "mine", "team", "search"));
        defaulter.applyDefaults(labelled, context);
        assertThat(labelled.getMetadata().getLabels()).containsEntry("milvus-upgrade.io/milvus-name", "mine")
                .containsEntry("milvus-upgrade.io/milvus-namespace", "default").containsEntry("team", "search");

        assertThat(defaulted("milvus: {name: " + "m".repeat(64) + "}").getMetadata().getLabels())
                .as("a name that is no label value (64 characters) gets none").isNullOrEmpty();
    }
}
