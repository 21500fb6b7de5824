package io.milvus.upgrade.review;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line per document (verdict, where, what), then its causes, warnings and defaulting patch
 * indented below it, and a summary. Unreadable documents are on stderr too, one line each.
 */
final class TextReport implements ReportFormat.Writer {

    @Override
    public void write(ReviewReport report, PrintWriter out) {
        for (DocumentReview document : report.documents()) {
            String label = document.fails(report.strict()) && document.outcome() == Outcome.WARNED ? "FAILED" : document.outcome().name();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s %s", label, document.ref()));
            if (document.key() != null) line.append(": ").append(document.key());
            if (document.operation() != null) line.append(" (").append(document.operation().toLowerCase(Locale.ROOT)).append(')');
            if (document.message() != null && document.outcome() != Outcome.DENIED) line.append(": ").append(document.message());
            out.println(line);
            if (document.outcome() == Outcome.DENIED) {
                if (document.causes().isEmpty()) out.println("  denied: " + document.message());
                document.causes().forEach(c -> out.println("  denied: " + (c.field() == null ? "" : c.field() + ": ") + c.message()));
            }
            document.warnings().forEach(w -> out.println("  warning: " + w));
            if (document.patch() != null) {
                for (JsonNode op : document.patch()) {
                    out.println("  default: " + op.path("path").asText() + " = " + op.path("value"));
                }
            }
        }
        out.println(report.summary());
    }
}
