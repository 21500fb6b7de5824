package io.milvus.upgrade.admissionpolicy.cel;

/**
 * One validation of the exported policy: the CEL that holds when the rule is kept, and the CEL
 * that says, when it is not, which field broke it and what the safe way is.
 *
 * @param rule  the rule's key in policy files ({@code imageUpgradeStep})
 */
public record GuardValidation(String rule, String expression, String messageExpression) {

    /** The same validation, holding for every object {@code exempt} is true for. */
    public GuardValidation unless(String exempt) {
        return new GuardValidation(rule, "(" + exempt + ") || (" + expression + ")", messageExpression);
    }
}
