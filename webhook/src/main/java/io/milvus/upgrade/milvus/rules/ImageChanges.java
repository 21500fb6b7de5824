package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.api.FieldValues.isUnset;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The image changes of an update, judged on what actually runs: a component without its own
 * image runs the global one; a removed global image means the operator's default (named by the
 * policy), and so does no image before, unless the status says what ran (otherwise removing the
 * image and then setting an older one would pass in two steps); where a tag is not a version,
 * {@code spec.components.version} says the version, so a change of that field alone is a change too.
 */
public final class ImageChanges {

    private ImageChanges() {
    }

    public static List<ImageChange> between(Milvus old, Milvus milvus, UpgradePolicy policy) {
        Map<String, String> before = MilvusImages.declared(old);
        Map<String, String> after = MilvusImages.declared(milvus);
        String oldGlobal = before.get(MilvusImages.GLOBAL_FIELD);
        String newGlobal = after.get(MilvusImages.GLOBAL_FIELD);
        Set<String> fields = new LinkedHashSet<>();
        fields.add(MilvusImages.GLOBAL_FIELD);
        fields.addAll(after.keySet());
        fields.addAll(before.keySet());
        List<ImageChange> changes = new ArrayList<>();
        for (String field : fields) {
            // A component without its own image runs the global one.
            String was = before.getOrDefault(field, oldGlobal);
            String now = after.getOrDefault(field, newGlobal);
            boolean removed = was != null && now == null;
            if (was == null && now == null) continue;
            String runs = removed ? policy.operatorDefaultImage() : now;
            // No image named before: what the operator reported running, else its default now.
            if (was == null) was = reportedImage(old);
            if (was == null && !isUnset(policy.operatorDefaultImage())) was = policy.operatorDefaultImage();
            ImageChange change = new ImageChange(field, was, runs, removed,
                    was == null ? Optional.empty() : MilvusImages.versionOf(old, was),
                    runs == null || runs.isEmpty() ? Optional.empty() : MilvusImages.versionOf(milvus, runs));
            if (isChange(change)) changes.add(versionField(change));
        }
        return changes;
    }

    private static boolean isChange(ImageChange change) {
        if (!Objects.equals(change.from(), change.to()) || change.removed()) return true;
        return !change.fromVersion().map(Object::toString).equals(change.toVersion().map(Object::toString));
    }

    /** Where only {@code spec.components.version} changed (the tag is no version), the error belongs there. */
    private static ImageChange versionField(ImageChange change) {
        if (!change.removed() && Objects.equals(change.from(), change.to()) && change.field().equals(MilvusImages.GLOBAL_FIELD)) {
            return new ImageChange("spec.components.version", change.from(), change.to(), false, change.fromVersion(), change.toVersion());
        }
        return change;
    }

    /** What the operator reported running when the spec named no image: {@code status.currentImage}. */
    private static String reportedImage(Milvus old) {
        String current = old.getStatus() == null ? null : old.getStatus().getCurrentImage();
        return current == null || current.isBlank() ? null : current;
    }

}
