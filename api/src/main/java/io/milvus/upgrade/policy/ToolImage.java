package io.milvus.upgrade.policy;

import io.milvus.upgrade.version.VersionRange;

/** The meta-migration image to use for targets in {@code targets}. */
public record ToolImage(VersionRange targets, String image) {
}
