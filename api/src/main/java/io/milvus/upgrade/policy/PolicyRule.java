package io.milvus.upgrade.policy;

/**
 * The rules an admin may switch between enforce, warn and off. Rules not listed here (required
 * fields, version syntax, the frozen spec of a started upgrade) always apply: without them the
 * controller could not act.
 */
public enum PolicyRule {
    /** MilvusUpgrade: source and target form an allowed migration path. */
    UPGRADE_PATH("upgradePath"),
    /** MilvusUpgrade: a versioned targetImage tag carries targetVersion. */
    TARGET_IMAGE_VERSION("targetImageVersion"),
    /** MilvusUpgrade: sourceVersion is the version the Milvus runs now. */
    SOURCE_MATCHES_RUNNING("sourceMatchesRunning"),
    /** MilvusUpgrade: one unfinished upgrade per Milvus. */
    ONE_ACTIVE_UPGRADE("oneActiveUpgrade"),
    /** Milvus: an image change must not skip a metadata migration. */
    IMAGE_MIGRATION_BOUNDARY("imageMigrationBoundary"),
    /** Milvus: no downgrade across a minor version, unless a declared rolling downgrade the policy's step allows. */
    IMAGE_DOWNGRADE("imageDowngrade"),
    /** Milvus: an upgrade by image change takes a step of the policy, from at least its minimum source. */
    IMAGE_UPGRADE_STEP("imageUpgradeStep"),
    /** Milvus: the topology a step requires (mixCoord for 2.6) is in place before it. */
    REQUIRED_TOPOLOGY("requiredTopology"),
    /** Milvus: the fields a step freezes (the message queue, the mode) do not change in the same update. */
    FROZEN_FIELDS("frozenFields"),
    /** Milvus: a step taken from below the source Milvus validated it from (2.6.20 for 3.0): a warning by default. */
    VALIDATED_SOURCE("validatedSource", RuleMode.WARN),
    /** Milvus: the components a step keeps at 0 replicas (3.0: indexNode) stay there. */
    ZERO_REPLICAS("zeroReplicas"),
    /** Milvus: a message queue switch outside a version step only as the policy's queueSwitches allow (Woodpecker from 2.6.13; never back). */
    QUEUE_SWITCH("queueSwitch"),
    /** Milvus: the operator reads the version as we do, at least on the same side of its 2.6 layout boundary. */
    OPERATOR_VERSION_READING("operatorVersionReading"),
    /** Milvus: a rolling update only from the step's rolling version on (2.2.3). */
    ROLLING_UPGRADE("rollingUpgrade"),
    /** Milvus: a cluster does not become standalone. */
    MODE_CHANGE("modeChange"),
    /** Milvus: removing an image runs the operator's default, judged like any other image; unknown when the policy names none. */
    REMOVED_IMAGE("removedImage"),
    /** Milvus: an image field in a place the operator does not read ({@code spec.image}). */
    MISPLACED_IMAGE("misplacedImage"),
    /** Milvus: no image change while an upgrade holds the Milvus. */
    IMAGE_CHANGE_DURING_UPGRADE("imageChangeDuringUpgrade"),
    /** Both: no {@code latest} or missing tag. */
    UNPINNED_TAG("unpinnedTag"),
    /** Both: images come from the allowed repositories. */
    ALLOWED_REPOSITORY("allowedRepository"),
    /** MilvusUpgrade: the tool image is the one the policy names for the target. */
    TOOL_IMAGE("toolImage", RuleMode.WARN);

    private final String key;
    private final RuleMode defaultMode;

    PolicyRule(String key) {
        this(key, RuleMode.ENFORCE);
    }

    PolicyRule(String key, RuleMode defaultMode) {
        this.key = key;
        this.defaultMode = defaultMode;
    }

    /** The mode when the policy file says nothing. */
    public RuleMode defaultMode() {
        return defaultMode;
    }

    /** The name used in policy files. */
    public String key() {
        return key;
    }
}
