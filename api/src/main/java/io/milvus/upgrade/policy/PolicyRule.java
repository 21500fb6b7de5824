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
    /** Milvus: no downgrade across a minor version. */
    IMAGE_DOWNGRADE("imageDowngrade"),
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
