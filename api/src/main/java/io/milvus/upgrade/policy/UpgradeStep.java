package io.milvus.upgrade.policy;

import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;
import java.util.List;
import java.util.Optional;

/**
 * One step a Milvus may take between versions, with the conditions Milvus documents for it: the
 * data an admin extends for the next release. A change from a version in {@code from} to one in
 * {@code to} takes this step.
 *
 * @param minimumSource  the lowest source patch (2.5.16 for 2.6), or null: any version in {@code from}
 * @param notFrom        sources this step never starts from, though in {@code from} or on the way
 *                       to {@code to} (2.6.0-rc1: no direct upgrade to 2.6.x)
 * @param topology       what the Milvus must run before the step (mixCoord for 2.6 in cluster mode)
 * @param frozenFields   field paths that must not change in the same update ({@code spec.dependencies.msgStreamType})
 * @param migration      the step migrates metadata: only a MilvusUpgrade takes it, never an image change
 * @param rollingFrom    a rolling update or rolling downgrade works from this version on; before it,
 *                       the image is changed without one (null: no rolling constraint)
 * @param downgrade      whether an image change may go back from {@code to} to {@code from}
 * @param validatedFrom  the lowest source Milvus validated the step from (2.6.20 for 3.0); below it
 *                       the step is allowed with a warning (rule {@code validatedSource}), and the
 *                       planner passes through a release at or above it; null: none named
 * @param frozenTopology the components the Milvus runs stay the same in the step's update
 * @param zeroReplicas   components ({@code indexNode}) whose replicas are 0 once the step is taken,
 *                       where the spec names them: 2.6 and later run no indexNode, and the operator
 *                       starts one again when it reads the version as older than 2.6
 * @param wholeObject    the step is applied as the complete Milvus object, not an image-only patch
 *                       (the 3.0 guide asks for it); the planner prints the object
 */
public record UpgradeStep(
        VersionRange from,
        VersionRange to,
        Version minimumSource,
        List<Version> notFrom,
        Topology topology,
        List<String> frozenFields,
        boolean migration,
        Version rollingFrom,
        Downgrade downgrade,
        Version validatedFrom,
        boolean frozenTopology,
        List<String> zeroReplicas,
        boolean wholeObject) {

    /** What a Milvus must run before it takes a step. */
    public enum Topology {
        /** Whatever it runs. */
        ANY("any"),
        /** In cluster mode, mixCoord rather than the four separate coordinators. */
        MIX_COORD("mixCoord");

        private final String key;

        Topology(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Whether an image change may undo the step. */
    public enum Downgrade {
        /** Never: the older version cannot read what the newer one wrote. */
        NEVER("never"),
        /** Only when declared with {@code spec.components.imageUpdateMode: rollingDowngrade}, from {@code rollingFrom} on. */
        ROLLING_DOWNGRADE("rollingDowngrade");

        private final String key;

        Downgrade(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    public UpgradeStep {
        notFrom = List.copyOf(notFrom);
        frozenFields = List.copyOf(frozenFields);
        zeroReplicas = List.copyOf(zeroReplicas);
        if (migration && (from.until() == null || to.from() == null)) {
            throw new IllegalArgumentException("a migration path needs a source upper bound and a target lower bound");
        }
    }

    /** A metadata migration from {@code source} to {@code target} (a MilvusUpgrade's step). */
    public static UpgradeStep migration(VersionRange source, VersionRange target) {
        return new UpgradeStep(source, target, null, List.of(), Topology.ANY, List.of(), true, null, Downgrade.NEVER, null, false, List.of(), false);
    }

    /** Below the source Milvus validated the step from: allowed, with a warning. */
    public boolean isBelowValidated(Version source) {
        return validatedFrom != null && source.isBefore(validatedFrom);
    }

    /** The lowest source the planner starts this step from: the validated source where the step names one. */
    public Optional<Version> plannedSource() {
        Optional<Version> lowest = lowestSource();
        if (validatedFrom == null) return lowest;
        return Optional.of(lowest.filter(validatedFrom::isBefore).orElse(validatedFrom));
    }

    /** Whether a change from {@code source} to {@code target} is this step (its conditions aside). */
    public boolean takes(Version source, Version target) {
        return from.contains(source) && to.contains(target);
    }

    /** The lowest version this step starts from, or empty when {@code from} is open below. */
    public Optional<Version> lowestSource() {
        if (minimumSource != null && (from.from() == null || minimumSource.isAtLeast(from.from()))) return Optional.of(minimumSource);
        return Optional.ofNullable(from.from());
    }

    /** Below the minimum source patch. */
    public boolean isBelowMinimum(Version source) {
        return minimumSource != null && source.isBefore(minimumSource);
    }

    /** A source this step never starts from. */
    public boolean excludes(Version source) {
        return notFrom.stream().anyMatch(source::sameAs);
    }

    /** The first version that needs the migrated metadata (for a migration step). */
    public Version boundary() {
        return to.from();
    }

    /**
     * A direct image change from {@code source} to {@code target} that would skip this step's
     * migration: the source is before the boundary and the target at or beyond it.
     */
    public boolean isSkippedBy(Version source, Version target) {
        return migration && asMigrationPath().isCrossedBy(source, target);
    }

    /** The migration this step is, for the MilvusUpgrade rules. */
    public MigrationPath asMigrationPath() {
        return new MigrationPath(from, to);
    }

    @Override
    public String toString() {
        return from + " to " + to;
    }
}
