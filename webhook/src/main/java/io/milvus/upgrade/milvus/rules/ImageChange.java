package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.VersionMove;
import io.milvus.upgrade.version.Version;
import java.util.Optional;

/**
 * One image field whose effective image, or the version it is, changes in an update.
 *
 * @param from     the image that ran, null when none was set and none is reported
 * @param to       the image that runs after the change: for a removed image, the operator's default
 * @param removed  the field lost its image and the operator's default takes over
 */
public record ImageChange(String field, String from, String to, boolean removed, Optional<Version> fromVersion,
                          Optional<Version> toVersion) {

    /** Both versions known: where the change leads under the policy's steps. */
    public Optional<VersionMove> move(UpgradePolicy policy) {
        return fromVersion.isPresent() && toVersion.isPresent()
                ? Optional.of(policy.move(fromVersion.get(), toVersion.get())) : Optional.empty();
    }

    /** How messages name what now runs: the new image, or that the operator's default replaces the removed one. */
    public String subject() {
        return removed ? "removing the image runs the operator's default " + quote(to) : quote(to);
    }
}
