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

    /** A direct image change from {@code from} to {@code to} that would skip the migration ({@link Version#reaches}). */
    public boolean isCrossedBy(Version from, Version to) {
        return !from.reaches(boundary()) && to.reaches(boundary());
    }
}
