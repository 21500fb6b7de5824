package io.milvus.upgrade.admissionpolicy;

import java.util.List;

/**
 * A guard rule the exported policies do not carry, and why: what it must read lies outside the
 * request (other objects in the cluster), or outside what a ValidatingAdmissionPolicy can do.
 */
public record WebhookOnlyRule(String rule, String why) {

    public static final List<WebhookOnlyRule> ALL = List.of(
            new WebhookOnlyRule("sourceMatchesRunning", "a MilvusUpgrade's sourceVersion is checked against the Milvus it names, another object"),
            new WebhookOnlyRule("oneActiveUpgrade", "needs every MilvusUpgrade of that Milvus, in any namespace"),
            new WebhookOnlyRule("imageChangeDuringUpgrade", "needs the unfinished MilvusUpgrades that target this Milvus"),
            new WebhookOnlyRule("controller's own change", "the webhook passes the controller's image change only with an unfinished "
                    + "MilvusUpgrade at the step that starts exactly that image; the export can exempt the controller's user only, "
                    + "so any Milvus update that user makes passes (weaker)"),
            new WebhookOnlyRule("MilvusUpgrade rules (upgradePath, targetImageVersion, toolImage, maxRetry, frozen spec)",
                    "the export judges Milvus updates; MilvusUpgrades need the webhook's defaulting, which no ValidatingAdmissionPolicy does"),
            new WebhookOnlyRule("a new Milvus's image references", "the export binds updates; the webhook also checks tags and repositories on create"),
            new WebhookOnlyRule("misplaced images under unknown spec.components names", "CEL cannot tell them from fields it does not know"));
}
