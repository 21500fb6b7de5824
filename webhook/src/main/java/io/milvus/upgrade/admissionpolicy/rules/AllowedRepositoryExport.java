package io.milvus.upgrade.admissionpolicy.rules;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.CelImageNames;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeRule;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/** {@code policy.ImageReferenceRule}, repository half: {@code ImageReference#isUnder} one of the policy's names, canonical names compared. */
public final class AllowedRepositoryExport extends ImageChangeRule {

    public AllowedRepositoryExport() {
        super(PolicyRule.ALLOWED_REPOSITORY);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        if (policy.allowedRepositories().isEmpty()) return null;
        List<String> names = policy.allowedRepositories().stream().map(CelImageNames::canonicalPrefix).toList();
        return "c.removed == 'true' || c.toName in " + Cel.strings(names) + " || " + Cel.strings(names.stream().map(n -> n + "/").toList())
                + ".exists(p, c.toName.startsWith(p))";
    }

    @Override
    protected String why(UpgradePolicy policy) {
        return "'\"' + c.to + '\": repository ' + " + repository() + " + " + Cel.string(" is not allowed by the policy; use one of "
                + policy.allowedRepositories());
    }
}
