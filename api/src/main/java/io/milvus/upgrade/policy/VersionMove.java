package io.milvus.upgrade.policy;

import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.Optional;

/**
 * Where a change from one Milvus version to another leads under the policy's steps: the one
 * reading of the steps that the image guard, the MilvusUpgrade rules and the planner share, so
 * that the planner only plans what the guard admits.
 */
public sealed interface VersionMove {

    /** The same version (build metadata aside). */
    record Unchanged() implements VersionMove {
    }

    /** Upwards across a migration step's boundary: only a MilvusUpgrade may do this. */
    record SkipsMigration(UpgradeStep migration) implements VersionMove {
    }

    /** Upwards into a step's target from a source the step names in {@code notFrom}. */
    record ExcludedSource(UpgradeStep step) implements VersionMove {
    }

    /**
     * Upwards by a step of the policy, whose conditions (minimum source, topology, frozen
     * fields, rolling) the caller checks against the objects. Empty for a patch change within
     * one minor line that no step names ({@code 2.2.0-rc1 → 2.2.0}).
     */
    record Upgrade(Optional<UpgradeStep> step) implements VersionMove {
    }

    /** Upwards where no step of the policy leads. */
    record NoStep() implements VersionMove {
    }

    /**
     * Downwards. {@code undoes} is the step whose effect the change undoes, empty when none
     * does, or when the change goes back across a migration (which no step may undo).
     */
    record Downgrade(boolean withinMinorLine, Optional<UpgradeStep> undoes) implements VersionMove {

        /** Without a declaration: only within one minor line. With {@code rollingDowngrade}: as the undone step allows. */
        public boolean allowed(boolean declaredRollingDowngrade, Version to) {
            if (withinMinorLine) return true;
            return declaredRollingDowngrade && undoes.filter(step -> step.downgrade() == UpgradeStep.Downgrade.ROLLING_DOWNGRADE)
                    .filter(step -> step.rollingFrom() == null || to.isAtLeast(step.rollingFrom())).isPresent();
        }

        /** Whether a {@code rollingDowngrade} declaration would make it pass. */
        public boolean allowedIfDeclared(Version to) {
            return allowed(true, to);
        }
    }

    static VersionMove of(List<UpgradeStep> steps, Version from, Version to) {
        if (from.sameAs(to)) return new Unchanged();
        if (to.isBefore(from)) return downgrade(steps, from, to);
        Optional<UpgradeStep> migration = steps.stream().filter(s -> s.isSkippedBy(from, to)).findFirst();
        if (migration.isPresent()) return new SkipsMigration(migration.get());
        Optional<UpgradeStep> excluding = steps.stream().filter(s -> s.to().contains(to) && s.excludes(from)).findFirst();
        if (excluding.isPresent()) return new ExcludedSource(excluding.get());
        Optional<UpgradeStep> step = steps.stream().filter(s -> !s.migration() && s.takes(from, to)).findFirst();
        if (step.isPresent()) return new Upgrade(step);
        return from.sameMinorLine(to) ? new Upgrade(Optional.empty()) : new NoStep();
    }

    private static VersionMove downgrade(List<UpgradeStep> steps, Version from, Version to) {
        if (from.sameMinorLine(to)) return new Downgrade(true, Optional.empty());
        if (steps.stream().anyMatch(s -> s.isSkippedBy(to, from))) return new Downgrade(false, Optional.empty());
        return new Downgrade(false, steps.stream().filter(s -> !s.migration() && s.takes(to, from)).findFirst());
    }
}
