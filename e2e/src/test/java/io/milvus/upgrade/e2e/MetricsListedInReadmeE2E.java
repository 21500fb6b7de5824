package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.HttpsClient;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Repository;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the README's "Metrics" table names is on the {@code /metrics} of the component
 * the table says (webhook, controller or both), scraped from the running jars after a review on
 * each path and one MilvusUpgrade, so that labelled series exist.
 */
class MetricsListedInReadmeE2E {

    static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| [a-z]+ \\|[^|]*\\| (webhook|controller|both) \\|", Pattern.MULTILINE);

    @Test
    void everyMetricTheReadmeNamesIsServed(@TempDir Path dir) throws Exception {
        Map<String, String> readme = metricsInReadme();
        assertThat(readme).as("the README's Metrics table").hasSizeGreaterThan(10);
        try (ControlPlane plane = ControlPlane.start(dir.resolve("plane")); LocalStack stack = LocalStack.start(plane, dir.resolve("stack"))) {
            stack.startController();
            HttpsClient webhook = new HttpsClient(stack.caCertificate(), URI.create(stack.webhookUrl()).getPort(), HttpClient.Version.HTTP_2);
            Path samples = Repository.root().resolve("webhook/src/test/resources/samples");
            for (var review : Map.of("/mutate-milvus-io-v1beta1-milvusupgrade", "review-milvusupgrade-create.json",
                    "/validate-milvus-io-v1beta1-milvus", "review-milvus-jump.json", "/convert", "conversion-to-alpha.json").entrySet()) {
                assertThat(webhook.post(review.getKey(), Files.readString(samples.resolve(review.getValue()))).statusCode()).isEqualTo(200);
            }
            Kubectl.Result upgrade = Kubectl.run(plane.kubeconfig(), """
                    apiVersion: milvus.io/v1beta1
                    kind: MilvusUpgrade
                    metadata: {name: metrics, namespace: default}
                    spec: {milvus: {name: nowhere}, sourceVersion: 2.1.4, targetVersion: 2.2.0}
                    """, "create", "-f", "-");
            assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
            HttpClient http = HttpClient.newHttpClient();
            Poll.until(Duration.ofSeconds(60), "the controller's state of the upgrade", () -> scrape(http, stack.controllerMetricsUrl()).contains("milvus_upgrade_state{"));

            String webhookMetrics = webhook.get("/metrics").body();
            String controllerMetrics = scrape(http, stack.controllerMetricsUrl());
            readme.forEach((name, where) -> {
                if (!where.equals("controller")) assertThat(served(webhookMetrics, name)).as(name + " on the webhook's /metrics").isTrue();
                if (!where.equals("webhook")) assertThat(served(controllerMetrics, name)).as(name + " on the controller's /metrics").isTrue();
            });
            assertThat(webhookMetrics.lines().filter(l -> l.startsWith("milvus_")).toList()).as("one prefix")
                    .allSatisfy(l -> assertThat(l).startsWith("milvus_upgrade_"));
            assertThat(controllerMetrics.lines().filter(l -> l.startsWith("milvus_")).toList()).as("one prefix")
                    .allSatisfy(l -> assertThat(l).startsWith("milvus_upgrade_"));
        }
    }

    /** Name to where (webhook, controller, both), from the README's table. */
    static Map<String, String> metricsInReadme() throws java.io.IOException {
        String readme = Files.readString(Repository.root().resolve("README.md"));
        String section = readme.substring(readme.indexOf("### Metrics"), readme.indexOf("\n## ", readme.indexOf("### Metrics")));
        Map<String, String> metrics = new java.util.TreeMap<>();
        ROW.matcher(section).results().forEach(m -> metrics.put(m.group(1), m.group(2)));
        return metrics;
    }

    /** A sample of {@code name} (a histogram's or summary's too), not only its HELP line. */
    static boolean served(String scrape, String name) {
        return Pattern.compile("(?m)^" + Pattern.quote(name) + "(_bucket|_count|_sum|_total)?[{ ]").matcher(scrape).find();
    }

    static String scrape(HttpClient http, String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (Exception e) {
            return "";
        }
    }

}
