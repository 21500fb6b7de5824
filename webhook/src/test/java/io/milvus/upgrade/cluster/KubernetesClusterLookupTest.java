package io.milvus.upgrade.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fabric8 lookup against a canned apiserver on loopback: answers, 404, 401/403, no answer,
 * and no server at all. Real-cluster behaviour is covered by the end-to-end tests.
 */
class KubernetesClusterLookupTest {

    /** Generous: only a hang would exceed it. Deadlines under test are far shorter. */
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    private static final String MILVUS_PATH = "/apis/milvus.io/v1beta1/namespaces/default/milvuses/my-release";
    /** Listed in every namespace: an upgrade in {@code ops} may target a Milvus in {@code default}. */
    private static final String UPGRADES_PATH = "/apis/milvus.io/v1beta1/milvusupgrades";

    private final Map<String, Response> responses = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private KubernetesClient client;
    private KubernetesClusterLookup lookup;

    private record Response(int code, String body, boolean hang) {
    }

    private KubernetesClusterLookup lookupAgainstCannedServer(Duration timeout) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return lookupAt("http://127.0.0.1:" + server.getAddress().getPort(), timeout);
    }

    private KubernetesClusterLookup lookupAt(String url, Duration timeout) {
        return lookupAt(url, timeout, 0);
    }

    private KubernetesClusterLookup lookupAt(String url, Duration timeout, int retries) {
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty()).withMasterUrl(url)
                        .withRequestRetryBackoffLimit(retries).build())
                .withKubernetesSerialization(ApiSerialization.cluster())
                .build();
        lookup = new KubernetesClusterLookup(client, timeout);
        return lookup;
    }

    private void answer(HttpExchange exchange) throws IOException {
        Response response = responses.getOrDefault(exchange.getRequestURI().getPath(), new Response(404, status(404, "NotFound"), false));
        if (response.hang()) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(response.code(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static String status(int code, String reason) {
        return """
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"%s","code":%d,"message":"canned %d"}"""
                .formatted(reason, code, code);
    }

    private static String upgradeJson(String name, String namespace, String milvusName, String milvusNamespace) {
        String ns = milvusNamespace == null ? "" : ",\"namespace\":\"" + milvusNamespace + "\"";
        return """
                {"apiVersion":"milvus.io/v1beta1","kind":"MilvusUpgrade","metadata":{"name":"%s","namespace":"%s"},
                 "spec":{"milvus":{"name":"%s"%s},"sourceVersion":"2.1.4","targetVersion":"2.2.0"},"status":{"state":"BackupMeta"}}"""
                .formatted(name, namespace, milvusName, ns);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (lookup != null) lookup.close();
        if (client != null) client.close();
        if (server != null) server.stop(0);
    }

    @Test
    void readsTheMilvus() throws IOException {
        responses.put(MILVUS_PATH, new Response(200, """
                {"apiVersion":"milvus.io/v1beta1","kind":"Milvus","metadata":{"name":"my-release","namespace":"default"},
                 "spec":{"mode":"cluster","components":{"image":"milvusdb/milvus:v2.1.4"}},
                 "status":{"status":"Healthy","currentImage":"milvusdb/milvus:v2.1.4"}}""", false));
        Lookup<Milvus> milvus = assertTimeoutPreemptively(NO_HANG, () -> lookupAgainstCannedServer(Duration.ofSeconds(5)).milvus("default", "my-release"));
        assertThat(milvus).isInstanceOfSatisfying(Lookup.Found.class, found -> {
            Milvus value = (Milvus) found.value();
            assertThat(value.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
            assertThat(value.getStatus().getCurrentImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        });
    }

    @Test
    void aMissingMilvusOrUpgradeTypeIsNotFound() throws IOException {
        KubernetesClusterLookup lookup = lookupAgainstCannedServer(Duration.ofSeconds(5));
        assertThat(assertTimeoutPreemptively(NO_HANG, () -> lookup.milvus("default", "my-release"))).isInstanceOf(Lookup.NotFound.class);
        assertThat(assertTimeoutPreemptively(NO_HANG, () -> lookup.upgradesOf("default", "my-release"))).isInstanceOf(Lookup.NotFound.class);
    }

    @Test
    void upgradesAreFilteredByTheMilvusTheyName() throws IOException {
        responses.put(UPGRADES_PATH, new Response(200, """
                {"apiVersion":"milvus.io/v1beta1","kind":"MilvusUpgradeList","metadata":{},"items":[%s,%s,%s,%s,%s,%s]}""".formatted(
                upgradeJson("defaulted-namespace", "default", "my-release", null),
                upgradeJson("explicit-namespace", "default", "my-release", "default"),
                upgradeJson("other-milvus", "default", "another", null),
                upgradeJson("other-namespace", "default", "my-release", "prod"),
                upgradeJson("from-ops", "ops", "my-release", "default"),
                upgradeJson("same-name-in-ops", "ops", "my-release", null)), false));
        Lookup<List<MilvusUpgrade>> upgrades = assertTimeoutPreemptively(NO_HANG,
                () -> lookupAgainstCannedServer(Duration.ofSeconds(5)).upgradesOf("default", "my-release"));
        assertThat(upgrades).isInstanceOfSatisfying(Lookup.Found.class, found -> assertThat(((List<?>) found.value()).stream()
                .map(u -> ((MilvusUpgrade) u).getMetadata().getName()).toList())
                .containsExactly("defaulted-namespace", "explicit-namespace", "from-ops"));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void noPermissionIsUnavailableWithWhatToGrant(int code) throws IOException {
        responses.put(MILVUS_PATH, new Response(code, status(code, code == 401 ? "Unauthorized" : "Forbidden"), false));
        responses.put(UPGRADES_PATH, new Response(code, status(code, code == 401 ? "Unauthorized" : "Forbidden"), false));
        KubernetesClusterLookup lookup = lookupAgainstCannedServer(Duration.ofSeconds(5));
        assertThat(assertTimeoutPreemptively(NO_HANG, () -> lookup.milvus("default", "my-release")))
                .isEqualTo(new Lookup.Unavailable<>("no permission to read Milvus default/my-release (HTTP " + code
                        + "); grant the webhook's service account get/list on it"));
        assertThat(assertTimeoutPreemptively(NO_HANG, () -> lookup.upgradesOf("default", "my-release")))
                .isInstanceOfSatisfying(Lookup.Unavailable.class, u -> assertThat(u.reason()).startsWith("no permission to read MilvusUpgrades in all namespaces"));
    }

    @Test
    void aServerErrorIsUnavailableWithTheStatus() throws IOException {
        responses.put(MILVUS_PATH, new Response(500, status(500, "InternalError"), false));
        Lookup<Milvus> milvus = assertTimeoutPreemptively(NO_HANG, () -> lookupAgainstCannedServer(Duration.ofSeconds(5)).milvus("default", "my-release"));
        assertThat(milvus).isInstanceOfSatisfying(Lookup.Unavailable.class, u -> assertThat(u.reason())
                .startsWith("reading Milvus default/my-release failed: HTTP 500"));
    }

    @Test
    void noAnswerWithinTheDeadlineIsUnavailable() throws IOException {
        responses.put(MILVUS_PATH, new Response(200, "{}", true));
        KubernetesClusterLookup lookup = lookupAgainstCannedServer(Duration.ofMillis(300));
        Lookup<Milvus> milvus = assertTimeoutPreemptively(NO_HANG, () -> lookup.milvus("default", "my-release"));
        assertThat(milvus).isEqualTo(new Lookup.Unavailable<>("the apiserver did not answer within 300ms when reading Milvus default/my-release"));
    }

    @Test
    void aClosedPortIsUnavailableWithinTheDeadline() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        KubernetesClusterLookup lookup = lookupAt("http://127.0.0.1:" + closedPort, Duration.ofSeconds(2));
        Lookup<Milvus> milvus = assertTimeoutPreemptively(NO_HANG, () -> lookup.milvus("default", "my-release"));
        assertThat(milvus).isInstanceOfSatisfying(Lookup.Unavailable.class, u -> assertThat(u.reason()).contains("Milvus default/my-release"));
        assertThat(assertTimeoutPreemptively(NO_HANG, () -> lookup.upgradesOf("default", "my-release"))).isInstanceOf(Lookup.Unavailable.class);
    }

    @Test
    void aClientThatRetriesIsStillCutOffAtTheDeadline() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        // fabric8 retries refused connections with growing back-off, for far longer than the deadline.
        KubernetesClusterLookup lookup = lookupAt("http://127.0.0.1:" + closedPort, Duration.ofMillis(500), 10);
        assertThat(assertTimeoutPreemptively(NO_HANG, () -> lookup.milvus("default", "my-release")))
                .isEqualTo(new Lookup.Unavailable<>("the apiserver did not answer within 500ms when reading Milvus default/my-release"));
    }

    @Test
    void aClosedLookupAnswersUnavailable() {
        KubernetesClusterLookup lookup = lookupAt("http://127.0.0.1:1", Duration.ofSeconds(1));
        lookup.close();
        assertThat(lookup.milvus("default", "my-release")).isInstanceOfSatisfying(Lookup.Unavailable.class,
                u -> assertThat(u.reason()).contains("shut down"));
    }

    @Test
    void theDeadlineMustBePositive() {
        assertThatThrownBy(() -> new KubernetesClusterLookup(null, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(KubernetesClusterLookup.readable(Duration.ofSeconds(2))).isEqualTo("2s");
        assertThat(KubernetesClusterLookup.readable(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(KubernetesClusterLookup.DEFAULT_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
    }
}
