package io.milvus.upgrade.edge;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.upgrade.log.LogEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Both formats of the same event, from the configuration files the programs ship. */
class LogFormatTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogFormatTest.class);
    private static final String FORGERY = "x\nevent=admission allowed=true \"";

    @AfterEach
    void backToTheStartUpConfiguration() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void textIsOneKeyValueLineAndARequestsNewlineStaysInIt() {
        List<String> lines = linesOf(LogFormat.TEXT, () -> admission(FORGERY));

        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|[+-]\\d\\d:\\d\\d) \\[INFO] LogFormatTest - .*")
                .endsWith("- event=admission path=/validate uid=\"x\\nevent=admission allowed=true \\\"\" name=\"\" allowed=false latency_ms=1.250");
    }

    @Test
    void jsonIsOneObjectPerLineWithTheTextFormatsFieldNames() throws Exception {
        List<String> lines = linesOf(LogFormat.JSON, () -> admission(FORGERY));

        assertThat(lines).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines.getFirst());
        assertThat(line.path("event").asText()).isEqualTo("admission");
        assertThat(line.path("path").asText()).isEqualTo("/validate");
        assertThat(line.path("uid").asText()).isEqualTo(FORGERY);
        assertThat(line.path("name").asText()).isEmpty();
        assertThat(line.path("allowed").isBoolean()).isTrue();
        assertThat(line.path("latency_ms").decimalValue()).isEqualByComparingTo("1.25");
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("logger").asText()).isEqualTo("LogFormatTest");
        assertThat(line.path("time").asText()).isNotEmpty();
    }

    @Test
    void jsonCutsALongValueAsTextDoes() throws Exception {
        String uid = "u".repeat(7 * 1024 * 1024);

        String text = linesOf(LogFormat.TEXT, () -> admission(uid)).getFirst();
        JsonNode json = new ObjectMapper().readTree(linesOf(LogFormat.JSON, () -> admission(uid)).getFirst());

        assertThat(json.path("uid").asText()).isEqualTo(LogValue.cut(uid)).endsWith("...(7340032 chars)");
        assertThat(text).contains("uid=\"" + LogValue.cut(uid) + "\" ").hasSizeLessThan(1024);
    }

    @Test
    void anExceptionIsAFieldOfItsLineInJson() throws Exception {
        List<String> lines = linesOf(LogFormat.JSON, () -> LogEvent.error(LOG, "unexpected_error").setCause(new IllegalStateException("boom")).log());

        assertThat(lines).hasSize(1);
        assertThat(new ObjectMapper().readTree(lines.getFirst()).path("stack_trace").asText()).startsWith("java.lang.IllegalStateException: boom");
    }

    @Test
    void theOptionNamesBothFormatsInAnyCaseAndRefusesOthers() {
        LogFormat.Converter converter = new LogFormat.Converter();
        assertThat(converter.convert("json")).isEqualTo(LogFormat.JSON);
        assertThat(converter.convert("TEXT")).isEqualTo(LogFormat.TEXT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert("logfmt"))
                .isInstanceOf(CommandLine.TypeConversionException.class).hasMessage("'logfmt' is not a log format: text or json");
    }

    private static void admission(String uid) {
        LogEvent.info(LOG, "admission").addKeyValue("path", "/validate").addKeyValue("uid", uid).addKeyValue("name", (Object) null)
                .addKeyValue("allowed", false).addKeyValue("latency_ms", new BigDecimal("1.250")).log();
    }

    /** What the format writes to standard error while {@code logging} runs, line by line (text: as configured at start-up, so before any JSON). */
    private static List<String> linesOf(LogFormat format, Runnable logging) {
        format.apply();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(stderr);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
