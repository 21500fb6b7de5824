package io.milvus.upgrade.admission;

import io.milvus.upgrade.verdict.Verdict;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;

/** Runs a {@link Validator} for the request's operation and turns its verdict into a response. */
public final class ValidatingEndpoint<T extends HasMetadata> implements AdmissionEndpoint {

    private final String path;
    private final ResourceType<T> type;
    private final Validator<T> validator;

    public ValidatingEndpoint(String path, Class<T> type, Validator<T> validator) {
        this.path = path;
        this.type = new ResourceType<>(type);
        this.validator = validator;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public AdmissionResponse review(ReviewRequest review) {
        String uid = review.request().getUid();
        AdmissionContext context = TypedReview.context(review.request());
        String mismatch = type.mismatch(review.request().getKind());
        if (mismatch == null) mismatch = TypedReview.foreignObject(review, type);
        if (mismatch != null) {
            return Responses.badRequest(uid, mismatch);
        }
        Verdict verdict;
        try {
            verdict = switch (context.operation()) {
                case CREATE -> validator.validateCreate(required(review, false), context);
                case UPDATE -> validator.validateUpdate(required(review, true), required(review, false), context);
                case DELETE -> review.oldObject() == null ? Verdict.allowed()
                        : validator.validateDelete(TypedReview.decode(review.oldObject(), type, "request.oldObject"), context);
                case CONNECT -> Verdict.allowed();
            };
        } catch (TypedReview.UndecodableException e) {
            return Responses.badRequest(uid, e.getMessage());
        }
        if (verdict.isAllowed()) {
            return Responses.allowed(uid, verdict.warnings());
        }
        return Responses.invalid(uid, type, nameOf(review, context), verdict.errors(), verdict.warnings());
    }

    /** The request's name, or for a create with generateName, the prefix the object names. */
    private static String nameOf(ReviewRequest review, AdmissionContext context) {
        if (context.name() != null && !context.name().isEmpty()) return context.name();
        var metadata = review.object() == null ? null : review.object().path("metadata");
        if (metadata == null) return "";
        String name = metadata.path("name").asText("");
        return name.isEmpty() ? metadata.path("generateName").asText("") : name;
    }

    private T required(ReviewRequest review, boolean old) throws TypedReview.UndecodableException {
        String what = old ? "request.oldObject" : "request.object";
        var raw = old ? review.oldObject() : review.object();
        if (raw == null) {
            throw new TypedReview.UndecodableException("the review has no " + what + " to validate");
        }
        return TypedReview.decode(raw, type, what);
    }
}
