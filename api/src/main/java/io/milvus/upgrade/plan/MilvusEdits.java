package io.milvus.upgrade.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import java.util.EnumSet;

/**
 * The edits a plan makes to a Milvus, each on a copy, so that every step starts from the object
 * the previous one left; and the JSON Patch between two of them.
 */
final class MilvusEdits {

    private MilvusEdits() {
    }

    static Milvus copy(Milvus milvus) {
        return ApiSerialization.json().convertValue(milvus, Milvus.class);
    }

    /**
     * The JSON Patch that turns {@code before} into {@code after}, in adds, removes and replaces
     * only: a "move" from rootCoord to mixCoord is correct but reads like a mistake.
     */
    static JsonNode patch(Milvus before, Milvus after) {
        return JsonDiff.asJson(ApiSerialization.json().valueToTree(before), ApiSerialization.json().valueToTree(after),
                EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE));
    }

    /**
     * Every image the Milvus names moved to {@code version}, each keeping its repository and
     * variant suffix ({@code -gpu}); {@code spec.components.version} follows when it is set. A
     * Milvus that names no image gets a global one from {@code defaultRepository}.
     */
    static Milvus withVersion(Milvus milvus, Version version, String defaultRepository) {
        Milvus next = copy(milvus);
        MilvusComponents components = components(next);
        components.setImage(components.getImage() == null || components.getImage().isBlank()
                ? (components.present().values().stream().anyMatch(c -> isSet(c.getImage())) ? components.getImage()
                        : ImageReference.of(defaultRepository, version.imageTag()))
                : retagged(components.getImage(), version));
        components.present().values().stream().filter(c -> isSet(c.getImage())).forEach(c -> c.setImage(retagged(c.getImage(), version)));
        if (isSet(components.getVersion())) components.setVersion(version.toString());
        return next;
    }

    /** Declares a rolling downgrade, as the operator wants a downgrade across minors told. */
    static Milvus declaringRollingDowngrade(Milvus milvus) {
        Milvus next = copy(milvus);
        components(next).setImageUpdateMode(MilvusComponents.ROLLING_DOWNGRADE);
        return next;
    }

    /** A rolling update is no option before the step's rolling version: the image is changed without one. */
    static Milvus withoutRollingUpdate(Milvus milvus) {
        Milvus next = copy(milvus);
        components(next).setEnableRollingUpdate(false);
        return next;
    }

    /** mixCoord in place of the four coordinators, with the replicas rootCoord had (1 by default). */
    static Milvus withMixCoord(Milvus milvus) {
        Milvus next = copy(milvus);
        MilvusComponents components = components(next);
        MilvusComponent rootCoord = components.get(Component.ROOT_COORD);
        MilvusComponent mixCoord = new MilvusComponent();
        mixCoord.setReplicas(rootCoord == null || rootCoord.getReplicas() == null ? 1 : rootCoord.getReplicas());
        components.setMixCoord(mixCoord);
        Component.SEPARATE_COORDINATORS.forEach(c -> components.set(c, null));
        return next;
    }

    /** Each of {@code components} (component fields, {@code indexNode}) the spec names at 0 replicas. */
    static Milvus withZeroReplicas(Milvus milvus, java.util.List<String> components) {
        Milvus next = copy(milvus);
        MilvusComponents all = components(next);
        for (Component component : Component.values()) {
            MilvusComponent spec = all.get(component);
            if (spec != null && components.contains(component.field())) spec.setReplicas(0);
        }
        return next;
    }

    /** The image the Milvus names globally after {@link #withVersion}. */
    static String globalImage(Milvus milvus) {
        return components(milvus).getImage();
    }

    private static String retagged(String image, Version version) {
        return ImageReference.parse(image).retagged(version);
    }

    private static MilvusComponents components(Milvus milvus) {
        if (milvus.getSpec() == null) milvus.setSpec(new MilvusSpec());
        if (milvus.getSpec().getComponents() == null) milvus.getSpec().setComponents(new MilvusComponents());
        return milvus.getSpec().getComponents();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
