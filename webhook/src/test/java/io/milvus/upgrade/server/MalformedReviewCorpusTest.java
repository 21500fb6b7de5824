package io.milvus.upgrade.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.localstack.HttpsClient;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.stress.MalformedReviews;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed reviews of issue 27, generated from a fixed seed ({@link MalformedReviews}: truncation,
 * wrong JSON types, huge strings and objects up to the 7 MiB body limit, deep and wide objects,
 * objects of another kind, odd uids), sent two at a time to every review path of the server as
 * its Deployment runs it: its own JVM with {@code -Xms16m -Xmx64m -XX:+UseSerialGC}. No HTTP 500,
 * no OutOfMemoryError, no {@code allowed: true} or conversion {@code Success} for an object the
 * endpoint does not judge, no 200 for a uid that is no string; and the server serves on.
 * Bounded: 96 cases; on 2 cores the run takes under a minute quiet, two on a loaded machine.
 */
class MalformedReviewCorpusTest {

    private static final long SEED = 27;
    private static final int PER_ENDPOINT = 24;
    private static final int HUGE_BYTES = 7_000_000;
    private static final List<String> DEPLOYMENT_HEAP = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC");

    @TempDir
    static Path dir;
    static Process server;
    static Path serverLog;
    static HttpsClient client;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        serverLog = dir.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(DEPLOYMENT_HEAP);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.milvus.upgrade.cli.WebhookMain", "serve",
                "--port", String.valueOf(port), "--bind", "127.0.0.1", "--tls-dir", dir.resolve("tls").toString(),
                "--shutdown-delay=0s", "--shutdown-grace=2s"));
        server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        Path ca = dir.resolve("tls").resolve("ca.crt");
        Poll.until(Duration.ofSeconds(60), "the server is ready", () -> ready(ca, port));
        client = new HttpsClient(ca, port, HttpClient.Version.HTTP_2);
    }

    private static boolean ready(Path ca, int port) {
        if (!server.isAlive()) throw new AssertionError("the server exited; its log is " + serverLog);
        if (!Files.exists(ca)) return false;
        try {
            return new HttpsClient(ca, port, HttpClient.Version.HTTP_2).get("/readyz").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) server.destroyForcibly();
        }
    }

    @Test
    void everyMalformedReviewGetsAVerdictOrAReasonAndNothingUnjudgedIsAllowed() throws Exception {
        List<MalformedReviews.Case> cases = MalformedReviews.generate(SEED, PER_ENDPOINT, HUGE_BYTES);
        List<String> wrong = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> unanswered = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<Answer>> answers = new ArrayList<>();
            for (MalformedReviews.Case hostile : cases) answers.add(pool.submit(() -> send(hostile)));
            for (int i = 0; i < cases.size(); i++) {
                Answer answer = answers.get(i).get(2, TimeUnit.MINUTES);
                if (answer == null) {
                    unanswered.add(cases.get(i).toString());
                    continue;
                }
                statuses.merge(answer.status(), 1, Integer::sum);
                String violation = MalformedReviews.violation(cases.get(i), answer.status(), answer.body());
                if (violation != null) wrong.add(violation + " for " + cases.get(i));
            }
        }
        String log = Files.readString(serverLog);
        assertThat(wrong).as("answers that break the contract; statuses " + statuses).isEmpty();
        assertThat(log).as("the server's log").doesNotContain("OutOfMemoryError");
        assertThat(statuses).as("HTTP 500s").doesNotContainKey(500);
        // A body the server stopped reading (408 too slow, 503 no memory) ends its stream, and the
        // client sees that instead of the status; on a loaded machine a few do. Most must be answered.
        assertThat(unanswered.size()).as("unanswered: " + unanswered).isLessThan(cases.size() / 4);
        assertThat(statuses.keySet()).as("the corpus reaches verdicts, refusals and size limits").contains(200, 400, 413);
        assertThat(client.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(client.post(MilvusWebhooks.VALIDATE_MILVUSUPGRADE,
                WebhookServerTest.upgradeReview("admission.k8s.io/v1", "after-corpus", "CREATE", WebhookServerTest.GUIDE_SPEC)).statusCode()).isEqualTo(200);
    }

    private record Answer(int status, String body) {
    }

    /** The answer, or null when the client got none, twice. */
    private static Answer send(MalformedReviews.Case hostile) throws InterruptedException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                HttpResponse<String> response = client.post(hostile.path(), hostile.body());
                return new Answer(response.statusCode(), response.body());
            } catch (IOException e) {
                // the stream was reset or the connection closed: once more
            }
        }
        return null;
    }
}
