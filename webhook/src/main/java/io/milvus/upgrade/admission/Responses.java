package io.milvus.upgrade.admission;

import io.milvus.upgrade.verdict.FieldError;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** AdmissionResponses shaped the way kubectl and the apiserver present them. */
final class Responses {

    private Responses() {
    }

    static AdmissionResponse allowed(String uid, List<String> warnings) {
        return base(uid, warnings).withAllowed(true).build();
    }

    static AdmissionResponse patched(String uid, List<String> warnings, String jsonPatch) {
        return base(uid, warnings).withAllowed(true)
                .withPatchType("JSONPatch")
                .withPatch(Base64.getEncoder().encodeToString(jsonPatch.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** 422 Invalid with one cause per field error, worded like {@code apierrors.NewInvalid}. */
    static AdmissionResponse invalid(String uid, ResourceType<?> type, String name, List<FieldError> errors, List<String> warnings) {
        List<StatusCause> causes = errors.stream().map(e -> new StatusCauseBuilder()
                .withReason(e.type().reason()).withField(e.field()).withMessage(e.message()).build()).toList();
        String all = errors.size() == 1 ? errors.get(0).toString()
                : errors.stream().map(FieldError::toString).collect(Collectors.joining(", ", "[", "]"));
        Status status = new StatusBuilder()
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(type.qualifiedKind() + " \"" + (name == null ? "" : name) + "\" is invalid: " + all)
                .withNewDetails().withGroup(type.group()).withKind(type.kind()).withName(name).withCauses(causes).endDetails()
                .build();
        return base(uid, warnings).withAllowed(false).withStatus(status).build();
    }

    /** 400 BadRequest: the review names an object this endpoint cannot read. */
    static AdmissionResponse badRequest(String uid, String message) {
        Status status = new StatusBuilder().withStatus("Failure").withCode(400).withReason("BadRequest").withMessage(message).build();
        return base(uid, List.of()).withAllowed(false).withStatus(status).build();
    }

    private static AdmissionResponseBuilder base(String uid, List<String> warnings) {
        AdmissionResponseBuilder builder = new AdmissionResponseBuilder().withUid(uid);
        return warnings.isEmpty() ? builder : builder.withWarnings(warnings);
    }
}
