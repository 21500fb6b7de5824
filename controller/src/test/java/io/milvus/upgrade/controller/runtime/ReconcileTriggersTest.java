package io.milvus.upgrade.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.controller.runtime.UpgradeController.Key;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcileTriggersTest {

    private final List<MilvusUpgrade> cached = new ArrayList<>(List.of(
            upgrade("apps", "first", "uid-1", null, "my-release"),
            upgrade("apps", "second", "uid-2", null, "my-release"),
            // Another namespace's upgrade of the same-named Milvus in "apps", by spec.milvus.namespace.
            upgrade("ops", "remote", "uid-3", "apps", "my-release"),
            upgrade("apps", "other", "uid-4", null, "other-release"),
            upgrade("other-ns", "lookalike", "uid-5", null, "my-release")));
    private final ReconcileTriggers triggers = ReconcileTriggers.scanning(() -> cached);

    /** OneUpgradeAtATime: when one upgrade of a Milvus moves, those waiting behind it look again. */
    @Test
    void anUpgradeWakesItselfFirstThenEveryOtherOfItsMilvus() {
        assertThat(triggers.ofUpgrade(cached.get(1)))
                .containsExactly(new Key("apps", "second"), new Key("apps", "first"), new Key("ops", "remote"));
    }

    @Test
    void aDeletedUpgradeNoLongerCachedStillWakesItsSiblings() {
        MilvusUpgrade deleted = cached.remove(0);

        assertThat(triggers.ofUpgrade(deleted)).containsExactly(new Key("apps", "first"), new Key("apps", "second"), new Key("ops", "remote"));
    }

    @Test
    void aMilvusWakesTheUpgradesThatTargetItInItsNamespaceOnly() {
        Milvus milvus = ApiSerialization.kubernetes().unmarshal("""
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: my-release, namespace: apps}
                """, Milvus.class);

        assertThat(triggers.ofMilvus(milvus)).containsExactly(new Key("apps", "first"), new Key("apps", "second"), new Key("ops", "remote"));
    }

    @Test
    void aDeploymentWakesTheUpgradesOfTheMilvusItsInstanceLabelNames() {
        var deployment = new DeploymentBuilder().withNewMetadata().withNamespace("apps").withName("my-release-milvus-proxy")
                .addToLabels(MilvusHealth.INSTANCE_LABEL, "other-release").endMetadata().build();
        var unlabelled = new DeploymentBuilder().withNewMetadata().withNamespace("apps").withName("x").endMetadata().build();

        assertThat(triggers.ofDeployment(deployment)).containsExactly(new Key("apps", "other"));
        assertThat(triggers.ofDeployment(unlabelled)).isEmpty();
    }

    /** A re-created upgrade of the same name has a new uid: its predecessor's Job must not wake it. */
    @Test
    void whatAnUpgradeCreatedWakesItByUidNotByName() {
        var job = new JobBuilder().withNewMetadata().withNamespace("apps").withName("first-backup")
                .addToLabels(MigrationJobFactory.LABEL_UPGRADE_UID, "uid-2").endMetadata().build();
        var predecessors = new ConfigMapBuilder().withNewMetadata().withNamespace("apps").withName("first-config")
                .addToLabels(MigrationJobFactory.LABEL_UPGRADE_UID, "uid-gone").endMetadata().build();

        assertThat(triggers.ofCreated(job)).containsExactly(new Key("apps", "second"));
        assertThat(triggers.ofCreated(predecessors)).isEmpty();
    }

    private static MilvusUpgrade upgrade(String namespace, String name, String uid, String milvusNamespace, String milvus) {
        return ApiSerialization.kubernetes().unmarshal("""
                apiVersion: milvus.io/v1beta1
                kind: MilvusUpgrade
                metadata: {name: %s, namespace: %s, uid: %s}
                spec:
                  milvus: {name: %s%s}
                  sourceVersion: 2.5.4
                  targetVersion: 2.6.11
                """.formatted(name, namespace, uid, milvus, milvusNamespace == null ? "" : ", namespace: " + milvusNamespace), MilvusUpgrade.class);
    }
}
