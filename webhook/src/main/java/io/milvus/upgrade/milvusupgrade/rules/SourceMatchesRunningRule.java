package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.components.MilvusImages.RunningImage;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * sourceVersion is what every running component of the Milvus runs now
 * ({@link MilvusImages#running}); a Milvus the webhook cannot read is a warning, never a failure.
 */
public final class SourceMatchesRunningRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        if (review.milvusRef().isEmpty() || review.source().isEmpty()) return;
        UpgradeUnderReview.MilvusRef milvus = review.milvusRef().get();
        Version source = review.source().get();
        switch (review.milvus()) {
            case Lookup.Found<Milvus> found -> compare(report, milvus, found.value(), source);
            case Lookup.NotFound<Milvus> ignored -> report.warn("Milvus " + milvus
                    + " was not found, so sourceVersion could not be checked; the upgrade waits until it exists, check spec.milvus");
            case Lookup.Unavailable<Milvus> unavailable -> report.warn("could not read Milvus " + milvus
                    + " to check sourceVersion: " + unavailable.reason());
        }
    }

    private static void compare(RuleReport report, UpgradeUnderReview.MilvusRef milvus, Milvus found, Version source) {
        List<RunningImage> running = MilvusImages.running(found);
        if (running.isEmpty()) {
            report.warn("Milvus " + milvus + " names no image (it runs the operator's default), so sourceVersion " + source
                    + " could not be checked");
            return;
        }
        Map<String, List<RunningImage>> byImage = running.stream()
                .collect(Collectors.groupingBy(RunningImage::image, LinkedHashMap::new, Collectors.toList()));
        Set<String> versions = new LinkedHashSet<>();
        List<String> mismatches = new ArrayList<>();
        byImage.forEach((image, components) -> {
            String where = image + " (" + components.stream().map(RunningImage::readFrom).distinct().collect(Collectors.joining(", ")) + ")";
            Optional<Version> version = MilvusImages.versionOf(found, image);
            version.ifPresent(v -> versions.add(v.toString()));
            if (version.isEmpty()) {
                report.warn("Milvus " + milvus + " runs " + where + ", whose tag is not a version: make sure it is " + source);
            } else if (!version.get().sameAs(source)) {
                mismatches.add(where);
            }
        });
        if (mismatches.isEmpty()) return;
        String instead = versions.size() == 1
                ? "set sourceVersion to " + versions.iterator().next() + ", the version it runs now"
                : "its components run different versions " + versions + "; bring them to one version first";
        report.rule(PolicyRule.SOURCE_MATCHES_RUNNING, FieldError.invalid("spec.sourceVersion", quote(source.toString())
                + ": Milvus " + milvus + " runs " + String.join(", ", mismatches) + "; " + instead));
    }
}
