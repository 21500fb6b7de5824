package io.milvus.upgrade.milvus;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import java.util.LinkedHashMap;
import java.util.Map;

/** The images a Milvus names: the global one and each component's own override. */
public final class MilvusImages {

    public static final String GLOBAL_FIELD = "spec.components.image";

    private MilvusImages() {
    }

    /** Field path to image, global first, then components in start order; unset images are left out. */
    public static Map<String, String> declared(Milvus milvus) {
        Map<String, String> images = new LinkedHashMap<>();
        MilvusComponents components = milvus == null || milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
        if (components == null) {
            return images;
        }
        putIfSet(images, GLOBAL_FIELD, components.getImage());
        components.present().forEach((name, component) -> putIfSet(images, componentField(name), component.getImage()));
        return images;
    }

    public static String componentField(String component) {
        return "spec.components." + component + ".image";
    }

    private static void putIfSet(Map<String, String> images, String field, String image) {
        if (image != null && !image.isBlank()) {
            images.put(field, image);
        }
    }
}
