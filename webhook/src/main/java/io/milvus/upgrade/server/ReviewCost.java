package io.milvus.upgrade.server;

import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.JsonShape;
import io.milvus.upgrade.admission.ReviewBody;

/**
 * What a review will hold on the heap while it is answered, estimated from the shape of its JSON
 * before it is decoded, so that the memory budget can refuse or queue it first.
 */
enum ReviewCost {

    /** The request tree, the typed objects and the defaulted tree for the patch. */
    ADMISSION(3),
    /** One object's tree and its converted copy at a time, and the answer streamed out. */
    CONVERSION(2);

    /**
     * What decoding one string costs beyond the string itself, per character: the parser builds it
     * in segments of chars (2 bytes each), joins them into one array, then makes the String.
     * Measured: a 6.5 MB string in a review of a 64 MiB heap ran it out of memory (issue 27)
     * while its trees, as counted, fit in the budget; a single string dominates such a review.
     */
    private static final int STRING_DECODING_BYTES_PER_CHAR = 5;

    /** Trees the review holds beyond its body, per node of its JSON. */
    private final int trees;

    ReviewCost(int trees) {
        this.trees = trees;
    }

    /**
     * The heap the review's body costs: the body itself and the pieces it was read in, its trees,
     * and decoding its longest string.
     *
     * @throws BadReviewException when the body is no JSON (HTTP 400)
     */
    long of(byte[] body) throws BadReviewException {
        JsonShape shape = ReviewBody.shape(body, "a review");
        long held = 2L * body.length + STRING_DECODING_BYTES_PER_CHAR * shape.longestText();
        return switch (this) {
            case ADMISSION -> held + trees * shape.treeBytes();
            // The conversion answer is written as objects convert, and a converted object that
            // v1alpha1 cannot express carries the rest as JSON text in an annotation: one more copy.
            case CONVERSION -> held + body.length + trees * shape.largestElementTreeBytes() + shape.longestText();
        };
    }
}
