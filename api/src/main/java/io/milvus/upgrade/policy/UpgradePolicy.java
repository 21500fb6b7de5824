package io.milvus.upgrade.policy;

import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Everything that decides what an upgrade may do: the one source of truth for the webhook, the
 * controller and the review CLI. Immutable; a reloaded policy file yields a new instance.
 */
public record UpgradePolicy(
        List<UpgradeStep> steps,
        String operatorDefaultImage,
        List<ToolImage> toolImages,
        String defaultRepository,
        List<String> allowedRepositories,
        int defaultMaxRetry,
        int maxRetryLimit,
        GuardOverride override,
        Map<PolicyRule, RuleMode> modes,
        List<Version> releases,
        List<QueueSwitch> queueSwitches) {

    /**
     * What the Milvus docs say today ("Upgrade Milvus Cluster/Standalone with Milvus Operator",
     * 2.5, 2.6 and 3.0 editions): 2.0/2.1 reach 2.2 to 2.5 only by a metadata migration; 2.2 to
     * 2.5 may skip minors (rolling from 2.2.3 on, and back only as a declared rolling downgrade);
     * 2.6 only from 2.5.16, with mixCoord, the same message queue and mode, never back, never from
     * 2.6.0-rc1; 3.0 only from 2.6 (the guide upgrades "a Milvus 2.6.x cluster to v3.0.x" and
     * validated the path from 2.6.20; milvus-docs PR 3574), with the queue, mode and component
     * topology kept, indexNode at 0 replicas, the complete object applied, and never back (Storage
     * V3: "once Milvus writes data to Storage V3, downgrading ... is not supported"; milvus
     * discussion 54048, issue 50694); no 2.5 → 3.0 step. The operator's default image is that of
     * Milvus Operator's current release; the tool image is the reference's for every target.
     */
    public static UpgradePolicy builtIn() {
        return new UpgradePolicy(
                BUILT_IN_STEPS,
                "milvusdb/milvus:v2.6.11",
                List.of(new ToolImage(VersionRange.between("2.2.0", "2.6.0"), "milvusdb/meta-migration:v2.2.0-bugfix-20230112")),
                "milvusdb/milvus",
                List.of(),
                3,
                10,
                GuardOverride.disabled(),
                Map.of(),
                BUILT_IN_RELEASES,
                BUILT_IN_QUEUE_SWITCHES);
    }

    private static final List<String> QUEUE_AND_MODE = List.of("spec.dependencies.msgStreamType", "spec.mode");

    private static final List<UpgradeStep> BUILT_IN_STEPS = List.of(
            UpgradeStep.migration(VersionRange.between("2.0.0", "2.2.0"), VersionRange.between("2.2.0", "2.6.0")),
            new UpgradeStep(VersionRange.between("2.0.0", "2.2.0"), VersionRange.between("2.0.0", "2.2.0"), null, List.of(),
                    UpgradeStep.Topology.ANY, List.of(), false, null, UpgradeStep.Downgrade.NEVER, null, false, List.of(), false),
            new UpgradeStep(VersionRange.between("2.2.0", "2.6.0"), VersionRange.between("2.2.0", "2.6.0"), null, List.of(),
                    UpgradeStep.Topology.ANY, List.of(), false, Version.of("2.2.3"), UpgradeStep.Downgrade.ROLLING_DOWNGRADE,
                    null, false, List.of(), false),
            new UpgradeStep(VersionRange.between("2.5.0", "2.6.0"), VersionRange.between("2.6.0", "2.7.0"), Version.of("2.5.16"),
                    List.of(), UpgradeStep.Topology.MIX_COORD, QUEUE_AND_MODE, false, null, UpgradeStep.Downgrade.NEVER,
                    null, false, List.of(), false),
            new UpgradeStep(VersionRange.between("2.6.0", "2.7.0"), VersionRange.between("2.6.0", "2.7.0"), null,
                    List.of(Version.of("2.6.0-rc1")), UpgradeStep.Topology.ANY, List.of(), false, null,
                    UpgradeStep.Downgrade.ROLLING_DOWNGRADE, null, false, List.of(), false),
            new UpgradeStep(VersionRange.between("2.6.0", "2.7.0"), VersionRange.between("3.0.0", "3.1.0"), null,
                    List.of(Version.of("2.6.0-rc1")), UpgradeStep.Topology.MIX_COORD, QUEUE_AND_MODE, false, null,
                    UpgradeStep.Downgrade.NEVER, Version.of("2.6.20"), true, List.of("indexNode"), true),
            new UpgradeStep(VersionRange.between("3.0.0", "3.1.0"), VersionRange.between("3.0.0", "3.1.0"), null, List.of(),
                    UpgradeStep.Topology.ANY, List.of(), false, null, UpgradeStep.Downgrade.ROLLING_DOWNGRADE,
                    null, false, List.of(), false));

    /**
     * The newest patch of each minor line, from the Milvus release notes (milvus.io/docs
     * release_notes.md, each line's edition, and the GitHub releases of milvus-io/milvus):
     * 2.0.2, 2.1.4 (2022-09-29), 2.2.16, 2.3.20 (2024-07-25; the newest 2.3 notes found),
     * 2.4.24 (2025-11-11), 2.5.27, 2.6.24 (2026-09-16), 3.0.5. The planner passes through these;
     * an admin lists newer ones under {@code releases} in the policy file.
     */
    private static final List<Version> BUILT_IN_RELEASES = Stream.of("2.0.2", "2.1.4", "2.2.16", "2.3.20", "2.4.24", "2.5.27", "2.6.24", "3.0.5")
            .map(Version::of).toList();

    /**
     * From 2.6.13 the operator guide documents an online switch from Pulsar or Kafka to Woodpecker
     * (switch_milvus_cluster_mq_type-operator.md); from Woodpecker back to any other queue is not
     * supported. Other switches are not judged.
     */
    private static final List<QueueSwitch> BUILT_IN_QUEUE_SWITCHES = List.of(
            new QueueSwitch(List.of("pulsar", "kafka"), List.of("woodpecker"), Optional.of(Version.of("2.6.13"))),
            new QueueSwitch(List.of("woodpecker"), List.of("pulsar", "kafka", "rocksmq", "natsmq"), Optional.empty()));

    public UpgradePolicy {
        steps = List.copyOf(steps);
        toolImages = List.copyOf(toolImages);
        allowedRepositories = List.copyOf(allowedRepositories);
        releases = releases.stream().sorted().toList();
        queueSwitches = List.copyOf(queueSwitches);
        Map<PolicyRule, RuleMode> all = new EnumMap<>(PolicyRule.class);
        for (PolicyRule rule : PolicyRule.values()) all.put(rule, rule.defaultMode());
        all.putAll(modes);
        modes = Map.copyOf(all);
        if (steps.stream().noneMatch(UpgradeStep::migration)) throw new IllegalArgumentException("the policy names no migration path");
        if (defaultMaxRetry < 0 || defaultMaxRetry > maxRetryLimit) {
            throw new IllegalArgumentException("defaultMaxRetry must be between 0 and maxRetryLimit (" + maxRetryLimit + ")");
        }
    }

    public RuleMode mode(PolicyRule rule) {
        return modes.get(rule);
    }

    /** The steps that migrate metadata, i.e. what a MilvusUpgrade may do. */
    public List<MigrationPath> migrationPaths() {
        return steps.stream().filter(UpgradeStep::migration).map(UpgradeStep::asMigrationPath).toList();
    }

    /** How a change from {@code from} to {@code to} moves through the policy's steps. */
    public VersionMove move(Version from, Version to) {
        return VersionMove.of(steps, from, to);
    }

    /** The path that allows a MilvusUpgrade from {@code source} to {@code target}, if any. */
    public Optional<MigrationPath> pathFor(Version source, Version target) {
        return migrationPaths().stream().filter(p -> p.allows(source, target)).findFirst();
    }

    /** The migration a direct image change from {@code from} to {@code to} would skip, if any. */
    public Optional<MigrationPath> migrationSkippedBy(Version from, Version to) {
        return migrationPaths().stream().filter(p -> p.isCrossedBy(from, to)).findFirst();
    }

    /**
     * The lowest source version any path accepts (2.0.0 built in); {@link Version#LOWEST} when a
     * path's source range is open below, so that no source is refused for being too old.
     */
    public Version lowestSource() {
        return migrationPaths().stream().map(p -> p.source().from() == null ? Version.LOWEST : p.source().from())
                .min(Version::compareTo).orElseThrow();
    }

    /** The lowest target version any path accepts (2.2.0 built in). */
    public Version lowestTarget() {
        return migrationPaths().stream().map(MigrationPath::boundary).min(Version::compareTo).orElseThrow();
    }

    /** The newest catalogued release in {@code range} at or above {@code atLeast}, if the catalogue has one. */
    public Optional<Version> newestRelease(VersionRange range, Version atLeast) {
        return releases.stream().filter(range::contains).filter(v -> atLeast == null || v.isAtLeast(atLeast)).reduce((a, b) -> b);
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

    /** An empty list allows every repository; Docker Hub's own prefixes name no other one. */
    public boolean isRepositoryAllowed(ImageReference image) {
        return allowedRepositories.isEmpty() || allowedRepositories.stream().anyMatch(image::isUnder);
    }
}
