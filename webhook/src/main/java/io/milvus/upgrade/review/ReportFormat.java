package io.milvus.upgrade.review;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** {@code -o text|json|junit}: for people, for scripts (jq), for CI dashboards. */
public enum ReportFormat {
    TEXT(new TextReport()),
    JSON(new JsonReport()),
    JUNIT(new JUnitReport());

    /** Writes a report to standard output. */
    public interface Writer {
        void write(ReviewReport report, PrintWriter out) throws IOException;
    }

    private final Writer writer;

    ReportFormat(Writer writer) {
        this.writer = writer;
    }

    public void write(ReviewReport report, PrintWriter out) throws IOException {
        writer.write(report, out);
        out.flush();
    }

    /** For picocli: {@code -o junit}. */
    public static ReportFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown output format '" + name + "'; expected text, json or junit");
        }
    }
}
