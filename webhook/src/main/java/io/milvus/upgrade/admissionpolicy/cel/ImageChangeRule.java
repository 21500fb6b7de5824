package io.milvus.upgrade.admissionpolicy.cel;

import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/**
 * A rule judged on each image change ({@code c} in the CEL): it holds when every change keeps it,
 * and its message lists each change that does not, by field.
 */
public abstract class ImageChangeRule extends PolicyRuleExport {

    protected ImageChangeRule(PolicyRule rule) {
        super(rule);
    }

    /** CEL over {@code c} that holds when the change keeps the rule; null when there is nothing to check. */
    protected abstract String keeps(UpgradePolicy policy);

    /** CEL string over {@code c} for a change that breaks the rule, after "FIELD: ". */
    protected abstract String why(UpgradePolicy policy);

    @Override
    public final List<GuardValidation> render(UpgradePolicy policy) {
        String keeps = keeps(policy);
        if (keeps == null) return List.of();
        return List.of(validation(ImageChangeVariables.CHANGES + ".all(c, " + keeps + ")",
                ImageChangeVariables.CHANGES + ".filter(c, !(" + keeps + ")).map(c, c.field + ': ' + " + why(policy) + ").join('; ')"));
    }

    /** How messages name what now runs: the new image, or that the operator's default replaces the removed one. */
    protected static String subject() {
        return "(c.removed == 'true' ? 'removing the image runs the operator\\'s default \"' + c.to + '\"' : '\"' + c.to + '\"')";
    }

    protected static String from() {
        return CelVersions.semver("c.fv");
    }

    protected static String to() {
        return CelVersions.semver("c.tv");
    }

    /** The repository of the new image as written: its reference without the tag. */
    protected static String repository() {
        return "c.toRepo";
    }
}
