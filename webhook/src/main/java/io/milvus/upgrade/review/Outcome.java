package io.milvus.upgrade.review;

/** A document's verdict, from best to worst. */
public enum Outcome {
    /** Admitted without warnings. */
    ALLOWED,
    /** Admitted with warnings; a failure under {@code --strict}. */
    WARNED,
    /** Not a milvus.io object, or a version reviewed only after conversion: not ours to judge. */
    SKIPPED,
    /** Refused, with causes. */
    DENIED,
    /** Not YAML, not an object, a malformed object, or an unknown milvus.io kind. */
    UNREADABLE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
