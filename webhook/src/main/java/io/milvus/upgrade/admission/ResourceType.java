package io.milvus.upgrade.admission;

import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** The group, version and kind an endpoint reviews, and the class they decode into. */
public record ResourceType<T extends HasMetadata>(Class<T> type) {

    public String group() {
        return HasMetadata.getGroup(type);
    }

    public String version() {
        return HasMetadata.getVersion(type);
    }

    public String kind() {
        return HasMetadata.getKind(type);
    }

    /** {@code milvus.io/v1beta1}, as an object's apiVersion names it. */
    public String apiVersion() {
        return group().isEmpty() ? version() : group() + "/" + version();
    }

    /** {@code MilvusUpgrade.milvus.io}, as Kubernetes names a kind in its messages. */
    public String qualifiedKind() {
        return kind() + "." + group();
    }

    /** Why {@code requested} is not this type, or null when it is. */
    public String mismatch(GroupVersionKind requested) {
        if (requested == null) {
            return "the request names no kind; this webhook reviews " + group() + "/" + version() + " " + kind();
        }
        if (!group().equals(requested.getGroup()) || !kind().equals(requested.getKind())) {
            return "this webhook reviews " + group() + "/" + version() + " " + kind() + ", not "
                    + requested.getGroup() + "/" + requested.getVersion() + " " + requested.getKind()
                    + "; check the rules of the webhook configuration";
        }
        if (!version().equals(requested.getVersion())) {
            return "this webhook reviews " + kind() + " as " + group() + "/" + version() + ", not " + requested.getVersion()
                    + "; register it with matchPolicy: Equivalent so that the apiserver converts the object first";
        }
        return null;
    }
}
