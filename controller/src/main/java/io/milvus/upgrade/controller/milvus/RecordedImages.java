package io.milvus.upgrade.controller.milvus;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.milvus.upgrade.api.v1beta1.Component;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image fields of a Milvus spec before the upgrade touched it: the global
 * {@code spec.components.image} and every component's own {@code image}, unset ones left out.
 * Restoring these fields, and only these, brings back exactly the images that ran.
 *
 * @param global     {@code spec.components.image}, or null when the operator's default ran
 * @param components component field ({@code queryNode}) to its own image
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RecordedImages(String global, Map<String, String> components) {

    public RecordedImages {
        Map<String, String> set = new LinkedHashMap<>();
        if (components != null) components.forEach((field, image) -> {
            if (image != null && !image.isBlank()) set.put(field, image);
        });
        components = Collections.unmodifiableMap(set);
        if (global != null && global.isBlank()) global = null;
    }

    /** The component's own image, or null when it ran the global one. */
    public String of(Component component) {
        return components.get(component.field());
    }

    /** For messages: every recorded field and its image. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("spec.components.image " + (global == null ? "unset (the operator's default image)" : global));
        components.forEach((field, image) -> parts.add("spec.components." + field + ".image " + image));
        return String.join(", ", parts);
    }
}
