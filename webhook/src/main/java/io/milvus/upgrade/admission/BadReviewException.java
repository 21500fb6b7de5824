package io.milvus.upgrade.admission;

/** The request is not an AdmissionReview one can answer (HTTP 400), not a denial. */
public class BadReviewException extends Exception {

    public BadReviewException(String message) {
        super(message);
    }
}
