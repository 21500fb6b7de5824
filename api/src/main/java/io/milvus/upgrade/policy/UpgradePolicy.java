package io.milvus.upgrade.policy;

import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that decides what an upgrade may do: the one source of truth for the webhook, the
 * controller and the review CLI. Immutable; a reloaded policy file yields a new instance.
 */
public record UpgradePolicy(
        List<MigrationPath> migrationPaths,
        List<ToolImage> toolImages,
        String defaultRepository,
        List<String> allowedRepositories,
        int defaultMaxRetry,
        int maxRetryLimit,
        GuardOverride override,
        Map<PolicyRule, RuleMode> modes) {

    /** The reference operator's one path: 2.0.x/2.1.x to 2.2.x, with its fixed tool image. */
    public static UpgradePolicy builtIn() {
        return new UpgradePolicy(
                List.of(new MigrationPath(VersionRange.between("2.0.0", "2.2.0"), VersionRange.between("2.2.0", "2.3.0"))),
                List.of(new ToolImage(VersionRange.between("2.2.0", "2.3.0"), "milvusdb/meta-migration:v2.2.0-bugfix-20230112")),
                "milvusdb/milvus",
                List.of(),
                3,
                10,
                GuardOverride.disabled(),
                Map.of());
    }

    public UpgradePolicy {
        migrationPaths = List.copyOf(migrationPaths);
        toolImages = List.copyOf(toolImages);
        allowedRepositories = List.copyOf(allowedRepositories);
        Map<PolicyRule, RuleMode> all = new EnumMap<>(PolicyRule.class);
        for (PolicyRule rule : PolicyRule.values()) all.put(rule, rule.defaultMode());
        all.putAll(modes);
        modes = Map.copyOf(all);
        if (migrationPaths.isEmpty()) throw new IllegalArgumentException("the policy names no migration path");
        if (defaultMaxRetry < 0 || defaultMaxRetry > maxRetryLimit) {
            throw new IllegalArgumentException("defaultMaxRetry must be between 0 and maxRetryLimit (" + maxRetryLimit + ")");
        }
    }

    public RuleMode mode(PolicyRule rule) {
        return modes.get(rule);
    }

    /** The path that allows a MilvusUpgrade from {@code source} to {@code target}, if any. */
    public Optional<MigrationPath> pathFor(Version source, Version target) {
        return migrationPaths.stream().filter(p -> p.allows(source, target)).findFirst();
    }

    /** The migration a direct image change from {@code from} to {@code to} would skip, if any. */
    public Optional<MigrationPath> migrationSkippedBy(Version from, Version to) {
        return migrationPaths.stream().filter(p -> p.isCrossedBy(from, to)).findFirst();
    }

    /**
     * The lowest source version any path accepts (2.0.0 built in); {@link Version#LOWEST} when a
     * path's source range is open below, so that no source is refused for being too old.
     */
    public Version lowestSource() {
        return migrationPaths.stream().map(p -> p.source().from() == null ? Version.LOWEST : p.source().from())
                .min(Version::compareTo).orElseThrow();
    }

    /** The lowest target version any path accepts (2.2.0 built in). */
    public Version lowestTarget() {
        return migrationPaths.stream().map(MigrationPath::boundary).min(Version::compareTo).orElseThrow();
    }

    public Optional<String> toolImageFor(Version target) {
        return toolImages.stream().filter(t -> t.targets().contains(target)).map(ToolImage::image).findFirst();
    }

    /**
     * {@code milvusdb/milvus:v2.2.0} for target {@code 2.2.0}, {@code v2.2.0}, {@code 2.2} or
     * {@code 2.2.0+build}: the tag is the full version, because Milvus publishes no {@code v2.2}
     * tag and {@code +} is not allowed in an image tag, and a tag that does not exist would only
     * fail after the metadata was migrated. Text that is no version keeps the reference's rule
     * (a {@code v} and the text without one leading {@code v}); validation refuses it anyway.
     */
    public String defaultTargetImage(String targetVersion) {
        String tag = Version.parse(targetVersion).map(Version::imageTag)
                .orElseGet(() -> "v" + (targetVersion.startsWith("v") ? targetVersion.substring(1) : targetVersion));
        return ImageReference.of(defaultRepository, tag);
    }

    /** An empty list allows every repository. */
    public boolean isRepositoryAllowed(ImageReference image) {
        return allowedRepositories.isEmpty() || allowedRepositories.stream().anyMatch(allowed ->
                image.repository().equals(allowed) || image.repository().startsWith(allowed.endsWith("/") ? allowed : allowed + "/"));
    }
}
