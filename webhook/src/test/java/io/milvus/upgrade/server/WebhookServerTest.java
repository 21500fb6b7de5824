package io.milvus.upgrade.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import io.milvus.upgrade.admission.AdmissionEndpoint;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.admission.ReviewRequest;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.certs.TlsDirectory;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.conversion.ConversionWebhook;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.localstack.HttpsClient;
import io.milvus.upgrade.localstack.Poll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The real server over HTTPS, trusting only the generated ca.crt, with real review JSON. */
class WebhookServerTest {

    @TempDir
    static Path dir;
    static TlsDirectory tls;
    static WebhookServer server;
    static HttpsClient http2;
    static HttpsClient http1;

    static final String MUTATE = MilvusWebhooks.MUTATE_MILVUSUPGRADE;
    static final String VALIDATE = MilvusWebhooks.VALIDATE_MILVUSUPGRADE;
    static final String VALIDATE_MILVUS = MilvusWebhooks.VALIDATE_MILVUS;

    @BeforeAll
    static void start() throws Exception {
        tls = new TlsDirectory(dir.resolve("tls"));
        tls.ensure(List.of("webhook.test.svc"), Clock.systemUTC());
        List<AdmissionEndpoint> endpoints = new ArrayList<>(MilvusWebhooks.create(PolicySource.builtIn(), ClusterLookup.none()).all());
        endpoints.add(new AdmissionEndpoint() {
            @Override
            public String path() {
                return "/explode";
            }

            @Override
            public AdmissionResponse review(ReviewRequest review) {
                throw new IllegalStateException("boom");
            }
        });
        server = WebhookServer.start(new WebhookServer.Settings("127.0.0.1", 0, Duration.ofSeconds(20)), new TlsContext(tls),
                endpoints, new ConversionWebhook());
        http2 = new HttpsClient(tls.caCertificate(), server.port(), HttpClient.Version.HTTP_2);
        http1 = new HttpsClient(tls.caCertificate(), server.port(), HttpClient.Version.HTTP_1_1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String upgradeReview(String apiVersion, String uid, String operation, String spec) {
        return """
                {"apiVersion":"%s","kind":"AdmissionReview","request":{
                  "uid":"%s","kind":{"group":"milvus.io","version":"v1beta1","kind":"MilvusUpgrade"},
                  "resource":{"group":"milvus.io","version":"v1beta1","resource":"milvusupgrades"},
                  "name":"my-release-upgrade","namespace":"default","operation":"%s","userInfo":{"username":"alice"},
                  "object":{"apiVersion":"milvus.io/v1beta1","kind":"MilvusUpgrade",
                            "metadata":{"name":"my-release-upgrade","namespace":"default"},"spec":%s}}}"""
                .formatted(apiVersion, uid, operation, spec);
    }

    static final String GUIDE_SPEC = "{\"milvus\":{\"name\":\"my-release\"},\"sourceVersion\":\"v2.1.4\",\"targetVersion\":\"v2.2.0\"}";

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return ApiSerialization.json().readTree(response.body());
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void mutationEchoesTheUidAndReturnsAnApplicablePatch(HttpClient.Version version) throws Exception {
        HttpsClient client = version == HttpClient.Version.HTTP_2 ? http2 : http1;
        String review = upgradeReview("admission.k8s.io/v1", "uid-" + version, "CREATE", GUIDE_SPEC);
        HttpResponse<String> response = client.post(MUTATE, review);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(version);
        JsonNode body = json(response);
        assertThat(body.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(body.get("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(body.at("/response/uid").asText()).isEqualTo("uid-" + version);
        assertThat(body.at("/response/allowed").asBoolean()).isTrue();
        assertThat(body.at("/response/patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patch = ApiSerialization.json().readTree(Base64.getDecoder().decode(body.at("/response/patch").asText()));
        JsonNode object = ApiSerialization.json().readTree(review).at("/request/object");
        JsonNode defaulted = JsonPatch.apply(patch, object);
        assertThat(defaulted.at("/spec/targetImage").asText()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(defaulted.at("/spec/maxRetry").asInt()).isEqualTo(3);
        for (JsonNode op : patch) assertThat(op.get("op").asText()).isEqualTo("add");
    }

    @Test
    void aV1beta1ReviewIsAnsweredAsV1beta1() throws Exception {
        JsonNode body = json(http2.post(MUTATE, upgradeReview("admission.k8s.io/v1beta1", "old-uid", "CREATE", GUIDE_SPEC)));
        assertThat(body.get("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
        assertThat(body.at("/response/uid").asText()).isEqualTo("old-uid");
    }

    @Test
    void denialsAreStatus422WithEveryCause() throws Exception {
        String spec = "{\"milvus\":{\"name\":\"m\"},\"sourceVersion\":\"2.0.0-rc1\",\"targetVersion\":\"2.2.0-rc1\",\"targetImage\":\"x:v2.2.0-rc1\",\"maxRetry\":11}";
        HttpResponse<String> response = http2.post(VALIDATE, upgradeReview("admission.k8s.io/v1", "deny-1", "CREATE", spec));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode r = json(response).get("response");
        assertThat(r.get("uid").asText()).isEqualTo("deny-1");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/code").asInt()).isEqualTo(422);
        assertThat(r.at("/status/reason").asText()).isEqualTo("Invalid");
        assertThat(r.at("/status/message").asText()).startsWith("MilvusUpgrade.milvus.io \"my-release-upgrade\" is invalid: [");
        List<String> fields = new ArrayList<>();
        r.at("/status/details/causes").forEach(c -> fields.add(c.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("spec.sourceVersion", "spec.targetVersion", "spec.maxRetry");
    }

    @Test
    void warningsComeBack() throws Exception {
        String spec = "{\"milvus\":{\"name\":\"m\"},\"sourceVersion\":\"2.1.4\",\"targetVersion\":\"2.2.0\",\"targetImage\":\"milvusdb/milvus:v2.2.0\",\"toolImage\":\"t:v1\"}";
        JsonNode r = json(http2.post(VALIDATE, upgradeReview("admission.k8s.io/v1", "warn-1", "CREATE", spec))).get("response");
        assertThat(r.get("allowed").asBoolean()).isTrue();
        List<String> warnings = new ArrayList<>();
        r.get("warnings").forEach(w -> warnings.add(w.asText()));
        assertThat(warnings).anyMatch(w -> w.contains("no cluster connection")).anyMatch(w -> w.contains("not the policy's migration image"));
    }

    @Test
    void theMilvusGuardDeniesTheUnsafeJump() throws Exception {
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"g1",
                 "kind":{"group":"milvus.io","version":"v1beta1","kind":"Milvus"},"operation":"UPDATE","namespace":"default","name":"my-release",
                 "userInfo":{"username":"alice"},
                 "object":{"apiVersion":"milvus.io/v1beta1","kind":"Milvus","metadata":{"name":"my-release","namespace":"default"},
                           "spec":{"components":{"image":"milvusdb/milvus:v2.2.0"}}},
                 "oldObject":{"apiVersion":"milvus.io/v1beta1","kind":"Milvus","metadata":{"name":"my-release","namespace":"default"},
                           "spec":{"components":{"image":"milvusdb/milvus:v2.1.4"}}}}}""";
        JsonNode r = json(http2.post(VALIDATE_MILVUS, review)).get("response");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/message").asText()).contains("changing the image from 2.1.x to 2.2.x loses built indexes; create a MilvusUpgrade");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "not json", "[1,2,3]", "{\"kind\":\"Pod\"}", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}",
            "", "{\"apiVersion\":\"admission.k8s.io/v2\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"x\"}}"})
    void badReviewsAre400AndTheServerKeepsServing(String body) throws Exception {
        HttpResponse<String> response = http2.post(MUTATE, body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isNotBlank();
        assertStillServing();
    }

    @Test
    void deeplyNestedDocumentsAreRefused() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        HttpResponse<String> response = http2.post(VALIDATE, "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":" + deep + "}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("nested deeper");
        assertStillServing();
    }

    @ParameterizedTest
    @EnumSource(value = HttpClient.Version.class)
    void bodiesOverSevenMebibytesAre413(HttpClient.Version version) throws Exception {
        HttpsClient client = version == HttpClient.Version.HTTP_2 ? http2 : http1;
        byte[] huge = new byte[8 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(client.post(VALIDATE, huge).statusCode()).isEqualTo(413);
        // A stream of unknown length: chunked in HTTP/1.1, plain DATA frames in HTTP/2.
        HttpResponse<String> unknownLength = client.raw().send(HttpRequest.newBuilder(URI.create(client.base() + VALIDATE))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknownLength.statusCode()).as("no Content-Length").isEqualTo(413);
        assertThat(unknownLength.version()).isEqualTo(version);
        byte[] fits = new byte[WebhookServer.MAX_BODY_BYTES];
        java.util.Arrays.fill(fits, (byte) ' ');
        assertThat(client.post(VALIDATE, fits).statusCode()).as("exactly 7 MiB is read, and refused only as no review").isEqualTo(400);
        assertStillServing();
    }

    @Test
    void wrongKindOrMissingObjectIsADenialWithAMessage() throws Exception {
        String wrongKind = upgradeReview("admission.k8s.io/v1", "k1", "CREATE", GUIDE_SPEC).replace("\"kind\":\"MilvusUpgrade\"}", "\"kind\":\"Pod\"}");
        JsonNode r = json(http2.post(MUTATE, wrongKind)).get("response");
        assertThat(r.get("allowed").asBoolean()).isFalse();
        assertThat(r.at("/status/message").asText()).contains("not milvus.io/v1beta1 Pod");

        String noObject = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"n1",
                 "kind":{"group":"milvus.io","version":"v1beta1","kind":"MilvusUpgrade"},"operation":"CREATE"}}""";
        JsonNode n = json(http2.post(VALIDATE, noObject)).get("response");
        assertThat(n.get("uid").asText()).isEqualTo("n1");
        assertThat(n.get("allowed").asBoolean()).isFalse();
        assertThat(n.at("/status/message").asText()).contains("no request.object");
    }

    @Test
    void unexpectedErrorsAre500AndNotFatal() throws Exception {
        HttpResponse<String> response = http2.post("/explode", upgradeReview("admission.k8s.io/v1", "e1", "CREATE", GUIDE_SPEC));
        assertThat(response.statusCode()).isEqualTo(500);
        assertStillServing();
    }

    @Test
    void unknownPathsAndMethods() throws Exception {
        assertThat(http2.post("/nope", "{}").statusCode()).isEqualTo(404);
        assertThat(http2.get(MUTATE).statusCode()).isEqualTo(405);
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertThat(http2.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(http2.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(http2.get("/readyz").body()).isEqualTo("ok");
    }

    @Test
    void metricsCountEveryVerdict() throws Exception {
        String deny = "{\"milvus\":{\"name\":\"m\"},\"sourceVersion\":\"2.1.4\",\"targetVersion\":\"2.6.0\"}";
        double allowed = reviews(MUTATE, "allowed");
        double denied = reviews(VALIDATE, "denied");
        double badRequest = reviews(VALIDATE, "bad_request");
        double error = reviews("/explode", "error");
        double conversionBadRequest = reviews(ConversionEndpoint.PATH, "bad_request");

        http2.post(MUTATE, upgradeReview("admission.k8s.io/v1", "m1", "CREATE", GUIDE_SPEC));
        http2.post(MUTATE, upgradeReview("admission.k8s.io/v1", "m2", "CREATE", GUIDE_SPEC));
        http2.post(VALIDATE, upgradeReview("admission.k8s.io/v1", "m3", "CREATE", deny));
        http2.post(VALIDATE, "not json");
        http2.post("/explode", upgradeReview("admission.k8s.io/v1", "m4", "CREATE", GUIDE_SPEC));
        http2.post(ConversionEndpoint.PATH, "[]");

        assertThat(reviews(MUTATE, "allowed")).isEqualTo(allowed + 2);
        assertThat(reviews(VALIDATE, "denied")).isEqualTo(denied + 1);
        assertThat(reviews(VALIDATE, "bad_request")).isEqualTo(badRequest + 1);
        assertThat(reviews("/explode", "error")).isEqualTo(error + 1);
        assertThat(reviews(ConversionEndpoint.PATH, "bad_request")).isEqualTo(conversionBadRequest + 1);
        HttpResponse<String> scrape = http2.get("/metrics");
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(scrape.body()).contains("milvus_upgrade_webhook_review_duration_seconds_bucket{path=\"" + MUTATE + "\",verdict=\"allowed\",le=\"0.005\"}");
        assertThat(scrape.body()).contains("milvus_upgrade_webhook_review_duration_seconds_count{path=\"" + MUTATE + "\",verdict=\"allowed\"}");
    }

    /** The value of {@code milvus_upgrade_webhook_reviews_total} for a path and verdict; 0 before the first. */
    private static double reviews(String path, String verdict) throws Exception {
        String series = "milvus_upgrade_webhook_reviews_total{path=\"" + path + "\",verdict=\"" + verdict + "\"} ";
        return http2.get("/metrics").body().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()).trim())).findFirst().orElse(0);
    }

    @Test
    void tls12AndTls13AreServed() throws Exception {
        assertThat(http2.get("/healthz").sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.3"));
        HttpClient tls12 = HttpClient.newBuilder().sslContext(HttpsClient.trusting(tls.caCertificate()))
                .sslParameters(new SSLParameters(null, new String[] {"TLSv1.2"})).build();
        HttpResponse<String> response = tls12.send(HttpRequest.newBuilder(URI.create(http2.base() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).as("h2 over TLS 1.2 too").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.sslSession()).hasValueSatisfying(session -> assertThat(session.getProtocol()).isEqualTo("TLSv1.2"));
    }

    @Test
    void conversionIsServed() throws Exception {
        String review = """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"ConversionReview","request":{"uid":"c1","desiredAPIVersion":"milvus.io/v1alpha1",
                 "objects":[{"apiVersion":"milvus.io/v1beta1","kind":"Milvus","metadata":{"name":"a"},"spec":{"mode":"standalone",
                   "components":{"standalone":{"replicas":1,"port":19530}}}}]}}""";
        JsonNode r = json(http2.post(ConversionEndpoint.PATH, review)).get("response");
        assertThat(r.get("uid").asText()).isEqualTo("c1");
        assertThat(r.at("/result/status").asText()).isEqualTo("Success");
        assertThat(r.at("/convertedObjects/0/apiVersion").asText()).isEqualTo("milvus.io/v1alpha1");
        assertThat(http2.post(ConversionEndpoint.PATH, "{\"kind\":\"AdmissionReview\"}").statusCode()).isEqualTo(400);
    }

    /** A review sent to /block, answered once the endpoint is released. */
    static CompletableFuture<HttpResponse<String>> blockedReview(HttpsClient client, String uid) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.post("/block", upgradeReview("admission.k8s.io/v1", uid, "CREATE", GUIDE_SPEC));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** An admission endpoint at /block that answers only once released. */
    static AdmissionEndpoint blockingEndpoint(CountDownLatch entered, CountDownLatch release) {
        return new AdmissionEndpoint() {
            @Override
            public String path() {
                return "/block";
            }

            @Override
            public AdmissionResponse review(ReviewRequest review) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder()
                        .withUid(review.request().getUid()).withAllowed(true).build();
            }
        };
    }

    @Test
    void aReviewThatFindsTheHeapForReviewsTakenWaitsThenGets503() throws Exception {
        TlsDirectory otherTls = new TlsDirectory(dir.resolve("budget-tls"));
        otherTls.ensure(List.of(), Clock.systemUTC());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<AdmissionEndpoint> endpoints = new ArrayList<>(MilvusWebhooks.create(PolicySource.builtIn(), ClusterLookup.none()).all());
        endpoints.add(blockingEndpoint(entered, release));
        // Room for one small review, not two; a short answer time so that the wait ends soon.
        WebhookServer small = WebhookServer.start(new WebhookServer.Settings("127.0.0.1", 0, Duration.ofSeconds(20))
                        .withReviewMemory(24 * 1024).withAnswerWithin(Duration.ofMillis(600)),
                new TlsContext(otherTls), endpoints, new ConversionWebhook());
        try {
            HttpsClient client = new HttpsClient(otherTls.caCertificate(), small.port(), HttpClient.Version.HTTP_2);
            CompletableFuture<HttpResponse<String>> holding = blockedReview(client, "holding");
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> turnedAway = client.post(VALIDATE, upgradeReview("admission.k8s.io/v1", "busy", "CREATE", GUIDE_SPEC));
            assertThat(turnedAway.statusCode()).isEqualTo(503);
            assertThat(turnedAway.headers().firstValue("Retry-After")).contains("1");
            assertThat(turnedAway.body()).startsWith("server busy");

            release.countDown();
            assertThat(holding.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(client.post(VALIDATE, upgradeReview("admission.k8s.io/v1", "later", "CREATE", GUIDE_SPEC)).statusCode())
                    .as("the heap is free again").isEqualTo(200);
        } finally {
            release.countDown();
            small.close();
        }
    }

    @Test
    void gracefulShutdownFinishesReviewsInFlight() throws Exception {
        Path other = dir.resolve("other-tls");
        TlsDirectory otherTls = new TlsDirectory(other);
        otherTls.ensure(List.of(), Clock.systemUTC());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AdmissionEndpoint blocking = blockingEndpoint(entered, release);
        WebhookServer stopping = WebhookServer.start(new WebhookServer.Settings("127.0.0.1", 0, Duration.ofSeconds(20)),
                new TlsContext(otherTls), List.of(blocking), new ConversionWebhook());
        HttpsClient client = new HttpsClient(otherTls.caCertificate(), stopping.port(), HttpClient.Version.HTTP_1_1);
        CompletableFuture<HttpResponse<String>> inFlight = blockedReview(client, "inflight");
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(stopping::close);
        Poll.until(Duration.ofSeconds(20), "readiness drops while a review is in flight", () -> !isReady(client));
        assertThat(inFlight).as("still waiting for its answer").isNotDone();
        assertThat(closing).as("stop waits for the review in flight").isNotDone();
        release.countDown();
        HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/response/uid").asText()).isEqualTo("inflight");
        closing.get(30, TimeUnit.SECONDS);
    }

    /** Ready means a 200 from /readyz; a 503, or no longer taking connections, is not ready. */
    private static boolean isReady(HttpsClient client) {
        try {
            return client.get("/readyz").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertStillServing() throws Exception {
        HttpResponse<String> ok = http2.post(MUTATE, upgradeReview("admission.k8s.io/v1", "after", "CREATE", GUIDE_SPEC));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).at("/response/uid").asText()).isEqualTo("after");
    }
}
