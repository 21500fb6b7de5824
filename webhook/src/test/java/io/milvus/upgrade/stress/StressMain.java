package io.milvus.upgrade.stress;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The attack driver of {@code make stress} (.ci/stress.sh), against a server on 127.0.0.1 only:
 *
 * <pre>
 *   StressMain attack NAME PORT CA_CRT SECONDS RATE SERVER_LOG   one attack with valid reviews at RATE/s beside it
 *   StressMain load PORT CA_CRT SECONDS RATE                     valid reviews only (baseline, rolling restart)
 *   StressMain attacks                                           the attacks' names
 * </pre>
 *
 * <p>Prints one tab-separated row: name, what the attack did, valid reviews answered, failed,
 * p99 and max latency (ms), milliseconds from the attack's end until the server is healthy, the
 * failures by reason, and notes.
 */
public final class StressMain {

    /** Healthy: on a new connection, /readyz and a valid review both answered 200 within this, three times in a row. */
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(1);
    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(30);

    private StressMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("attacks")) {
            System.out.println(String.join(" ", Attacks.ALL.keySet()));
            return;
        }
        if (args.length == 7 && args[0].equals("attack") && Attacks.ALL.containsKey(args[1])) {
            attack(args[1], Integer.parseInt(args[2]), Path.of(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]), Path.of(args[6]));
            return;
        }
        if (args.length == 5 && args[0].equals("load")) {
            load(Integer.parseInt(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        System.err.println("usage: StressMain attack NAME PORT CA_CRT SECONDS RATE SERVER_LOG | load PORT CA_CRT SECONDS RATE | attacks\n"
                + "attacks: " + String.join(" ", Attacks.ALL.keySet()));
        System.exit(2);
    }

    private static void load(int port, Path ca, int seconds, int rate) throws Exception {
        ReviewLoad.Result result;
        try (ReviewLoad load = new ReviewLoad(ca, port, rate)) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the length of the run, not synchronisation
            result = load.finish();
        }
        print("valid reviews only", rate + "/s for " + seconds + " s", result, 0, "");
    }

    private static void attack(String name, int port, Path ca, int seconds, int rate, Path serverLog) throws Exception {
        long logBefore = Files.size(serverLog);
        Attacks attacks = new Attacks(ca, port);
        Attacks.Running running = Attacks.ALL.get(name).prepare(attacks);
        ReviewLoad.Result result;
        try (ReviewLoad load = new ReviewLoad(ca, port, rate)) {
            running.run(System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
            result = load.finish();
        }
        long healthyMillis = untilHealthy(ca, port);
        String notes = name.equals("log-injection") ? logNotes(serverLog, logBefore) : "";
        print(name, attacks.volume(), result, healthyMillis, notes);
    }

    private static void print(String name, String volume, ReviewLoad.Result result, long healthyMillis, String notes) {
        System.out.println(String.join("\t", name, volume, String.valueOf(result.answered()), String.valueOf(result.failed()),
                String.format(Locale.ROOT, "%.1f", result.p99Millis()), String.format(Locale.ROOT, "%.1f", result.maxMillis()),
                healthyMillis < 0 ? ">" + HEALTHY_DEADLINE.toMillis() : String.valueOf(healthyMillis), result.failureSummary(), notes));
    }

    /** Milliseconds until a streak of three healthy probes began, or -1 if none did within the deadline. */
    private static long untilHealthy(Path ca, int port) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + HEALTHY_DEADLINE.toNanos();
        long streakStart = -1;
        int streak = 0;
        while (System.nanoTime() < deadline) {
            long probe = System.nanoTime();
            if (healthy(ca, port)) {
                if (streak++ == 0) streakStart = probe;
                if (streak == 3) return TimeUnit.NANOSECONDS.toMillis(streakStart - start);
            } else {
                streak = 0;
                Thread.sleep(50); // the probes' pace, not synchronisation
            }
        }
        return -1;
    }

    private static boolean healthy(Path ca, int port) {
        String base = "https://127.0.0.1:" + port;
        try (HttpClient client = ReviewLoad.newClient(ca)) {
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).timeout(HEALTHY_WITHIN).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (ready.statusCode() != 200) return false;
            long start = System.nanoTime();
            HttpResponse<String> review = client.send(ReviewLoad.review(base, 0), HttpResponse.BodyHandlers.ofString());
            return ReviewLoad.answered(review) && System.nanoTime() - start < HEALTHY_WITHIN.toNanos();
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A raw line break, LS/PS or escape character in a log value would start or rewrite a line. */
    private static final Pattern FORGED_LINE = Pattern.compile("^[\\s\\x1b\\[0-9K]*" + Attacks.FORGED + "|[\\x1b\\u2028\\u2029]");

    private static String logNotes(Path serverLog, long before) throws IOException {
        byte[] all = Files.readAllBytes(serverLog);
        String added = new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
        List<String> lines = added.lines().toList();
        long forged = lines.stream().filter(line -> FORGED_LINE.matcher(line).find()).count();
        long longest = lines.stream().mapToLong(String::length).max().orElse(0);
        return "forged log lines=" + forged + ", log grew " + (all.length - before) / 1024 + " KiB in " + lines.size() + " lines, longest " + longest + " chars";
    }
}
