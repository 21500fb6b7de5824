package io.milvus.upgrade.admissionpolicy.rules;

import io.milvus.upgrade.admissionpolicy.Cel;
import io.milvus.upgrade.admissionpolicy.ImageChangeRule;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/** {@code policy.ImageReferenceRule}, repository half: {@code UpgradePolicy#isRepositoryAllowed} over the policy's list. */
public final class AllowedRepositoryExport extends ImageChangeRule {

    public AllowedRepositoryExport() {
        super(PolicyRule.ALLOWED_REPOSITORY);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        if (policy.allowedRepositories().isEmpty()) return null;
        List<String> exact = policy.allowedRepositories();
        List<String> prefixes = policy.allowedRepositories().stream().map(a -> a.endsWith("/") ? a : a + "/").toList();
        return "c.removed == 'true' || " + repository() + " in " + Cel.strings(exact) + " || " + Cel.strings(prefixes)
                + ".exists(p, " + repository() + ".startsWith(p))";
    }

    @Override
    protected String why(UpgradePolicy policy) {
        return "'\"' + c.to + '\": repository ' + " + repository() + " + " + Cel.string(" is not allowed by the policy; use one of "
                + policy.allowedRepositories());
    }
}
