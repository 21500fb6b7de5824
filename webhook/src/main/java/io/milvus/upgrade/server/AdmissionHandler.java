package io.milvus.upgrade.server;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.javalin.http.Context;
import io.milvus.upgrade.admission.AdmissionEndpoint;
import io.milvus.upgrade.admission.AdmissionReviewCodec;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.ReviewRequest;

/** An AdmissionReview in, the endpoint's response out in the review's own version, and its log line. */
record AdmissionHandler(AdmissionEndpoint endpoint, AdmissionReviewCodec codec) implements ReviewHandler {

    @Override
    public ReviewMetrics.Verdict handle(Context ctx, byte[] body, long startNanos) {
        ReviewRequest review;
        try {
            review = codec.decode(body);
        } catch (BadReviewException e) {
            return Refusals.badRequest(ctx, endpoint.path(), e.getMessage());
        }
        AdmissionResponse response = endpoint.review(review);
        ctx.contentType("application/json").result(codec.encode(review.apiVersion(), response));
        ReviewLog.admission(endpoint.path(), review.request(), response, startNanos);
        return Boolean.TRUE.equals(response.getAllowed()) ? ReviewMetrics.Verdict.ALLOWED : ReviewMetrics.Verdict.DENIED;
    }
}
