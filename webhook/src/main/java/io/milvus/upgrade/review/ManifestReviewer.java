package io.milvus.upgrade.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequestBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.milvus.upgrade.admission.AdmissionReviewCodec;
import io.milvus.upgrade.admission.MutatingEndpoint;
import io.milvus.upgrade.admission.ReviewRequest;
import io.milvus.upgrade.admission.ValidatingEndpoint;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * The admission decision on each document, offline: mutation then validation for a
 * MilvusUpgrade, the image guard for a Milvus, as the apiserver runs them; an update when
 * {@link PreviousVersions} holds the object, else a create.
 */
public final class ManifestReviewer {

    private static final String GROUP = "milvus.io";
    private static final String GROUP_VERSION = "milvus.io/v1beta1";
    private static final Set<String> KINDS = Set.of("Milvus", "MilvusUpgrade");
    /** What a Kubernetes object may hold at the top; anything else is a mis-indented field. */
    private static final Set<String> TOP_LEVEL = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final int BAD_REQUEST = 400;

    private final MutatingEndpoint<MilvusUpgrade> mutateUpgrade;
    private final ValidatingEndpoint<MilvusUpgrade> validateUpgrade;
    private final ValidatingEndpoint<Milvus> validateMilvus;
    private final String defaultNamespace;
    private final PreviousVersions previous;

    public ManifestReviewer(MutatingEndpoint<MilvusUpgrade> mutateUpgrade, ValidatingEndpoint<MilvusUpgrade> validateUpgrade,
                            ValidatingEndpoint<Milvus> validateMilvus, String defaultNamespace, PreviousVersions previous) {
        this.mutateUpgrade = mutateUpgrade;
        this.validateUpgrade = validateUpgrade;
        this.validateMilvus = validateMilvus;
        this.defaultNamespace = defaultNamespace;
        this.previous = previous;
    }

    /** Every entry's verdict in input order, then those of unreadable {@code --old} documents. */
    public List<DocumentReview> reviewAll(List<ManifestEntry> entries) {
        List<DocumentReview> reviews = new ArrayList<>();
        for (ManifestEntry entry : entries) {
            reviews.add(switch (entry) {
                case ManifestEntry.Unreadable unreadable -> DocumentReview.unreadable(unreadable);
                case ManifestEntry.Parsed parsed -> review(parsed);
            });
        }
        previous.problems().forEach(p -> reviews.add(DocumentReview.unreadable(p)));
        return reviews;
    }

    DocumentReview review(ManifestEntry.Parsed entry) {
        ObjectNode object = entry.object().deepCopy();
        DocumentRef ref = entry.ref();
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            return DocumentReview.notReviewed(ref, null, Outcome.UNREADABLE, "not a Kubernetes object: it names no apiVersion and kind");
        }
        ObjectKey key = ObjectKey.of(object, defaultNamespace);
        if (!apiVersion.startsWith(GROUP + "/")) {
            return DocumentReview.notReviewed(ref, key, Outcome.SKIPPED, "not a milvus.io object");
        }
        if (!GROUP_VERSION.equals(apiVersion) || !KINDS.contains(kind)) {
            if (kind.equals("Milvus") && apiVersion.equals(GROUP + "/v1alpha1")) {
                return DocumentReview.notReviewed(ref, key, Outcome.SKIPPED,
                        "milvus.io/v1alpha1 is reviewed as v1beta1 after the apiserver converts it; review the v1beta1 form");
            }
            return DocumentReview.notReviewed(ref, key, Outcome.UNREADABLE, "unknown kind '" + kind + "' (apiVersion '" + apiVersion
                    + "'); expected a milvus.io/v1beta1 MilvusUpgrade or Milvus");
        }
        String malformed = malformed(object);
        if (malformed != null) return DocumentReview.notReviewed(ref, key, Outcome.UNREADABLE, malformed);
        ((ObjectNode) object.get("metadata")).put("namespace", key.namespace());
        ObjectNode old = previous.find(key);
        if (old != null && !old.path("metadata").has("namespace") && old.get("metadata") instanceof ObjectNode metadata) {
            metadata.put("namespace", key.namespace());
        }
        ReviewRequest request = request(object, old, key);
        return kind.equals("MilvusUpgrade") ? reviewUpgrade(ref, key, request) : verdict(ref, key, request, validateMilvus.review(request), List.of(), null, object);
    }

    /** Why the object's shape is not a Kubernetes object's, or null; the apiserver would refuse it before any webhook. */
    private static String malformed(ObjectNode object) {
        for (var field : (Iterable<String>) object::fieldNames) {
            if (!TOP_LEVEL.contains(field)) {
                return "unknown top-level field '" + field + "' (is it indented under metadata or spec?)";
            }
        }
        JsonNode metadata = object.get("metadata");
        if (!(metadata instanceof ObjectNode m) || m.isEmpty()) {
            return "metadata is " + (metadata == null || metadata.isNull() ? "missing or empty" : "not a mapping") + " (is what belongs under it indented?)";
        }
        if (m.path("name").asText("").isEmpty() && m.path("generateName").asText("").isEmpty()) {
            return "metadata.name is missing";
        }
        return null;
    }

    private ReviewRequest request(ObjectNode object, ObjectNode old, ObjectKey key) {
        AdmissionRequest request = new AdmissionRequestBuilder()
                .withUid("offline-review")
                .withKind(new GroupVersionKind(GROUP, key.kind(), "v1beta1"))
                .withOperation(old == null ? "CREATE" : "UPDATE")
                .withNamespace(key.namespace())
                .withName(key.name())
                .withDryRun(true)
                .withNewUserInfo().withUsername("offline-review").endUserInfo()
                .build();
        return new ReviewRequest(AdmissionReviewCodec.V1, request, object, old);
    }

    /** Mutation, then validation of the defaulted object. */
    private DocumentReview reviewUpgrade(DocumentRef ref, ObjectKey key, ReviewRequest request) {
        MutatingEndpoint.Mutation mutation = mutateUpgrade.mutate(request);
        AdmissionResponse mutated = mutation.response();
        if (!Boolean.TRUE.equals(mutated.getAllowed())) {
            return verdict(ref, key, request, mutated, List.of(), null, request.object());
        }
        ReviewRequest defaulted = new ReviewRequest(request.apiVersion(), request.request(), mutation.defaulted(), request.oldObject());
        List<String> mutationWarnings = mutated.getWarnings() == null ? List.of() : mutated.getWarnings();
        return verdict(ref, key, request, validateUpgrade.review(defaulted), mutationWarnings, patch(mutated), mutation.defaulted());
    }

    private static JsonNode patch(AdmissionResponse mutated) {
        if (mutated.getPatch() == null) return ApiSerialization.json().createArrayNode();
        try {
            return ApiSerialization.json().readTree(new String(Base64.getDecoder().decode(mutated.getPatch()), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("the defaulter's own patch does not parse", e);
        }
    }

    private static DocumentReview verdict(DocumentRef ref, ObjectKey key, ReviewRequest request, AdmissionResponse response,
                                          List<String> earlierWarnings, JsonNode patch, JsonNode object) {
        String operation = request.request().getOperation();
        var status = response.getStatus();
        if (!Boolean.TRUE.equals(response.getAllowed()) && status != null && Integer.valueOf(BAD_REQUEST).equals(status.getCode())) {
            // The endpoint could not decode the object (a field of the wrong type): bad input, not a denial.
            return DocumentReview.notReviewed(ref, key, Outcome.UNREADABLE, status.getMessage());
        }
        List<String> warnings = new ArrayList<>(earlierWarnings);
        if (response.getWarnings() != null) warnings.addAll(response.getWarnings());
        if (Boolean.TRUE.equals(response.getAllowed())) {
            return new DocumentReview(ref, key, warnings.isEmpty() ? Outcome.ALLOWED : Outcome.WARNED, operation, null,
                    List.of(), warnings, patch, object);
        }
        List<DocumentReview.Cause> causes = new ArrayList<>();
        if (status != null && status.getDetails() != null && status.getDetails().getCauses() != null) {
            status.getDetails().getCauses().forEach(c -> causes.add(new DocumentReview.Cause(c.getField(), c.getReason(), c.getMessage())));
        }
        return new DocumentReview(ref, key, Outcome.DENIED, operation, status == null ? "denied" : status.getMessage(),
                causes, warnings, patch, object);
    }
}
