package io.milvus.upgrade.admission;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;

/** One webhook path. The HTTP layer knows nothing else about what it serves. */
public interface AdmissionEndpoint {

    /** The URL path, e.g. {@code /validate-milvus-io-v1beta1-milvus}. */
    String path();

    /** Answers the review; problems with its content become denials, never exceptions. */
    AdmissionResponse review(ReviewRequest review);
}
