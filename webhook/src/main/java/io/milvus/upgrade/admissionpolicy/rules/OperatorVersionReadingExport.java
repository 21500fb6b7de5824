package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.ifElse;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeVariables;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.components.OperatorVersionReading;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/**
 * {@code milvus.rules.OperatorVersionReadingRule}: where the operator's reading of the version
 * ({@code components.OperatorVersionReading}: spec.components.version, else the text after the
 * global image's last ':') and the image's tag land on different sides of the 2.6 layout
 * boundary, or the tag names no version and nothing tells the operator which it is. Judged on an
 * update that changes the global image or the version field. The message names the field to set
 * (the webhook's also suggests a value).
 */
public final class OperatorVersionReadingExport extends PolicyRuleExport {

    private static final String VERSION = stringAt("object", "spec.components.version");
    private static final String IMAGE = stringAt("object", "spec.components.image");
    private static final String OPERATOR_TAG = ImageChangeVariables.operatorTag(IMAGE);
    private static final String RAW_OPERATOR_TAG = ifElse(IMAGE + ".lastIndexOf(':') >= 0", IMAGE + ".substring(" + IMAGE + ".lastIndexOf(':') + 1)", "''");
    private static final String REF = IMAGE + ".split('@')[0]";
    private static final String TAG = ifElse(REF + ".lastIndexOf(':') > " + REF + ".lastIndexOf('/')", REF + ".substring(" + REF + ".lastIndexOf(':') + 1)", "''");
    private static final String TAG_RELEASE = CelVersions.releaseOfTag(TAG);
    private static final String NIGHTLY = OPERATOR_TAG + ".startsWith(" + Cel.string(ImageReference.NIGHTLY_PREFIX) + ")";

    public OperatorVersionReadingExport() {
        super(PolicyRule.OPERATOR_VERSION_READING);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        String unchanged = "(" + VERSION + " == " + stringAt("oldObject", "spec.components.version") + " && " + IMAGE + " == "
                + stringAt("oldObject", "spec.components.image") + ")";
        String operator26 = ifElse(VERSION + " != ''", "(" + atLeast26(VERSION) + ")", ifElse(NIGHTLY, "true", "(" + atLeast26(CelVersions.releaseOfTag(OPERATOR_TAG)) + ")"));
        String tagged = CelVersions.isVersion(TAG_RELEASE);
        String unpinned = "(!" + IMAGE + ".contains('@') && (" + TAG + " == '' || " + TAG + " == 'latest' || " + NIGHTLY + "))";
        String agrees = ifElse(tagged, "(" + atLeast26(TAG_RELEASE) + ") == " + operator26,
                VERSION + " != '' || (" + unpinned + " && !" + NIGHTLY + ")");
        String side = ifElse(operator26, "'2.6 or later'", "'older than 2.6'");
        String source = ifElse(VERSION + " != ''", "'spec.components.version \"' + " + VERSION + " + '\"'",
                "'the text after the image\\'s last \\':\\' (\"' + " + RAW_OPERATOR_TAG + " + '\")'");
        String message = ifElse(tagged,
                "'spec.components.version: \"' + " + IMAGE + " + '\" is ' + " + CelVersions.display(TAG_RELEASE) + " + ', but the operator reads ' + "
                        + source + " + ' as ' + " + side + " + ' and would run it with that layout; set spec.components.version: ' + "
                        + CelVersions.display(TAG_RELEASE),
                "'spec.components.version: unset: the tag of \"' + " + IMAGE + " + '\" names no version, and the operator reads ' + " + source
                        + " + ' as ' + " + side + " + ' and picks that component layout whatever the image is; set spec.components.version "
                        + "to the version this image is'");
        return List.of(validation(IMAGE + " == '' || " + unchanged + " || " + agrees, message));
    }

    /** At or beyond the operator's 2.6 layout for a text that is a version; false for one that is not (the operator: older). */
    private static String atLeast26(String text) {
        return CelVersions.isVersion(text) + " && " + CelVersions.reaches(CelVersions.semver(text), OperatorVersionReading.LAYOUT_2_6);
    }
}
