package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/**
 * A cluster cannot become standalone: the standalone starts on none of the cluster's
 * coordinators and nodes. A partial manifest without {@code mode} does this through the schema
 * default (standalone), as zilliztech/milvus-operator issue 167 reports, so unset counts as standalone.
 */
public final class ModeChangeRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        if (change.isCreate() || !isCluster(change.old()) || isCluster(change.milvus())) return;
        String now = change.milvus().getSpec() == null ? null : change.milvus().getSpec().getMode();
        report.rule(PolicyRule.MODE_CHANGE, FieldError.forbidden("spec.mode", (now == null
                ? "unset, which means standalone (a manifest without spec.mode gets the default)"
                : "\"" + now + "\"") + ": a cluster cannot become standalone; keep mode: cluster"));
    }

    private static boolean isCluster(Milvus milvus) {
        return milvus.getSpec() != null && MilvusSpec.MODE_CLUSTER.equals(milvus.getSpec().getMode());
    }
}
