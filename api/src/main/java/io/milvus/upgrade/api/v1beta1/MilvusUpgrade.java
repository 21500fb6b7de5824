package io.milvus.upgrade.api.v1beta1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Upgrades one Milvus across a metadata migration: stop, back up, migrate, start, roll back. */
@Group("milvus.io")
@Version("v1beta1")
@Kind("MilvusUpgrade")
@Plural("milvusupgrades")
@Singular("milvusupgrade")
@ShortNames("mup")
public class MilvusUpgrade extends CustomResource<MilvusUpgradeSpec, MilvusUpgradeStatus> implements Namespaced {

    /**
     * The namespace of the Milvus this upgrade targets: {@code spec.milvus.namespace}, else the
     * upgrade's own, else {@code requestNamespace} (an object under admission may not carry its
     * namespace yet). The one place this rule lives: the reference leaves it empty and stalls.
     */
    public String milvusNamespace(String requestNamespace) {
        String named = getSpec() == null || getSpec().getMilvus() == null ? null : getSpec().getMilvus().getNamespace();
        if (named != null && !named.isEmpty()) return named;
        String own = getMetadata() == null ? null : getMetadata().getNamespace();
        return own != null && !own.isEmpty() ? own : requestNamespace;
    }

    /** {@link #milvusNamespace(String)} of a stored object, which always has its namespace. */
    public String milvusNamespace() {
        return milvusNamespace(null);
    }

    /** {@code spec.milvus.name}, or null when the spec names none. */
    public String milvusName() {
        return getSpec() == null || getSpec().getMilvus() == null ? null : getSpec().getMilvus().getName();
    }

    /** Whether this upgrade targets the Milvus {@code namespace/name}. */
    public boolean targets(String namespace, String name) {
        return name != null && name.equals(milvusName()) && namespace != null && namespace.equals(milvusNamespace());
    }

    /** {@code status.state}, or "" before the controller has written one. */
    public String state() {
        String state = getStatus() == null ? null : getStatus().getState();
        return state == null ? "" : state;
    }

    /** Still holds its Milvus: not finished, and not failed for good ({@link UpgradeState#isUnfinished}). */
    @JsonIgnore // derived, not a field of the resource
    public boolean isUnfinished() {
        return UpgradeState.isUnfinished(state(), getSpec() == null ? null : getSpec().getRollbackIfFailed());
    }
}
