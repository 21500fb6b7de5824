package io.milvus.upgrade.admissionpolicy.rules;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeRule;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;

/** {@code policy.ImageReferenceRule}, unpinned half: no missing tag, no {@code latest}, no nightly, unless a digest pins the image. */
public final class UnpinnedTagExport extends ImageChangeRule {

    public UnpinnedTagExport() {
        super(PolicyRule.UNPINNED_TAG);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        // The operator's default replacing a removed image is the policy's choice, not the user's.
        return "c.removed == 'true' || c.to.contains('@') || (c.toTag != '' && c.toTag != 'latest' && !c.toOpTag.startsWith("
                + Cel.string(ImageReference.NIGHTLY_PREFIX) + "))";
    }

    @Override
    protected String why(UpgradePolicy policy) {
        return "'\"' + c.to + '\": ' + (c.toTag == '' ? 'no tag' : c.toOpTag.startsWith(" + Cel.string(ImageReference.NIGHTLY_PREFIX)
                + ") ? 'a nightly tag' : 'the tag \\'latest\\'') + ' can point to another version at any "
                + "time; pin a version tag such as ' + " + repository() + " + ':v2.2.0'";
    }
}
