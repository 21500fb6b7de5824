package io.milvus.upgrade.admissionpolicy.cel;

import io.milvus.upgrade.policy.RuleMode;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/** A guard rule rendered as CEL from the policy's data: one type per rule, as in {@code milvus.rules}. */
public interface ExportedRule {

    /** The rule's key in policy files. */
    String key();

    /** Enforce, warn or off, as the policy says. */
    RuleMode mode(UpgradePolicy policy);

    /** Empty when the policy leaves the rule nothing to check (no allowed repositories, a named default image). */
    List<GuardValidation> render(UpgradePolicy policy);
}
