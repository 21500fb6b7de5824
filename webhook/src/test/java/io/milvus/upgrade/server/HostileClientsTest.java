package io.milvus.upgrade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.certs.TlsDirectory;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.conversion.ConversionWebhook;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.localstack.HttpsClient;
import io.milvus.upgrade.localstack.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real server over HTTPS against idle, slow and malformed clients: valid reviews still get their answer. */
class HostileClientsTest {

    @TempDir
    static Path dir;
    static TlsDirectory tls;
    static WebhookServer server;
    static HttpsClient client;
    static final int MAX_CONNECTIONS = 20;
    /** Small, so that a corpus past it uploads in moments even on a loaded machine. */
    static final long REVIEW_MEMORY = 4L * 1024 * 1024;
    /** Bodies are cut off at half of it: long enough that a loaded machine still uploads a valid one in time. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);

    @BeforeAll
    static void start() throws Exception {
        tls = new TlsDirectory(dir.resolve("tls"));
        tls.ensure(List.of(), Clock.systemUTC());
        server = WebhookServer.start(new WebhookServer.Settings("127.0.0.1", 0, Duration.ofSeconds(5)).withMaxConnections(MAX_CONNECTIONS)
                        .withAnswerWithin(ANSWER_WITHIN).withReviewMemory(REVIEW_MEMORY),
                new TlsContext(tls), MilvusWebhooks.create(PolicySource.builtIn(), ClusterLookup.none()).all(), new ConversionWebhook());
        client = new HttpsClient(tls.caCertificate(), server.port(), HttpClient.Version.HTTP_2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> validReview(String uid) throws Exception {
        return client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, WebhookServerTest.upgradeReview("admission.k8s.io/v1", uid, "CREATE", WebhookServerTest.GUIDE_SPEC));
    }

    private static SSLSocket handshaken() throws IOException {
        SSLSocket socket = (SSLSocket) HttpsClient.trusting(tls.caCertificate()).getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    /** True once the server closed the socket (read gives end of stream or a reset). */
    private static boolean closedByServer(SSLSocket socket) {
        try {
            socket.setSoTimeout(50);
            return socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void idleConnectionsBeyondTheCapAreClosedAndAValidReviewStillGetsIn() throws Exception {
        List<SSLSocket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3 * MAX_CONNECTIONS; i++) {
                idle.add(handshaken());
            }
            long started = System.nanoTime();
            assertThat(validReview("past-idle").statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            Poll.until(Duration.ofSeconds(10), "every idle connection closed by the first-request deadline",
                    () -> idle.stream().allMatch(HostileClientsTest::closedByServer));
        } finally {
            for (SSLSocket socket : idle) socket.close();
        }
    }

    @Test
    void aTrickledBodyIsCutOffWhileOtherReviewsAreAnswered() throws Exception {
        try (SSLSocket socket = handshaken()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + MilvusWebhooks.VALIDATE_MILVUSUPGRADE + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 4000000\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Ordering, not wall-clock time (the machine may be loaded): the valid review is
            // answered while the trickle is still open, i.e. before its cut-off.
            assertThat(validReview("beside-trickle").statusCode()).isEqualTo(200);
            socket.setSoTimeout(50);
            byte[] early;
            try {
                early = readSome(socket.getInputStream());
            } catch (java.net.SocketTimeoutException stillOpen) {
                early = new byte[0];
            }
            assertThat(early).as("the trickle is cut off only after the other review was answered").isEmpty();
            socket.setSoTimeout(30_000);
            String answer = new String(readSome(socket.getInputStream()), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        int n = in.read(buffer);
        return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
    }

    @Test
    void aClientThatDropsMidBodyHoldsNothing() throws Exception {
        for (int i = 0; i < 10; i++) {
            try (SSLSocket socket = handshaken()) {
                socket.getOutputStream().write(("POST /convert HTTP/1.1\r\nHost: x\r\nContent-Length: 7000000\r\n\r\n" + "[".repeat(50)).getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        }
        assertThat(validReview("after-drops").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE\",\"operation\":\"EXPLODE", "", "UPDATE\"} trailing {\""})
    void reviewsNoApiserverSendsAre400(String operation) throws Exception {
        String review = WebhookServerTest.upgradeReview("admission.k8s.io/v1", "c1", operation, WebhookServerTest.GUIDE_SPEC);
        HttpResponse<String> response = client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, review);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body().strip()).doesNotContain("\n").isNotEmpty();
    }

    @Test
    void contractCasesGetOneLineReasons() throws Exception {
        String base = WebhookServerTest.upgradeReview("admission.k8s.io/v1", "c2", "CREATE", WebhookServerTest.GUIDE_SPEC);
        assertThat(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, base + " {}").body()).contains("data after its JSON value");
        assertThat(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, base.replace("\"uid\":", "\"" + "k".repeat(60_000) + "\":1,\"uid\":")).body())
                .contains("field name longer than 1024");
        assertThat(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, base.replace("\"uid\":", "\"n\":1e999,\"uid\":")).body()).contains("number out of range");
        // Found by FuzzTest: the decoder's message quoted a string with a line break in it.
        String quoted = client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE,
                base.replace("\"kind\":{\"group\"", "\"kind\":\"a\\nforged\",\"x\":{\"group\"")).body();
        assertThat(quoted.strip()).contains("malformed").doesNotContain("\n");
        String numberImage = base.replace("\"targetVersion\":\"v2.2.0\"", "\"targetVersion\":\"v2.2.0\",\"targetImage\":220");
        var denied = WebhookServerTest.json(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, numberImage)).get("response");
        assertThat(denied.get("allowed").asBoolean()).as("a number where an image is expected is no image").isFalse();
        String otherKind = base.replace("\"kind\":\"MilvusUpgrade\",\n", "\"kind\":\"Pod\",\n");
        var wrongObject = WebhookServerTest.json(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, otherKind)).get("response");
        assertThat(wrongObject.get("allowed").asBoolean()).as("an object of another kind").isFalse();
        assertThat(wrongObject.at("/status/message").asText()).contains("not a MilvusUpgrade");
    }

    /** Bodies whose trees cost 30-65 times their size ran a 64 MiB heap out at under 1 MB. */
    @Test
    void pathologicalJsonIsChargedByItsNodesNotItsLength() throws Exception {
        String empties = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"junk\":["
                + "{},".repeat(400_000) + "{}]}}"; // 1.2 MB whose tree costs far more than REVIEW_MEMORY
        HttpResponse<String> response = client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, empties);
        assertThat(response.body()).contains("too many JSON nodes");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(validReview("after-corpus").statusCode()).isEqualTo(200);
    }
}
