package io.milvus.upgrade.review;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One document read from the input: an object to review, or why it could not be read. */
public sealed interface ManifestEntry {

    DocumentRef ref();

    record Parsed(DocumentRef ref, ObjectNode object) implements ManifestEntry {
    }

    record Unreadable(DocumentRef ref, String reason) implements ManifestEntry {
    }
}
