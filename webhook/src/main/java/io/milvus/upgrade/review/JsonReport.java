package io.milvus.upgrade.review;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code {"documents": [...], "summary": {...}}}: each document with its source, position, kind,
 * namespace, name, operation, verdict, message, causes, warnings, patch and defaulted object.
 */
final class JsonReport implements ReportFormat.Writer {

    private static final ObjectMapper JSON = ApiSerialization.json().copy().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void write(ReviewReport report, PrintWriter out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode documents = root.putArray("documents");
        for (DocumentReview d : report.documents()) {
            ObjectNode node = documents.addObject();
            node.put("source", d.ref().source()).put("document", d.ref().document());
            if (d.ref().item() != DocumentRef.NO_ITEM) node.put("item", d.ref().item());
            if (d.key() != null) node.put("kind", d.key().kind()).put("namespace", d.key().namespace()).put("name", d.key().name());
            if (d.operation() != null) node.put("operation", d.operation());
            node.put("verdict", d.outcome().label()).put("fails", d.fails(report.strict()));
            if (d.message() != null) node.put("message", d.message());
            ArrayNode causes = node.putArray("causes");
            d.causes().forEach(c -> causes.addObject().put("field", c.field()).put("reason", c.reason()).put("message", c.message()));
            ArrayNode warnings = node.putArray("warnings");
            d.warnings().forEach(warnings::add);
            if (d.patch() != null) node.set("patch", d.patch());
            if (d.object() != null) node.set("object", d.object());
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("documents", report.documents().size());
        for (Outcome outcome : Outcome.values()) summary.put(outcome.label(), report.count(outcome));
        summary.put("strict", report.strict()).put("exitCode", report.exitCode());
        out.println(JSON.writeValueAsString(root));
    }
}
