package io.milvus.upgrade.review;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * JUnit XML, as CI dashboards read it (and as kubeconform writes it): a test suite per file, a
 * test case per document; denied is a {@code failure}, unreadable an {@code error}, skipped
 * {@code skipped}; warnings go to {@code system-out}, and are a {@code failure} under --strict.
 * Written with the JDK's StAX writer, which does the escaping.
 */
final class JUnitReport implements ReportFormat.Writer {

    @Override
    public void write(ReviewReport report, PrintWriter out) throws IOException {
        Map<String, List<DocumentReview>> bySource = report.documents().stream()
                .collect(Collectors.groupingBy(d -> d.ref().source(), LinkedHashMap::new, Collectors.toList()));
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeAttribute("name", "milvus-webhook review");
            counts(xml, report.documents(), report.strict());
            for (var suite : bySource.entrySet()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testsuite");
                xml.writeAttribute("name", suite.getKey());
                counts(xml, suite.getValue(), report.strict());
                for (DocumentReview document : suite.getValue()) testCase(xml, document, report.strict());
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write the JUnit report: " + e.getMessage(), e);
        }
    }

    private static void counts(XMLStreamWriter xml, List<DocumentReview> documents, boolean strict) throws XMLStreamException {
        long errors = documents.stream().filter(d -> d.outcome() == Outcome.UNREADABLE).count();
        long failures = documents.stream().filter(d -> d.fails(strict)).count() - errors;
        xml.writeAttribute("tests", String.valueOf(documents.size()));
        xml.writeAttribute("failures", String.valueOf(failures));
        xml.writeAttribute("errors", String.valueOf(errors));
        xml.writeAttribute("skipped", String.valueOf(documents.stream().filter(d -> d.outcome() == Outcome.SKIPPED).count()));
    }

    private static void testCase(XMLStreamWriter xml, DocumentReview document, boolean strict) throws XMLStreamException {
        xml.writeCharacters("\n    ");
        xml.writeStartElement("testcase");
        String position = document.ref().position();
        xml.writeAttribute("classname", document.ref().source());
        xml.writeAttribute("name", (position.isEmpty() ? "" : position + ": ") + (document.key() == null ? "(unreadable)" : document.key().toString()));
        switch (document.outcome()) {
            case DENIED -> element(xml, "failure", "denied", document.message(), document.causes().stream()
                    .map(c -> (c.field() == null ? "" : c.field() + ": ") + c.message()).collect(Collectors.joining("\n")));
            case UNREADABLE -> element(xml, "error", "unreadable", document.message(), null);
            case SKIPPED -> element(xml, "skipped", null, document.message(), null);
            case WARNED -> {
                if (strict) element(xml, "failure", "warning", "warnings fail under --strict", String.join("\n", document.warnings()));
            }
            case ALLOWED -> { }
        }
        if (!document.warnings().isEmpty()) {
            xml.writeStartElement("system-out");
            xml.writeCharacters(document.warnings().stream().map(w -> "warning: " + w).collect(Collectors.joining("\n")));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static void element(XMLStreamWriter xml, String name, String type, String message, String body) throws XMLStreamException {
        xml.writeStartElement(name);
        if (type != null) xml.writeAttribute("type", type);
        if (message != null) xml.writeAttribute("message", message);
        if (body != null && !body.isEmpty()) xml.writeCharacters(body);
        xml.writeEndElement();
    }
}
