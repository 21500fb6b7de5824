package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.api.FieldValues.isUnset;
import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A MilvusUpgrade as its rules see it: the defaulted spec, its versions parsed once (with the
 * errors of those that did not parse), the Milvus it names, and the cluster, read at most once
 * per review.
 */
public final class UpgradeUnderReview {

    private final MilvusUpgrade upgrade;
    private final MilvusUpgradeSpec spec;
    private final AdmissionContext context;
    private final UpgradePolicy policy;
    private final ClusterLookup cluster;
    private final Optional<Version> source;
    private final Optional<Version> target;
    private final List<FieldError> versionErrors = new ArrayList<>();
    private Lookup<Milvus> milvus;

    public UpgradeUnderReview(MilvusUpgrade upgrade, AdmissionContext context, UpgradePolicy policy, ClusterLookup cluster) {
        this.upgrade = upgrade;
        this.spec = upgrade.getSpec() == null ? new MilvusUpgradeSpec() : upgrade.getSpec();
        this.context = context;
        this.policy = policy;
        this.cluster = cluster;
        this.source = parse("spec.sourceVersion", spec.getSourceVersion());
        this.target = parse("spec.targetVersion", spec.getTargetVersion());
    }

    private Optional<Version> parse(String field, String text) {
        if (isUnset(text)) {
            versionErrors.add(FieldError.required(field, "a version such as 2.2.0 (a leading v is optional)"));
            return Optional.empty();
        }
        Optional<Version> version = Version.parse(text);
        if (version.isEmpty()) {
            versionErrors.add(FieldError.invalid(field, quote(text)
                    + ": not a semantic version; write MAJOR.MINOR.PATCH such as 2.2.0 or v2.2.0 (lower-case v, no leading zeros)"));
        }
        return version;
    }

    public MilvusUpgrade upgrade() {
        return upgrade;
    }

    public MilvusUpgradeSpec spec() {
        return spec;
    }

    public UpgradePolicy policy() {
        return policy;
    }

    public ClusterLookup cluster() {
        return cluster;
    }

    public Optional<Version> source() {
        return source;
    }

    public Optional<Version> target() {
        return target;
    }

    /** Required-field and syntax errors of the two versions, source first. */
    List<FieldError> versionErrors() {
        return versionErrors;
    }

    /** The Milvus it names, when it names one: {@code namespace/name}. */
    public Optional<MilvusRef> milvusRef() {
        return isUnset(upgrade.milvusName()) ? Optional.empty()
                : Optional.of(new MilvusRef(upgrade.milvusNamespace(context.namespace()), upgrade.milvusName()));
    }

    /** The Milvus from the cluster, read once. */
    public Lookup<Milvus> milvus() {
        if (milvus == null) {
            MilvusRef ref = milvusRef().orElseThrow();
            milvus = cluster.milvus(ref.namespace(), ref.name());
        }
        return milvus;
    }

    /** {@code operation: rollback}. */
    public boolean isRollback() {
        return MilvusUpgradeSpec.OPERATION_ROLLBACK.equals(spec.getOperation());
    }

    /** The Milvus a MilvusUpgrade names. */
    public record MilvusRef(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }
}
