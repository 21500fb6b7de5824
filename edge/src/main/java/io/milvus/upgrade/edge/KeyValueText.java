package io.milvus.upgrade.edge;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %fields} of the text format: an event's key-value pairs as {@code key=value}, a
 * string quoted when it is empty or holds a space, {@code =} or an escape; a line without
 * pairs (a library's) shows its message. Values go through {@link LogValue}, so a request's
 * newline cannot start a line of its own.
 */
public final class KeyValueText extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs == null || pairs.isEmpty()) return event.getFormattedMessage();
        return pairs.stream().map(pair -> pair.key + "=" + text(pair.value)).collect(Collectors.joining(" "));
    }

    static String text(Object value) {
        if (value instanceof Number || value instanceof Boolean) return value.toString();
        String escaped = LogValue.of(value);
        boolean quoted = escaped.isEmpty() || escaped.chars().anyMatch(c -> c == ' ' || c == '=' || c == '"' || c == '\\');
        return quoted ? '"' + escaped + '"' : escaped;
    }
}
