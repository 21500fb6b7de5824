package io.milvus.upgrade.log;

import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The start of every log line of ours: an event name, then the caller's key-value pairs
 * ({@code addKeyValue}), so that the text and JSON formats carry the same fields without
 * either being written by hand. The event is also the message, for readers that show only that.
 */
public final class LogEvent {

    public static final String EVENT = "event";

    private LogEvent() {
    }

    public static LoggingEventBuilder info(Logger log, String event) {
        return log.atInfo().setMessage(event).addKeyValue(EVENT, event);
    }

    public static LoggingEventBuilder warn(Logger log, String event) {
        return log.atWarn().setMessage(event).addKeyValue(EVENT, event);
    }

    public static LoggingEventBuilder error(Logger log, String event) {
        return log.atError().setMessage(event).addKeyValue(EVENT, event);
    }
}
