package io.milvus.upgrade.milvus;

import io.milvus.upgrade.api.v1beta1.ComponentDeployStatus;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The images a Milvus names, and the ones it runs. */
public final class MilvusImages {

    public static final String GLOBAL_FIELD = "spec.components.image";

    private static final List<String> COORDINATORS = List.of("rootCoord", "dataCoord", "queryCoord", "indexCoord");
    private static final List<String> NODES_AND_PROXY = List.of("dataNode", "queryNode", "indexNode", "proxy");

    private MilvusImages() {
    }

    /** Field path to image, global first, then components in start order; unset images are left out. */
    public static Map<String, String> declared(Milvus milvus) {
        Map<String, String> images = new LinkedHashMap<>();
        MilvusComponents components = componentsOf(milvus);
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

    /**
     * The components the operator runs for {@code milvus}: {@code standalone} unless the mode is
     * {@code cluster}; in cluster mode {@code mixCoord} stands in for the four coordinators when
     * the spec has one. Components the spec does not mention run too, with the global image.
     */
    public static List<String> runningComponents(Milvus milvus) {
        MilvusSpec spec = milvus == null ? null : milvus.getSpec();
        if (spec == null || !MilvusSpec.MODE_CLUSTER.equals(spec.getMode())) {
            return List.of("standalone");
        }
        boolean mixCoord = spec.getComponents() != null && spec.getComponents().getMixCoord() != null;
        return Stream.concat((mixCoord ? List.of("mixCoord") : COORDINATORS).stream(), NODES_AND_PROXY.stream()).toList();
    }

    /** What one component runs now, and where that was read ({@code readFrom} is a field path). */
    public record RunningImage(String component, String image, String readFrom) {
    }

    /**
     * The image each running component runs now. What the operator observed wins over what the
     * spec asks for, because a spec change may not have rolled out yet: the component's
     * Deployment image from {@code status.componentsDeployStatus} (newer operators), else the
     * component's own image in the spec, else {@code status.currentImage} (the global image of the
     * last finished rollout), else the spec's global image. A component for which none is known
     * (the operator's built-in default) is left out.
     */
    public static List<RunningImage> running(Milvus milvus) {
        MilvusStatus status = milvus == null ? null : milvus.getStatus();
        MilvusComponents components = componentsOf(milvus);
        List<RunningImage> running = new ArrayList<>();
        for (String component : runningComponents(milvus)) {
            ComponentDeployStatus deployed = status == null || status.getComponentsDeployStatus() == null
                    ? null : status.getComponentsDeployStatus().get(component);
            MilvusComponent declared = components == null ? null : components.present().get(component);
            if (deployed != null && isSet(deployed.getImage())) {
                running.add(new RunningImage(component, deployed.getImage(), "status.componentsDeployStatus." + component + ".image"));
            } else if (declared != null && isSet(declared.getImage())) {
                running.add(new RunningImage(component, declared.getImage(), componentField(component)));
            } else if (status != null && isSet(status.getCurrentImage())) {
                running.add(new RunningImage(component, status.getCurrentImage(), "status.currentImage"));
            } else if (components != null && isSet(components.getImage())) {
                running.add(new RunningImage(component, components.getImage(), GLOBAL_FIELD));
            }
        }
        return running;
    }

    private static MilvusComponents componentsOf(Milvus milvus) {
        return milvus == null || milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
    }

    private static void putIfSet(Map<String, String> images, String field, String image) {
        if (isSet(image)) {
            images.put(field, image);
        }
    }

    private static boolean isSet(String image) {
        return image != null && !image.isBlank();
    }
}
