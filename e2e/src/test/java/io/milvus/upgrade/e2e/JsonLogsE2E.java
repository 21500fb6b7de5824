package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --log-format json} on both programs, as run (the jars, a real apiserver): every line
 * they write is one JSON object, and an admission decision carries the fields its text line names.
 */
class JsonLogsE2E {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What every line of ours has in JSON, whichever program wrote it. */
    private static final Set<String> EVERY_LINE = Set.of("time", "level", "logger", "message", "event");

    @Test
    void bothProgramsWriteOneJsonObjectPerLineWithTheTextFormatsFieldNames(@TempDir Path dir) throws IOException {
        try (ControlPlane plane = ControlPlane.start(dir.resolve("plane")); LocalStack stack = LocalStack.start(plane, dir.resolve("stack"))) {
            Path webhookLog = stack.dir().resolve("webhook.log");
            dryRunAnUpgrade(stack, "in-text");
            String textDecision = awaitLine(webhookLog, 0, "event=admission ");

            stack.stopWebhook();
            long jsonFrom = Files.size(webhookLog);
            stack.startWebhook(List.of("--log-format", "json"));
            stack.startController(List.of("--log-format", "json"));
            dryRunAnUpgrade(stack, "in-json");
            String jsonDecision = awaitLine(webhookLog, jsonFrom, "\"event\":\"admission\"");
            awaitLine(stack.dir().resolve("controller.log"), 0, "\"event\":\"controller_started\"");

            List<JsonNode> webhookLines = jsonLines(webhookLog, jsonFrom);
            List<JsonNode> controllerLines = jsonLines(stack.dir().resolve("controller.log"), 0);
            assertThat(webhookLines).filteredOn(line -> line.has("event")).allSatisfy(line -> assertThat(fields(line)).containsAll(EVERY_LINE));
            assertThat(controllerLines).filteredOn(line -> line.has("event")).allSatisfy(line -> assertThat(fields(line)).containsAll(EVERY_LINE))
                    .extracting(line -> line.path("event").asText()).contains("policy_loaded", "campaigning", "leading", "controller_started");

            JsonNode decision = JSON.readTree(jsonDecision);
            assertThat(fields(decision)).as("the JSON decision's fields: the text line's keys and the line's own")
                    .containsAll(textKeys(textDecision)).containsAll(EVERY_LINE);
            assertThat(decision.path("allowed").isBoolean()).isTrue();
            assertThat(decision.path("latency_ms").isNumber()).isTrue();
            assertThat(decision.path("name").asText()).isEqualTo("in-json");
            assertThat(decision.path("logger").asText()).isEqualTo("WebhookServer");
        }
    }

    private static void dryRunAnUpgrade(LocalStack stack, String name) {
        Kubectl.Result applied = Kubectl.run(stack.kubeconfig(), WebhookE2E.upgradeYaml(name, "default", "not-there", "2.1.4", "2.2.0", ""),
                "apply", "--dry-run=server", "-f", "-");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
    }

    /** The first line from {@code offset} on that holds {@code text}, once the program has written it. */
    private static String awaitLine(Path log, long offset, String text) {
        String[] found = new String[1];
        Poll.until(Duration.ofSeconds(60), text + " in " + log, () -> {
            found[0] = linesFrom(log, offset).stream().filter(line -> line.contains(text)).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** Every line from {@code offset} on, each parsed: one that is not a JSON object fails the test. */
    private static List<JsonNode> jsonLines(Path log, long offset) {
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : linesFrom(log, offset)) {
            try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as("a JSON object: " + line).isTrue();
                parsed.add(node);
            } catch (IOException e) {
                throw new AssertionError(log.getFileName() + ": not one JSON object: " + line, e);
            }
        }
        assertThat(parsed).as(log + " from byte " + offset).isNotEmpty();
        return parsed;
    }

    private static List<String> linesFrom(Path log, long offset) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            return new String(bytes, (int) offset, bytes.length - (int) offset, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> fields(JsonNode line) {
        Set<String> names = new LinkedHashSet<>();
        line.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** {@code ... - event=admission path=/x uid=... latency_ms=1.2}: the keys after the dash. */
    private static Set<String> textKeys(String line) {
        String pairs = line.substring(line.indexOf(" - ") + 3);
        Set<String> keys = new LinkedHashSet<>();
        Arrays.stream(pairs.split(" (?=[a-z_]+=)")).forEach(pair -> keys.add(pair.substring(0, pair.indexOf('='))));
        assertThat(keys).as(line).contains("event", "path", "uid", "allowed", "latency_ms");
        return keys;
    }
}
