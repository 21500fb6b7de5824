package io.milvus.upgrade.edge;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.Set;
import net.logstash.logback.mask.ValueMasker;

/**
 * Cuts a long string field of a JSON log line as {@link LogValue} cuts it in text, so that a
 * 7 MiB uid in a request is not 7 MiB of log in either format. Stack traces and free-text
 * messages (the libraries' own lines) are left whole.
 */
public final class CutLongValues implements ValueMasker {

    private static final Set<String> WHOLE = Set.of("stack_trace", "message");

    @Override
    public Object mask(JsonStreamContext context, Object value) {
        if (value instanceof CharSequence text && text.length() > LogValue.MAX_LENGTH && !WHOLE.contains(context.getCurrentName())) {
            return LogValue.cut(text);
        }
        return null;
    }
}
