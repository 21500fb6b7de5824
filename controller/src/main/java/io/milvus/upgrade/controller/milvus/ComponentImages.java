package io.milvus.upgrade.controller.milvus;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which image each component runs across an upgrade. The upgrade sets the global image to the
 * target and moves every component override that pins the source version in the repository of
 * the target or of the global image; an override it cannot move (pinned by digest, another
 * version, another repository) would keep running the old version on migrated metadata, so the
 * upgrade does not start.
 * Rollback writes back the recorded fields exactly, unset ones included.
 */
public final class ComponentImages {

    private ComponentImages() {
    }

    /** Every image field the spec sets now, for every component (running or not). */
    public static RecordedImages record(Milvus milvus) {
        MilvusComponents components = components(milvus);
        Map<String, String> own = new LinkedHashMap<>();
        if (components != null) components.present().forEach((component, spec) -> own.put(component.field(), spec.getImage()));
        return new RecordedImages(components == null ? null : components.getImage(), own);
    }

    /**
     * One sentence per running component that moving to {@code targetImage} would leave behind;
     * empty when the upgrade can move them all.
     */
    public static List<String> unmovable(Milvus milvus, String targetImage, Version sourceVersion) {
        String global = globalImage(milvus);
        List<String> problems = new ArrayList<>();
        for (Component component : MilvusTopology.components(milvus)) {
            MilvusComponent spec = MilvusTopology.component(milvus, component);
            String image = spec == null ? null : spec.getImage();
            if (image == null || image.isBlank()) continue; // follows the global image, which the upgrade sets
            whyUnmovable(image, global, targetImage, sourceVersion)
                    .ifPresent(why -> problems.add(component.imageField() + " is " + image + ": " + why));
        }
        return problems;
    }

    /** The global image and every movable override of a running component set to {@code targetImage}. */
    public static void moveToTarget(Milvus wanted, String targetImage, Version sourceVersion) {
        String global = globalImage(wanted);
        writable(wanted).setImage(targetImage);
        for (Component component : MilvusTopology.components(wanted)) {
            MilvusComponent spec = MilvusTopology.component(wanted, component);
            if (spec != null && spec.getImage() != null && !spec.getImage().isBlank()
                    && whyUnmovable(spec.getImage(), global, targetImage, sourceVersion).isEmpty()) {
                spec.setImage(targetImage);
            }
        }
    }

    /** Every image field back to its recorded value; a field that was unset is removed. */
    public static void restore(Milvus wanted, RecordedImages recorded) {
        writable(wanted).setImage(recorded.global());
        for (Component component : Component.values()) {
            MilvusComponent spec = MilvusTopology.component(wanted, component);
            String image = recorded.of(component);
            if (spec != null) {
                spec.setImage(image);
            } else if (image != null) {
                MilvusTopology.componentForWrite(wanted, component).setImage(image);
            }
        }
    }

    private static Optional<String> whyUnmovable(String image, String global, String targetImage, Version sourceVersion) {
        if (image.equals(targetImage)) return Optional.empty();
        ImageReference reference = ImageReference.parse(image);
        if (reference.isDigestPinned()) {
            return Optional.of("pinned by digest, so the controller cannot tell which image of the target version replaces it");
        }
        Optional<Version> version = reference.tagVersion();
        if (version.isEmpty() || !version.get().sameAs(sourceVersion)) {
            return Optional.of("its tag is not the source version " + sourceVersion + ", so the controller cannot tell what it runs");
        }
        boolean withGlobal = global != null && reference.sameRepository(ImageReference.parse(global));
        if (!withGlobal && !reference.sameRepository(ImageReference.parse(targetImage))) {
            return Optional.of("another repository than the target image " + targetImage + (global == null ? "" : " and the global image " + global)
                    + "; set spec.targetImage to that repository's image, or remove the override");
        }
        return Optional.empty();
    }

    private static String globalImage(Milvus milvus) {
        MilvusComponents components = components(milvus);
        String image = components == null ? null : components.getImage();
        return image == null || image.isBlank() ? null : image;
    }

    private static MilvusComponents components(Milvus milvus) {
        return milvus == null || milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
    }

    private static MilvusComponents writable(Milvus milvus) {
        if (milvus.getSpec() == null) milvus.setSpec(new MilvusSpec());
        if (milvus.getSpec().getComponents() == null) milvus.getSpec().setComponents(new MilvusComponents());
        return milvus.getSpec().getComponents();
    }
}
