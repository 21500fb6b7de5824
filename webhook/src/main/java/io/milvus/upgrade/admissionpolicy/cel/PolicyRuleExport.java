package io.milvus.upgrade.admissionpolicy.cel;

import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleMode;
import io.milvus.upgrade.policy.UpgradePolicy;

/** An exported rule that is one of the policy's rules, in the mode the policy gives it. */
public abstract class PolicyRuleExport implements ExportedRule {

    private final PolicyRule rule;

    protected PolicyRuleExport(PolicyRule rule) {
        this.rule = rule;
    }

    @Override
    public final String key() {
        return rule.key();
    }

    @Override
    public final RuleMode mode(UpgradePolicy policy) {
        return policy.mode(rule);
    }

    /** One validation under this rule's key. */
    protected final GuardValidation validation(String expression, String messageExpression) {
        return new GuardValidation(key(), expression, messageExpression);
    }

    /** The first image change that takes step {@code index} (and meets {@code condition}, unless null), as {@code c}, mapped to a message. */
    protected static String firstTaking(int index, String condition, String message) {
        return ImageChangeVariables.CHANGES + ".filter(c, " + taking(index, condition) + ").map(c, " + message + ")[0]";
    }

    protected static String anyTaking(int index, String condition) {
        return ImageChangeVariables.CHANGES + ".exists(c, " + taking(index, condition) + ")";
    }

    private static String taking(int index, String condition) {
        return "c.move == " + StepMoves.up(index) + (condition == null ? "" : " && " + condition);
    }
}
