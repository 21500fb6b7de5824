package io.milvus.upgrade.conversion;

import io.milvus.upgrade.admission.BadReviewException;

/** Converts Milvus objects between v1alpha1 and v1beta1 for the apiserver (ConversionReview v1). */
public final class ConversionWebhook {

    public static final String PATH = "/convert";

    /**
     * Answers a ConversionReview; a review that cannot be converted gets {@code result.status: Failed}.
     *
     * @throws BadReviewException when the body is not a ConversionReview at all (HTTP 400)
     */
    public byte[] handle(byte[] body) throws BadReviewException {
        throw new BadReviewException("conversion is not implemented yet");
    }
}
