package io.milvus.upgrade.policy;

import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects what validators find, applying the policy's mode for each rule: enforce denies,
 * warn turns the finding into a warning, off drops it. With {@link #overridden()}, every policy
 * rule is at most a warning (the admin override of the image guard).
 */
public final class RuleReport {

    private final UpgradePolicy policy;
    private final boolean overridden;
    private final Verdict.Builder verdict = Verdict.builder();
    private final List<PolicyRule> overriddenRules = new ArrayList<>();

    private RuleReport(UpgradePolicy policy, boolean overridden) {
        this.policy = policy;
        this.overridden = overridden;
    }

    public static RuleReport under(UpgradePolicy policy) {
        return new RuleReport(policy, false);
    }

    /** A report in which rules that would deny only warn. */
    public RuleReport overridden() {
        return new RuleReport(policy, true);
    }

    public UpgradePolicy policy() {
        return policy;
    }

    /** A structural error: no mode applies, the request is always denied. */
    public void error(FieldError error) {
        verdict.deny(error);
    }

    /** A finding of a policy rule, reported according to the rule's mode. */
    public void rule(PolicyRule rule, FieldError finding) {
        switch (policy.mode(rule)) {
            case ENFORCE -> {
                if (overridden) {
                    overriddenRules.add(rule);
                    verdict.warn(finding + " (allowed by the admin override)");
                } else {
                    verdict.deny(finding);
                }
            }
            case WARN -> verdict.warn(finding.toString());
            case OFF -> {
            }
        }
    }

    public void warn(String warning) {
        verdict.warn(warning);
    }

    /** The enforced rules the override let through, for the audit log line. */
    public List<PolicyRule> overriddenRules() {
        return List.copyOf(overriddenRules);
    }

    public boolean hasErrors() {
        return verdict.hasErrors();
    }

    public Verdict verdict() {
        return verdict.build();
    }
}
