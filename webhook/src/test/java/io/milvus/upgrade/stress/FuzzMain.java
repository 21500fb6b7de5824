package io.milvus.upgrade.stress;

import io.milvus.upgrade.localstack.HttpsClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The malformed-review run of issue 27 against a running server (127.0.0.1 only), path by path:
 *
 * <pre>
 *   FuzzMain PORT CA_CRT SERVER_PID SERVER_LOG PER_ENDPOINT CONCURRENCY HUGE_BYTES SEED
 * </pre>
 *
 * <p>Prints a tab-separated row per path: cases, statuses, HTTP 500s, OutOfMemoryErrors in the
 * server's log while the path ran, contract violations (with the first few), and the server's peak
 * heap in use (from {@code jstat}, sampled every 20 ms: young, survivor and old generation).
 */
public final class FuzzMain {

    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: FuzzMain PORT CA_CRT SERVER_PID SERVER_LOG PER_ENDPOINT CONCURRENCY HUGE_BYTES SEED");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path ca = Path.of(args[1]);
        long pid = Long.parseLong(args[2]);
        Path log = Path.of(args[3]);
        int concurrency = Integer.parseInt(args[5]);
        long seed = Long.parseLong(args[7]);
        int perEndpoint = Integer.parseInt(args[4]);
        int hugeBytes = Integer.parseInt(args[6]);
        HttpsClient client = new HttpsClient(ca, port, HttpClient.Version.HTTP_2);
        // Status -1: no answer (the stream was reset: a body the server stopped reading, 408 or 503).
        System.out.println(String.join("\t", "path", "cases", "statuses", "http500", "oom", "contract_violations", "peak_heap_mib", "examples"));
        for (MalformedReviews.Endpoint endpoint : MalformedReviews.Endpoint.values()) {
            long oomBefore = ooms(log);
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> violations = new ArrayList<>();
            long peak;
            // At most twice the concurrency built ahead: a huge case holds megabytes until it is sent.
            Semaphore ahead = new Semaphore(2 * concurrency);
            try (HeapSampler heap = new HeapSampler(pid); ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
                List<Future<String>> answers = new ArrayList<>();
                for (MalformedReviews.Case hostile : (Iterable<MalformedReviews.Case>) MalformedReviews.cases(seed, endpoint, perEndpoint, hugeBytes)::iterator) {
                    ahead.acquire();
                    answers.add(pool.submit(() -> {
                        try {
                            return send(client, hostile, statuses);
                        } finally {
                            ahead.release();
                        }
                    }));
                }
                for (Future<String> answer : answers) {
                    String wrong = answer.get();
                    if (wrong != null) violations.add(wrong);
                }
                peak = heap.peakBytes();
            }
            long http500 = statuses.getOrDefault(500, 0);
            List<String> contract = violations.stream().filter(v -> !v.startsWith("HTTP 500") && !v.startsWith("no answer")).toList();
            System.out.println(String.join("\t", endpoint.path, String.valueOf(perEndpoint), statuses.toString(), String.valueOf(http500),
                    String.valueOf(ooms(log) - oomBefore), String.valueOf(contract.size()), String.valueOf(peak / (1024 * 1024)),
                    String.join(" | ", contract.stream().limit(4).toList())));
        }
    }

    /** What is wrong with the answer to {@code hostile}, or null; counts its status (-1: none). */
    private static String send(HttpsClient client, MalformedReviews.Case hostile, Map<Integer, Integer> statuses) throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.post(hostile.path(), hostile.body());
        } catch (IOException e) {
            synchronized (statuses) {
                statuses.merge(-1, 1, Integer::sum);
            }
            return "no answer (" + e + ") for " + hostile;
        }
        synchronized (statuses) {
            statuses.merge(response.statusCode(), 1, Integer::sum);
        }
        String wrong = MalformedReviews.violation(hostile, response.statusCode(), response.body());
        return wrong == null ? null : wrong + " for " + hostile;
    }

    private static long ooms(Path log) throws IOException {
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains("OutOfMemoryError")).count();
        }
    }

    /** The server's heap in use, from {@code jstat -gc PID 20}: S0U + S1U + EU + OU, in KiB. */
    private static final class HeapSampler implements AutoCloseable {
        private final Process jstat;
        private final AtomicLong peakKib = new AtomicLong();
        private final Thread reader;

        HeapSampler(long pid) throws IOException {
            jstat = new ProcessBuilder("jstat", "-gc", String.valueOf(pid), "20").redirectErrorStream(true).start();
            reader = Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
                String header = lines.readLine();
                if (header == null) return;
                List<String> names = List.of(header.trim().split("\\s+"));
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] values = line.trim().split("\\s+");
                    if (values.length != names.size()) continue;
                    double used = 0;
                    for (String column : List.of("S0U", "S1U", "EU", "OU")) used += Double.parseDouble(values[names.indexOf(column)]);
                    long kib = (long) used;
                    peakKib.accumulateAndGet(kib, Math::max);
                }
            } catch (IOException | RuntimeException e) {
                // the server went away: the peak so far stands
            }
        }

        long peakBytes() {
            return peakKib.get() * 1024;
        }

        @Override
        public void close() throws InterruptedException {
            jstat.destroy();
            reader.join(2_000);
        }
    }
}
