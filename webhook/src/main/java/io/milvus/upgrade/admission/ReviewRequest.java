package io.milvus.upgrade.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;

/**
 * A decoded AdmissionReview: the envelope typed, the objects kept as the raw trees the apiserver
 * sent, so that the defaulting patch is computed against exactly what the user wrote.
 *
 * @param apiVersion the review's own version, answered in kind
 * @param request    the request without {@code object} and {@code oldObject}
 * @param object     {@code request.object}, or null
 * @param oldObject  {@code request.oldObject}, or null
 */
public record ReviewRequest(String apiVersion, AdmissionRequest request, JsonNode object, JsonNode oldObject) {
}
