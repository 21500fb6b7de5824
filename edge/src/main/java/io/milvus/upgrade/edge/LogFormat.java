package io.milvus.upgrade.edge;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code --log-format} of both programs. Text is what {@code logback.xml} configures at start-up
 * (or a test's {@code logback-test.xml}); JSON replaces that configuration with
 * {@code logback-json.xml}, whose fields have the text format's names.
 */
public enum LogFormat {
    TEXT,
    JSON;

    public static final String OPTION_DESCRIPTION = "text (key=value) or json, one object per line, the same field names (default: text)";

    /** Called once the command line is read, before the program logs anything of its own. */
    public void apply() {
        if (this == TEXT) return;
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new IllegalStateException("--log-format json needs Logback as the SLF4J provider, not " + factory.getClass().getName());
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(LogFormat.class.getResource("/logback-json.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("logback-json.xml: " + e.getMessage(), e);
        }
    }

    /** Accepts {@code text} and {@code json} in any case. */
    public static final class Converter implements CommandLine.ITypeConverter<LogFormat> {
        @Override
        public LogFormat convert(String value) {
            try {
                return LogFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a log format: text or json");
            }
        }
    }
}
