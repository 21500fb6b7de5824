package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.components.OperatorVersionReading;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator picks the component layout from the version it reads ({@link OperatorVersionReading}).
 * Where that reading and the image's own tag land on different sides of the 2.6 layout boundary,
 * the operator would run one version with the other's layout (re-adding indexNode, or dropping
 * the coordinators): a {@code spec.components.version} that disagrees with the tag, a
 * {@code tag@sha256:...} (the operator reads the digest), a digest only, a branch build
 * ({@code 2.6-20250613-...}), a beta tag ({@code v3.0-beta}), a nightly ({@code master-...},
 * which the operator counts as 2.6 or later). Denied, naming the field to set. Judged on create,
 * and on an update that changes the global image or the version field.
 */
public final class OperatorVersionReadingRule implements GuardRule {

    private static final String FIELD = "spec.components.version";

    /** {@code v3.0-beta}, {@code 2.6-20250613-abc}: a version's leading numbers, for the suggestion only. */
    private static final Pattern LEADING_VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?$");

    @Override
    public void check(MilvusChange change, RuleReport report) {
        OperatorVersionReading reading = OperatorVersionReading.of(change.milvus());
        if (reading.image() == null || (!change.isCreate() && reading.equals(OperatorVersionReading.of(change.old())))) return;
        ImageReference image = ImageReference.parse(reading.image());
        boolean operator26 = reading.atLeast2_6();
        Optional<Version> tagged = reading.tagVersion();
        if (tagged.isPresent()) {
            if (OperatorVersionReading.isAtLeast2_6(tagged.get()) != operator26) {
                report.rule(PolicyRule.OPERATOR_VERSION_READING, FieldError.forbidden(FIELD, "\"" + reading.image() + "\" is "
                        + tagged.get() + ", but the operator reads " + reading.source() + " as " + side(operator26)
                        + " and would run it with that layout; set spec.components.version: " + tagged.get()
                        + " so the operator keeps the " + side(!operator26) + " layout"));
            }
            return;
        }
        // No tag and latest are the unpinned rule's; a nightly is both unpinned and misread, and both are said.
        if (reading.versionField() != null || (image.isUnpinned() && !image.isNightly())) return;
        String suggestion = suggestedVersion(image.tag()).map(v -> " (e.g. " + v + ")").orElse("");
        report.rule(PolicyRule.OPERATOR_VERSION_READING, FieldError.forbidden(FIELD, "unset: the tag of \"" + reading.image()
                + "\" names no version, and the operator reads " + reading.source() + " as " + side(operator26)
                + " and picks that component layout whatever the image is; set spec.components.version to the version this image is"
                + suggestion + " so the operator picks the layout of that version"));
    }

    private static String side(boolean atLeast26) {
        return atLeast26 ? "2.6 or later" : "older than 2.6";
    }

    private static Optional<String> suggestedVersion(String tag) {
        Matcher m = LEADING_VERSION.matcher(tag);
        if (!m.matches()) return Optional.empty();
        String text = m.group(1) + "." + m.group(2) + "." + Objects.requireNonNullElse(m.group(3), "0")
                + (m.group(4) == null ? "" : "-" + m.group(4));
        return Version.parse(text).map(Version::toString);
    }
}
