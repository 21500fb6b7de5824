package io.milvus.upgrade.controller.milvus;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.components.MilvusTopology;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Milvus spec changes of an upgrade, each a pure function from the observed Milvus to the
 * wanted one: record what runs, stop every component, start the new (or the old) image with the
 * recorded replicas. Applying a result twice changes nothing the second time.
 */
public final class MilvusScaling {

    private MilvusScaling() {
    }

    /** What runs now, recorded once before anything changes. */
    public record Recorded(String sourceImage, Map<String, Integer> replicas) {
        public Recorded {
            replicas = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(replicas));
        }
    }

    public static Recorded record(Milvus milvus) {
        Map<String, Integer> replicas = new LinkedHashMap<>();
        for (Component component : MilvusTopology.components(milvus)) {
            replicas.put(component.field(), MilvusTopology.replicas(milvus, component));
        }
        MilvusComponents components = milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
        return new Recorded(components == null ? null : components.getImage(), replicas);
    }

    /** Every component at 0 replicas. */
    public static Milvus stopped(Milvus milvus) {
        Milvus wanted = copy(milvus);
        for (Component component : MilvusTopology.components(wanted)) {
            MilvusTopology.componentForWrite(wanted, component).setReplicas(0);
        }
        return wanted;
    }

    /** Whether the spec asks every component for 0 replicas. */
    public static boolean isStopped(Milvus milvus) {
        return MilvusTopology.components(milvus).stream().allMatch(c -> MilvusTopology.replicas(milvus, c) == 0);
    }

    /**
     * The new version: {@code targetImage} globally and in every component override that pinned
     * the old version, and the recorded replicas.
     */
    public static Milvus upgraded(Milvus milvus, String targetImage, Version sourceVersion, String sourceImage, Map<String, Integer> replicas) {
        Milvus wanted = copy(milvus);
        components(wanted).setImage(targetImage);
        components(wanted).present().values().forEach(component -> {
            if (pinsOldImage(component.getImage(), sourceVersion, sourceImage)) {
                component.setImage(targetImage);
            }
        });
        restoreReplicas(wanted, replicas);
        return wanted;
    }

    /**
     * Back to the old version: the recorded global image (none, if none was set), every component
     * override the upgrade moved to {@code targetImage} back to it, and the recorded replicas.
     */
    public static Milvus rolledBack(Milvus milvus, String sourceImage, String targetImage, Map<String, Integer> replicas) {
        Milvus wanted = copy(milvus);
        components(wanted).setImage(sourceImage);
        components(wanted).present().values().forEach(component -> {
            if (targetImage.equals(component.getImage())) {
                component.setImage(sourceImage);
            }
        });
        restoreReplicas(wanted, replicas);
        return wanted;
    }

    /** Whether applying {@code wanted} would change {@code observed}'s spec. */
    public static boolean differs(Milvus observed, Milvus wanted) {
        return !Objects.equals(ApiSerialization.json().valueToTree(observed.getSpec()),
                ApiSerialization.json().valueToTree(wanted.getSpec()));
    }

    /** The sum of the recorded replicas: what a healthy Milvus reports ready. */
    public static int total(Map<String, Integer> replicas) {
        return replicas.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static boolean pinsOldImage(String image, Version sourceVersion, String sourceImage) {
        if (image == null || image.isBlank()) return false;
        if (image.equals(sourceImage)) return true;
        return ImageReference.parse(image).tagVersion().map(v -> v.sameAs(sourceVersion)).orElse(false);
    }

    private static void restoreReplicas(Milvus wanted, Map<String, Integer> replicas) {
        replicas.forEach((field, count) -> Component.byField(field)
                .filter(MilvusTopology.components(wanted)::contains)
                .ifPresent(component -> MilvusTopology.componentForWrite(wanted, component).setReplicas(count)));
    }

    private static MilvusComponents components(Milvus milvus) {
        if (milvus.getSpec() == null) milvus.setSpec(new MilvusSpec());
        if (milvus.getSpec().getComponents() == null) milvus.getSpec().setComponents(new MilvusComponents());
        return milvus.getSpec().getComponents();
    }

    private static Milvus copy(Milvus milvus) {
        return ApiSerialization.kubernetes().clone(milvus);
    }

    /** For tests and messages: the component's own image, or null. */
    static String imageOf(Milvus milvus, Component component) {
        MilvusComponent c = MilvusTopology.component(milvus, component);
        return c == null ? null : c.getImage();
    }
}
