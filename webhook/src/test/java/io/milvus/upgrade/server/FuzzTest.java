package io.milvus.upgrade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.certs.TlsDirectory;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.conversion.ConversionWebhook;
import io.milvus.upgrade.localstack.HttpsClient;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.stress.HostileBodies;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short fuzz over HTTPS from a fixed seed (the generator, {@link HostileBodies}, stays in the
 * project to replay or widen it): every hostile review gets a 200 with a verdict or a 4xx with a
 * one-line reason, never a 5xx, and the server is healthy afterwards with nothing left held.
 */
class FuzzTest {

    private static final long SEED = 15;
    private static final int CASES = 300;

    @TempDir
    static Path dir;
    static WebhookServer server;
    static HttpsClient client;

    @BeforeAll
    static void start() throws Exception {
        TlsDirectory tls = new TlsDirectory(dir.resolve("tls"));
        tls.ensure(List.of(), Clock.systemUTC());
        server = WebhookServer.start(new WebhookServer.Settings("127.0.0.1", 0, Duration.ofSeconds(5)).withReviewMemory(32L * 1024 * 1024),
                new TlsContext(tls), MilvusWebhooks.create(PolicySource.builtIn(), ClusterLookup.none()).all(), new ConversionWebhook());
        client = new HttpsClient(tls.caCertificate(), server.port(), HttpClient.Version.HTTP_2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void hostileReviewsGetAVerdictOrAReasonNeverA5xx() throws Exception {
        List<String> wrong = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (HostileBodies.Case hostile : HostileBodies.fuzz(SEED, CASES)) {
            HttpResponse<String> response = client.post(hostile.path(), hostile.body());
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String body = response.body();
            boolean verdict = status == 200 && body.contains("\"response\"") && body.contains("\"uid\"");
            boolean reason = status >= 400 && status < 500 && !body.isBlank() && body.strip().lines().count() == 1;
            if (!verdict && !reason) wrong.add(status + " " + body.strip().lines().findFirst().orElse("") + " for " + hostile);
        }
        assertThat(wrong).as("answers that are neither a verdict nor a 4xx with a reason; statuses " + statuses).isEmpty();
        assertThat(statuses.keySet()).as("the fuzz reaches both verdicts and refusals").contains(200, 400);
        assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE,
                WebhookServerTest.upgradeReview("admission.k8s.io/v1", "after-fuzz", "CREATE", WebhookServerTest.GUIDE_SPEC)).statusCode()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(2), "no review memory held after the fuzz", () -> server.reviewMemoryHeld() == 0);
    }

    @Test
    void theGeneratorIsDeterministic() {
        List<HostileBodies.Case> first = HostileBodies.fuzz(SEED, 20);
        List<HostileBodies.Case> second = HostileBodies.fuzz(SEED, 20);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).body()).isEqualTo(first.get(i).body());
            assertThat(second.get(i).description()).isEqualTo(first.get(i).description());
        }
    }
}
