package io.milvus.upgrade.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The templates' matchConditions evaluated as CEL, with the variables the apiserver gives them
 * ({@code request}, {@code object}, {@code oldObject}): which writes still reach the webhooks.
 * Kubernetes' CEL environment has more functions than the standard one; these expressions use
 * none of them, so the standard environment judges them as the apiserver would.
 */
class MatchConditionsCelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("request", SimpleType.DYN).addVar("object", SimpleType.DYN).addVar("oldObject", SimpleType.DYN).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private static final String UPGRADE = """
            {"metadata":{"name":"u","namespace":"default","labels":{"milvus-upgrade.io/milvus-name":"m"}},
             "spec":{"milvus":{"name":"m"},"sourceVersion":"2.1.4","targetVersion":"2.2.0","maxRetry":3}}""";
    private static final String MILVUS = """
            {"metadata":{"name":"m","namespace":"default"},"spec":{"mode":"standalone","components":{"image":"milvusdb/milvus:v2.1.4","replicas":1}}}""";

    /** Whether the webhook named {@code webhook} is called for this request: every condition true. */
    private static boolean called(String webhook, String operation, String oldObject, String object) throws Exception {
        Map<String, Object> variables = new HashMap<>();
        variables.put("request", Map.of("operation", operation));
        variables.put("object", object == null ? null : longs(JSON.readValue(object, Map.class)));
        variables.put("oldObject", oldObject == null ? null : longs(JSON.readValue(oldObject, Map.class)));
        for (MatchCondition condition : conditions(webhook)) {
            Object result = RUNTIME.createProgram(COMPILER.compile(condition.getExpression()).getAst()).eval(variables);
            if (!Boolean.TRUE.equals(result)) return false;
        }
        return true;
    }

    /** CEL's integers are 64-bit: JSON's small numbers as longs. */
    private static Object longs(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, longs(v)));
            return copy;
        }
        if (value instanceof List<?> list) return list.stream().map(MatchConditionsCelTest::longs).toList();
        if (value instanceof Integer i) return i.longValue();
        return value;
    }

    private static List<MatchCondition> conditions(String webhook) throws Exception {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("manifests/webhook-configurations");
        for (String file : List.of("mutating.yaml", "validating.yaml")) {
            try (InputStream in = Files.newInputStream(dir.resolve(file)); var client = new KubernetesClientBuilder().build()) {
                HasMetadata configuration = client.load(in).items().getFirst();
                var webhooks = configuration instanceof MutatingWebhookConfiguration m
                        ? m.getWebhooks().stream().filter(w -> w.getName().equals(webhook)).map(w -> w.getMatchConditions())
                        : ((ValidatingWebhookConfiguration) configuration).getWebhooks().stream()
                                .filter(w -> w.getName().equals(webhook)).map(w -> w.getMatchConditions());
                var found = webhooks.findFirst();
                if (found.isPresent()) return found.get();
            }
        }
        throw new AssertionError("no webhook " + webhook);
    }

    private static String with(String json, String from, String to) {
        assertThat(json).contains(from);
        return json.replace(from, to);
    }

    @Test
    void milvusUpgradeWebhooksSkipOnlyUpdatesThatKeepSpecAndLabels() throws Exception {
        for (String webhook : List.of("mmilvusupgrade.milvus.io", "vmilvusupgrade.milvus.io")) {
            assertThat(called(webhook, "CREATE", null, UPGRADE)).as(webhook + ": create").isTrue();
            String recorded = with(UPGRADE, "\"labels\"", "\"annotations\":{\"milvus.io/upgrade-record\":\"{}\"},\"finalizers\":[\"f\"],\"labels\"");
            assertThat(called(webhook, "UPDATE", UPGRADE, recorded)).as(webhook + ": the controller's record and finalizer").isFalse();
            assertThat(called(webhook, "UPDATE", UPGRADE, with(UPGRADE, "\"maxRetry\":3", "\"maxRetry\":4"))).as(webhook + ": a spec change").isTrue();
            assertThat(called(webhook, "UPDATE", UPGRADE, with(UPGRADE, "milvus-name\":\"m\"", "milvus-name\":\"x\""))).as(webhook + ": a label change").isTrue();
            String unlabelled = with(UPGRADE, ",\"labels\":{\"milvus-upgrade.io/milvus-name\":\"m\"}", "");
            assertThat(called(webhook, "UPDATE", unlabelled, unlabelled)).as(webhook + ": no labels on either side").isFalse();
            assertThat(called(webhook, "UPDATE", unlabelled, UPGRADE)).as(webhook + ": labels added").isTrue();
            String noSpec = "{\"metadata\":{\"name\":\"u\"}}";
            assertThat(called(webhook, "UPDATE", noSpec, noSpec)).as(webhook + ": no spec at all is called, never an evaluation error").isTrue();
        }
    }

    @Test
    void theGuardSkipsOnlyUpdatesThatKeepTheSpec() throws Exception {
        String webhook = "vmilvus.milvus.io";
        assertThat(called(webhook, "CREATE", null, MILVUS)).isTrue();
        assertThat(called(webhook, "UPDATE", MILVUS, with(MILVUS, "\"namespace\":\"default\"}", "\"namespace\":\"default\",\"annotations\":{\"a\":\"b\"}}")))
                .as("an annotation").isFalse();
        assertThat(called(webhook, "UPDATE", MILVUS, with(MILVUS, "v2.1.4", "v2.2.0"))).as("an image change").isTrue();
        assertThat(called(webhook, "UPDATE", MILVUS, with(MILVUS, "\"replicas\":1", "\"replicas\":0"))).as("the controller stopping Milvus").isTrue();
    }
}
