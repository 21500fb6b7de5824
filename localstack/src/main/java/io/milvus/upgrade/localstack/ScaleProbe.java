package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code make bench-scale} reads, from outside the processes as an admin would: the
 * apiserver's, the webhook's and the controller's {@code /metrics}, the webhook's decision log
 * (one line per review, with its latency), and {@code /proc} for resident memory.
 */
final class ScaleProbe {

    private static final Pattern ADMISSION = Pattern.compile(
            "event=admission path=(\\S+) .*operation=(\\S+) user=\"?([^\" ]*)\"?.*latency_ms=([0-9.]+)");

    /** The webhook counts admission and conversion reviews in one counter, by path. */
    private static final Pattern ADMISSION_PATHS = Pattern.compile("path=\"/(mutate|validate)-");
    private static final Pattern CONVERSION_PATH = Pattern.compile("path=\"/convert");

    private final LocalStack stack;
    private final HttpsClient webhook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ScaleProbe(LocalStack stack) {
        this.stack = stack;
        this.webhook = new HttpsClient(stack.caCertificate(), URI.create(stack.webhookUrl()).getPort(), HttpClient.Version.HTTP_1_1);
    }

    /** Counters at one moment; figures per upgrade are differences between two. */
    record Snapshot(double reviews, double conversions, double reconciles, double apiserverRequests, double apiserverWrites, long webhookLogOffset) {
    }

    /** Highest values sampled every 0.5 s while the upgrades ran. */
    record Peaks(long webhookRssKib, long controllerRssKib, int workQueueDepth) {
    }

    /** What the webhook and the controller hold once a full GC has run: what N objects cost, unlike RSS, which a JVM grows at will. */
    record LiveHeap(long webhookKib, long controllerKib) {
    }

    private static final Pattern HEAP_USED = Pattern.compile("heap\\s.*?used (\\d+)K");

    LiveHeap liveHeap() {
        return new LiveHeap(liveHeapKib(stack.webhookPid()), liveHeapKib(stack.controllerPid()));
    }

    /** {@code jcmd PID GC.run}, then the heap's use from {@code GC.heap_info}; 0 where jcmd could not attach. */
    private static long liveHeapKib(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(jcmd, String.valueOf(pid), "GC.run");
            Matcher used = HEAP_USED.matcher(run(jcmd, String.valueOf(pid), "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Every admission review's latency and who asked for what, from the webhook's log. */
    record Reviews(List<Double> latenciesMs, Map<String, Integer> byPathOperationUser) {
    }

    Snapshot snapshot() {
        String apiserver = stack.client().raw(stack.controlPlane().url() + "/metrics");
        String webhookMetrics = scrapeWebhook();
        return new Snapshot(
                sum(webhookMetrics, "milvus_upgrade_webhook_reviews_total", ADMISSION_PATHS),
                sum(webhookMetrics, "milvus_upgrade_webhook_reviews_total", CONVERSION_PATH),
                sum(scrapeController(), "milvus_upgrade_controller_reconciles_total", null),
                sum(apiserver, "apiserver_request_total", null),
                sum(apiserver, "apiserver_request_total", Pattern.compile("verb=\"(POST|PUT|PATCH|DELETE|APPLY)\"")),
                webhookLog().toFile().length());
    }

    /** Upgrades the controller reports as {@code Succeeded} (its {@code milvus_upgrade_state} gauge). */
    int succeeded() {
        return (int) scrapeController().lines()
                .filter(line -> line.startsWith("milvus_upgrade_state{") && line.contains("state=\"Succeeded\"") && line.endsWith(" 1.0"))
                .count();
    }

    boolean controllerLeads() {
        return sum(scrapeController(), "milvus_upgrade_controller_leader", null) == 1;
    }

    Reviews latenciesSince(Snapshot before) {
        List<Double> latencies = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        try (RandomAccessFile log = new RandomAccessFile(webhookLog().toFile(), "r")) {
            log.seek(before.webhookLogOffset());
            byte[] rest = new byte[(int) (log.length() - before.webhookLogOffset())];
            log.readFully(rest);
            new String(rest, StandardCharsets.UTF_8).lines().forEach(line -> {
                Matcher m = ADMISSION.matcher(line);
                if (!m.find()) return;
                latencies.add(Double.valueOf(m.group(4)));
                String who = m.group(3).endsWith(":milvus-upgrade-controller") ? "controller" : "others";
                counts.merge(m.group(1) + " " + m.group(2) + " by " + who, 1, Integer::sum);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reviews(latencies, counts);
    }

    Sampler sample() {
        return new Sampler();
    }

    /** Samples memory and queue depth every 0.5 s on its own thread until closed. */
    final class Sampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private long webhookRss;
        private long controllerRss;
        private int depth;

        private Sampler() {
            thread = Thread.ofPlatform().name("bench-scale-sampler").daemon().start(this::loop);
        }

        private void loop() {
            while (running) {
                synchronized (this) {
                    webhookRss = Math.max(webhookRss, rssKib(stack.webhookPid()));
                    controllerRss = Math.max(controllerRss, rssKib(stack.controllerPid()));
                    try {
                        depth = Math.max(depth, (int) sum(scrapeController(), "milvus_upgrade_controller_work_queue_depth", null));
                    } catch (RuntimeException e) {
                        // a scrape that failed is a sample missed, not a failed run
                    }
                }
                try {
                    Thread.sleep(500); // the sampling period
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        synchronized Peaks peaks() {
            return new Peaks(webhookRss, controllerRss, depth);
        }

        @Override
        public void close() {
            running = false;
            thread.interrupt();
        }
    }

    private Path webhookLog() {
        return stack.dir().resolve("webhook.log");
    }

    private String scrapeWebhook() {
        try {
            return webhook.get("/metrics").body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String scrapeController() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(stack.controllerMetricsUrl())).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sum of every sample of {@code metric} in Prometheus' text format, those whose labels match {@code labels} if given. */
    static double sum(String exposition, String metric, Pattern labels) {
        double total = 0;
        for (String line : exposition.lines().toList()) {
            if (line.startsWith("#") || !(line.startsWith(metric + "{") || line.startsWith(metric + " "))) continue;
            if (labels != null && !labels.matcher(line).find()) continue;
            total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return total;
    }

    private static long rssKib(long pid) {
        if (pid == 0) return 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            return 0; // the process has gone
        }
        return 0;
    }
}
