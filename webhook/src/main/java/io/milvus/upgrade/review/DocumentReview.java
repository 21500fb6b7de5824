package io.milvus.upgrade.review;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The verdict on one document and what explains it.
 *
 * @param operation CREATE or UPDATE (matched in {@code --old}); null when not reviewed
 * @param message why it was denied, skipped or unreadable; null when admitted
 * @param patch the defaulting JSON Patch (MilvusUpgrade), or null
 * @param object the object as it would be stored (defaults applied), or null when not reviewed
 */
public record DocumentReview(DocumentRef ref, ObjectKey key, Outcome outcome, String operation, String message,
                             List<Cause> causes, List<String> warnings, JsonNode patch, JsonNode object) {

    public DocumentReview {
        causes = List.copyOf(causes);
        warnings = List.copyOf(warnings);
    }

    /** One broken rule: the field, Kubernetes' reason ({@code FieldValueInvalid}, ...) and the message. */
    public record Cause(String field, String reason, String message) {
    }

    static DocumentReview notReviewed(DocumentRef ref, ObjectKey key, Outcome outcome, String message) {
        return new DocumentReview(ref, key, outcome, null, message, List.of(), List.of(), null, null);
    }

    static DocumentReview unreadable(ManifestEntry.Unreadable entry) {
        return notReviewed(entry.ref(), null, Outcome.UNREADABLE, entry.reason());
    }

    /** What the document is, for a report line: "MilvusUpgrade default/my-release-upgrade", or its position alone. */
    public String subject() {
        return key == null ? ref.toString() : key.toString();
    }

    /** Whether this document fails the run: denied, unreadable, or warned under {@code --strict}. */
    public boolean fails(boolean strict) {
        return outcome == Outcome.DENIED || outcome == Outcome.UNREADABLE || (strict && outcome == Outcome.WARNED);
    }
}
