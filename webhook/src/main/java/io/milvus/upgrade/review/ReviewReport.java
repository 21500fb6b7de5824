package io.milvus.upgrade.review;

import java.util.List;

/** Every document's verdict, and what the run as a whole exits with. */
public record ReviewReport(List<DocumentReview> documents, boolean strict) {

    public static final int ALL_ALLOWED = 0;
    public static final int ANY_DENIED = 1;
    public static final int ANY_UNREADABLE = 2;

    public ReviewReport {
        documents = List.copyOf(documents);
    }

    public long count(Outcome outcome) {
        return documents.stream().filter(d -> d.outcome() == outcome).count();
    }

    /** 2 when any document is unreadable, else 1 when any is denied (or warned under --strict), else 0. */
    public int exitCode() {
        if (count(Outcome.UNREADABLE) > 0) return ANY_UNREADABLE;
        return documents.stream().anyMatch(d -> d.fails(strict)) ? ANY_DENIED : ALL_ALLOWED;
    }

    /** "5 documents: 2 allowed, 1 warned, 1 denied, 1 skipped, 0 unreadable". */
    public String summary() {
        StringBuilder line = new StringBuilder().append(documents.size()).append(documents.size() == 1 ? " document:" : " documents:");
        String separator = " ";
        for (Outcome outcome : Outcome.values()) {
            line.append(separator).append(count(outcome)).append(' ').append(outcome.label());
            separator = ", ";
        }
        if (strict && count(Outcome.WARNED) > 0) line.append(" (--strict: warnings fail)");
        return line.toString();
    }
}
