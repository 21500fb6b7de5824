package io.milvus.upgrade.conversion;

/** The envelope both directions share: a ConversionReview of {@code apiextensions.k8s.io/v1}. */
final class ConversionReview {

    static final String API_VERSION = "apiextensions.k8s.io/v1";
    static final String KIND = "ConversionReview";

    private ConversionReview() {
    }
}
