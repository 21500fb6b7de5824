package io.milvus.upgrade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.certs.TlsDirectory;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.conversion.ConversionWebhook;
import io.milvus.upgrade.localstack.HttpsClient;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.stress.RawHttp2;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 streams reset mid-body (the rapid-reset pattern, CVE-2023-44487) release what they held
 * at once. The body deadline is set far out (10 s), so that a reservation released only by it
 * would still be held when the poll below gives up.
 */
class ResetStreamTest {

    private static final int RESETS = 60;

    @TempDir
    static Path dir;
    static TlsDirectory tls;
    static WebhookServer server;

    @BeforeAll
    static void start() throws Exception {
        tls = new TlsDirectory(dir.resolve("tls"));
        tls.ensure(List.of(), Clock.systemUTC());
        server = WebhookServer.start(new WebhookServer.Settings("127.0.0.1", 0, Duration.ofSeconds(5))
                        .withAnswerWithin(Duration.ofSeconds(20)).withReviewMemory(32L * 1024 * 1024),
                new TlsContext(tls), MilvusWebhooks.create(PolicySource.builtIn(), ClusterLookup.none()).all(), new ConversionWebhook());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void streamsResetMidBodyReleaseTheirBudgetAtOnce() throws Exception {
        try (RawHttp2 h2 = new RawHttp2(tls.caCertificate(), server.port())) {
            Session session = h2.connect();
            RawHttp2.Stalled stalled = RawHttp2.stalled(session, MilvusWebhooks.VALIDATE_MILVUSUPGRADE, 1_000_000, 60 * 1024);
            Poll.until(Duration.ofSeconds(5), "a stream stalled mid-body holding its body's share", () -> server.reviewMemoryHeld() > 0);
            stalled.reset();
            // Below the server's suspicious-frame rate (128/s), so that the connection stays up:
            // what is released is released by the resets, not by a closed connection.
            for (int i = 0; i < RESETS; i++) {
                RawHttp2.resetMidBody(session, MilvusWebhooks.VALIDATE_MILVUSUPGRADE, 1_000_000, 60 * 1024);
            }
            Poll.until(Duration.ofSeconds(3), "the budget back to 0 after " + (RESETS + 1) + " resets", () -> server.reviewMemoryHeld() == 0);
            assertThat(session.isClosed()).as("the connection the resets came on").isFalse();
            HttpsClient client = new HttpsClient(tls.caCertificate(), server.port(), HttpClient.Version.HTTP_2);
            assertThat(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE,
                    WebhookServerTest.upgradeReview("admission.k8s.io/v1", "after-resets", "CREATE", WebhookServerTest.GUIDE_SPEC)).statusCode()).isEqualTo(200);
            assertThat(server.reviewMemoryHeld()).isZero();
            session.close(0, "done", Callback.NOOP);
        }
    }
}
