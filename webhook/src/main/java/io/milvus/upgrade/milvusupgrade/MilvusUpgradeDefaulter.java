package io.milvus.upgrade.milvusupgrade;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Defaulter;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeTargetLabels;
import io.milvus.upgrade.defaults.MilvusUpgradeDefaults;
import io.milvus.upgrade.policy.PolicySource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mutating webhook's side of {@link MilvusUpgradeDefaults}, under the policy in force. */
public final class MilvusUpgradeDefaulter implements Defaulter<MilvusUpgrade> {

    private final PolicySource policy;

    public MilvusUpgradeDefaulter(PolicySource policy) {
        this.policy = policy;
    }

    @Override
    public List<String> applyDefaults(MilvusUpgrade upgrade, AdmissionContext context) {
        MilvusUpgradeDefaults.apply(upgrade, context.namespace(), policy.current());
        labelTarget(upgrade, context);
        return List.of();
    }

    /**
     * The Milvus it targets as labels, where missing (the patch only adds): the validating webhook
     * finds an upgrade's siblings by them (see {@link UpgradeTargetLabels}).
     */
    private static void labelTarget(MilvusUpgrade upgrade, AdmissionContext context) {
        UpgradeTargetLabels.of(upgrade.milvusNamespace(context.namespace()), upgrade.milvusName()).ifPresent(target -> {
            if (upgrade.getMetadata() == null) upgrade.setMetadata(new ObjectMeta());
            Map<String, String> labels = upgrade.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(upgrade.getMetadata().getLabels());
            target.forEach(labels::putIfAbsent);
            upgrade.getMetadata().setLabels(labels);
        });
    }
}
