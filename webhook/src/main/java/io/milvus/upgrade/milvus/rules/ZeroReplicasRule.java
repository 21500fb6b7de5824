package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/**
 * The components a step keeps at 0 replicas (3.0: {@code indexNode}) are at 0 in the update that
 * takes it, where a cluster's spec names them. 2.6 and later run no indexNode; the operator starts
 * one again when it reads the version as older than 2.6, which is why the Milvus 3.0 operator
 * guide asks to keep {@code indexNode.replicas: 0}. Unset replicas are the operator's 1.
 */
public final class ZeroReplicasRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        MilvusSpec spec = change.milvus().getSpec();
        if (spec == null || !MilvusSpec.MODE_CLUSTER.equals(spec.getMode())) return;
        for (MilvusChange.TakenStep taken : change.stepsTaken()) {
            for (Component component : Component.values()) {
                MilvusComponent declared = MilvusTopology.component(change.milvus(), component);
                if (declared == null || !taken.step().zeroReplicas().contains(component.field())) continue;
                int replicas = MilvusTopology.replicas(change.milvus(), component);
                if (replicas == 0) continue;
                report.rule(PolicyRule.ZERO_REPLICAS, FieldError.forbidden("spec.components." + component.field() + ".replicas",
                        replicas + (declared.getReplicas() == null ? " (unset, the operator's default)" : "") + ": the step from "
                                + taken.from() + " to " + taken.to() + " keeps " + component.field() + " at 0 replicas (" + taken.to().minorLine()
                                + " runs none, and the operator starts it again if it reads the version as older than 2.6); set "
                                + component.field() + ".replicas: 0"));
            }
        }
    }
}
