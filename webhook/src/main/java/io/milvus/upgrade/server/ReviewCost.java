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

    /** Trees the review holds beyond its body, per node of its JSON. */
    private final int trees;

    ReviewCost(int trees) {
        this.trees = trees;
    }

    /**
     * The heap the review's body costs: the body itself and the pieces it was read in, plus its trees.
     *
     * @throws BadReviewException when the body is no JSON (HTTP 400)
     */
    long of(byte[] body) throws BadReviewException {
        JsonShape shape = ReviewBody.shape(body, "a review");
        long held = 2L * body.length;
        return switch (this) {
            case ADMISSION -> held + trees * shape.treeBytes();
            case CONVERSION -> held + body.length + trees * shape.largestElementTreeBytes();
        };
    }
}
