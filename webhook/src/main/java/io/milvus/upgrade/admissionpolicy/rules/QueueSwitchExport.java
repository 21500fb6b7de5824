package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.ifElse;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeVariables;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.QueueSwitch;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/**
 * {@code milvus.rules.QueueSwitchRule}: a change of the message queue is one of the policy's
 * switches, at a version that runs it. Weaker than the webhook: the version the Milvus runs is
 * read from its global image (or spec.components.version, or status.currentImage), where the
 * webhook reads every running component's image and the operator's reported ones.
 */
public final class QueueSwitchExport extends PolicyRuleExport {

    static final String FIELD = "spec.dependencies.msgStreamType";
    private static final String BEFORE = stringAt("oldObject", FIELD);
    private static final String AFTER = stringAt("object", FIELD);

    public QueueSwitchExport() {
        super(PolicyRule.QUEUE_SWITCH);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        if (policy.queueSwitches().isEmpty()) return List.of();
        String running = runningVersion();
        String allowed = "true";
        String why = "''";
        for (QueueSwitch queueSwitch : policy.queueSwitches().reversed()) {
            String covers = "(" + BEFORE + " in " + Cel.strings(queueSwitch.from()) + " && " + AFTER + " in " + Cel.strings(queueSwitch.to()) + ")";
            String what = "'" + FIELD + ": \"' + " + AFTER + " + '\": switching the message queue from ' + " + BEFORE + " + ' to ' + " + AFTER;
            if (queueSwitch.since().isEmpty()) {
                allowed = ifElse(covers, "false", allowed);
                why = ifElse(covers, what + " + ' is not supported by Milvus; keep msgStreamType: ' + " + BEFORE, why);
            } else {
                String since = queueSwitch.since().get().toString();
                allowed = ifElse(covers, "(" + running + " != '' && " + CelVersions.atLeast(CelVersions.semver(running), queueSwitch.since().get()) + ")", allowed);
                why = ifElse(covers, what + " + ' needs Milvus " + since + " or later, not ' + (" + running + " == '' ? 'an unknown version' : "
                        + CelVersions.display(running) + ") + '; keep msgStreamType: ' + " + BEFORE + " + ' and upgrade first "
                        + "(milvus-webhook plan prints each step), then switch the queue on its own'", why);
            }
        }
        return List.of(validation(BEFORE + " == '' || " + AFTER + " == '' || " + BEFORE + " == " + AFTER + " || " + allowed, why));
    }

    /** The old Milvus's version as text: spec.components.version, else the global image's (or the reported image's) operator tag. */
    private static String runningVersion() {
        String declared = stringAt("oldObject", "spec.components.version");
        String image = ifElse(stringAt("oldObject", "spec.components.image") + " != ''", stringAt("oldObject", "spec.components.image"),
                stringAt("oldObject", "status.currentImage"));
        String tag = CelVersions.releaseOfTag(ImageChangeVariables.operatorTag(image));
        return ifElse(declared + " != ''", ifElse(CelVersions.isVersion(declared), declared, "''"), ifElse(CelVersions.isVersion(tag), tag, "''"));
    }
}
