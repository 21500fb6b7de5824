package io.milvus.upgrade.components;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.ComponentDeployStatus;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;

/** The images a Milvus names, and the ones it runs. */
public final class MilvusImages {

    public static final String GLOBAL_FIELD = "spec.components.image";

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
        components.present().forEach((component, spec) -> putIfSet(images, component.imageField(), spec.getImage()));
        return images;
    }

    /** What one component runs now, and where that was read ({@code readFrom} is a field path). */
    public record RunningImage(Component component, String image, String readFrom) {
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
        for (Component component : MilvusTopology.components(milvus)) {
            ComponentDeployStatus deployed = status == null || status.getComponentsDeployStatus() == null
                    ? null : status.getComponentsDeployStatus().get(component.statusKey());
            MilvusComponent declared = components == null ? null : components.get(component);
            if (deployed != null && isSet(deployed.getImage())) {
                running.add(new RunningImage(component, deployed.getImage(), "status.componentsDeployStatus." + component.statusKey() + ".image"));
            } else if (declared != null && isSet(declared.getImage())) {
                running.add(new RunningImage(component, declared.getImage(), component.imageField()));
            } else if (status != null && isSet(status.getCurrentImage())) {
                running.add(new RunningImage(component, status.getCurrentImage(), "status.currentImage"));
            } else if (components != null && isSet(components.getImage())) {
                running.add(new RunningImage(component, components.getImage(), GLOBAL_FIELD));
            }
            running.addAll(groupImages(status, component));
        }
        return running;
    }

    /**
     * A deployment group runs its component's image; while a rollout is under way its Deployment
     * may still run another, which the operator reports in {@code status.deploymentGroupsDeployStatus}.
     */
    private static List<RunningImage> groupImages(MilvusStatus status, Component component) {
        Map<String, ComponentDeployStatus> groups = status == null || status.getDeploymentGroupsDeployStatus() == null
                ? null : status.getDeploymentGroupsDeployStatus().get(component.statusKey());
        if (groups == null) return List.of();
        List<RunningImage> images = new ArrayList<>();
        groups.forEach((group, deployed) -> {
            if (deployed != null && isSet(deployed.getImage())) {
                images.add(new RunningImage(component, deployed.getImage(),
                        "status.deploymentGroupsDeployStatus." + component.statusKey() + "." + group + ".image"));
            }
        });
        return images;
    }

    /**
     * The version {@code image} runs as the operator believes it, since the operator deploys what
     * it believes (zilliztech/milvus-operator v1.3.8, {@code isImageVersionGreaterThan2_6}):
     * {@code spec.components.version} where it is set, else the text after the image's last
     * {@code :} when that is a version ({@code v2.5.16}, {@code v2.5.16-gpu}). A digest, a
     * nightly or a branch build has no version this way; {@code OperatorVersionReading} refuses
     * the images the operator would misread.
     */
    public static Optional<Version> versionOf(Milvus milvus, String image) {
        MilvusComponents components = componentsOf(milvus);
        String field = components == null ? null : components.getVersion();
        if (field != null && !field.isBlank()) return Version.parse(field);
        return image == null ? Optional.empty() : ImageReference.parse(image).operatorTagVersion();
    }

    /** The one version every running component runs, as {@link #versionOf} reads it; empty when unknown or mixed. */
    public static Optional<Version> runningVersion(Milvus milvus) {
        List<RunningImage> running = running(milvus);
        List<Optional<Version>> versions = running.stream().map(image -> versionOf(milvus, image.image())).toList();
        if (running.isEmpty() || versions.stream().anyMatch(Optional::isEmpty)) return Optional.empty();
        return versions.stream().map(Optional::get).map(Version::toString).distinct().count() == 1 ? versions.getFirst() : Optional.empty();
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
