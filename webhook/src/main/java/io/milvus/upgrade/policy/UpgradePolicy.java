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

    /** The lowest source version any path accepts (2.0.0 built in). */
    public Version lowestSource() {
        return migrationPaths.stream().map(p -> p.source().from()).filter(v -> v != null)
                .min(Version::compareTo).orElse(Version.of("0.0.0"));
    }

    /** The lowest target version any path accepts (2.2.0 built in). */
    public Version lowestTarget() {
        return migrationPaths.stream().map(MigrationPath::boundary).min(Version::compareTo).orElseThrow();
    }

    public Optional<String> toolImageFor(Version target) {
        return toolImages.stream().filter(t -> t.targets().contains(target)).map(ToolImage::image).findFirst();
    }

    /** {@code milvusdb/milvus:v2.2.0} for target {@code 2.2.0} or {@code v2.2.0}. */
    public String defaultTargetImage(String targetVersion) {
        String tag = targetVersion.startsWith("v") ? targetVersion.substring(1) : targetVersion;
        return ImageReference.of(defaultRepository, "v" + tag);
    }

    /** An empty list allows every repository. */
    public boolean isRepositoryAllowed(ImageReference image) {
        return allowedRepositories.isEmpty() || allowedRepositories.stream().anyMatch(allowed ->
                image.repository().equals(allowed) || image.repository().startsWith(allowed.endsWith("/") ? allowed : allowed + "/"));
    }
}
