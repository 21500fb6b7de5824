package io.milvus.upgrade.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import java.util.List;

/** Runs a {@link Defaulter} and answers with the JSON Patch of what it added. */
public final class MutatingEndpoint<T extends HasMetadata> implements AdmissionEndpoint {

    private final String path;
    private final ResourceType<T> type;
    private final Defaulter<T> defaulter;

    public MutatingEndpoint(String path, Class<T> type, Defaulter<T> defaulter) {
        this.path = path;
        this.type = new ResourceType<>(type);
        this.defaulter = defaulter;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public AdmissionResponse review(ReviewRequest review) {
        return defaults(review).response();
    }

    /** The response together with the defaulted object, for the review CLI. */
    public Mutation mutate(ReviewRequest review) {
        Defaults defaults = defaults(review);
        if (defaults.patch() == null) {
            return new Mutation(defaults.response(), review.object());
        }
        return new Mutation(defaults.response(), io.fabric8.zjsonpatch.JsonPatch.apply(defaults.patch(), review.object()));
    }

    /** The answer and, when defaulting added anything, its patch (the server sends it, never applies it). */
    private Defaults defaults(ReviewRequest review) {
        String uid = review.request().getUid();
        AdmissionContext context = TypedReview.context(review.request());
        String mismatch = type.mismatch(review.request().getKind());
        if (mismatch == null) mismatch = TypedReview.foreignObject(review, type);
        if (mismatch != null) {
            return new Defaults(Responses.badRequest(uid, mismatch), null);
        }
        if (context.operation() != Operation.CREATE && context.operation() != Operation.UPDATE) {
            return new Defaults(Responses.allowed(uid, List.of()), null);
        }
        if (review.object() == null) {
            return new Defaults(Responses.badRequest(uid, "the review has no request.object to default"), null);
        }
        T object;
        try {
            object = TypedReview.decode(review.object(), type, "request.object");
        } catch (TypedReview.UndecodableException e) {
            return new Defaults(Responses.badRequest(uid, e.getMessage()), null);
        }
        JsonNode before = TypedReview.tree(object);
        List<String> warnings = defaulter.applyDefaults(object, context);
        JsonNode patch = DefaultingPatch.between(review.object(), before, TypedReview.tree(object));
        if (patch.isEmpty()) {
            return new Defaults(Responses.allowed(uid, warnings), null);
        }
        return new Defaults(Responses.patched(uid, warnings, patch.toString()), patch);
    }

    private record Defaults(AdmissionResponse response, JsonNode patch) {
    }

    /** @param defaulted the request object with the patch applied */
    public record Mutation(AdmissionResponse response, JsonNode defaulted) {
    }
}
