package io.milvus.upgrade.policy;

import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;

/**
 * Versions whose metadata must be migrated by a MilvusUpgrade: from any source in {@code source}
 * to any target in {@code target}. Changing the image across {@link #boundary()} directly is what
 * loses built indexes.
 */
public record MigrationPath(VersionRange source, VersionRange target) {

    public MigrationPath {
        if (source.until() == null || target.from() == null) {
            throw new IllegalArgumentException("a migration path needs a source upper bound and a target lower bound");
        }
    }

    public boolean allows(Version from, Version to) {
        return source.contains(from) && target.contains(to);
    }

    /** The first version that needs the migrated metadata. */
    public Version boundary() {
        return target.from();
    }

    /** A direct image change from {@code from} to {@code to} that would skip the migration. */
    public boolean isCrossedBy(Version from, Version to) {
        return !isBeyondBoundary(from) && isBeyondBoundary(to);
    }

    /**
     * At or after the boundary. A pre-release of the boundary's release counts as after it:
     * semver sorts {@code 2.2.0-rc1} before {@code 2.2.0}, but it already writes 2.2 metadata.
     */
    private boolean isBeyondBoundary(Version version) {
        return version.isAtLeast(boundary()) || version.release().isAtLeast(boundary().release());
    }
}
