package io.milvus.upgrade.localstack;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.certs.MatchConditions;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * {@code make bench-scale}: N Milvus objects, each with a MilvusUpgrade, on a fresh real
 * kube-apiserver with the webhook, the controller and the SIMULATED kubelet of {@code make run};
 * from the first upgrade's create until every one is {@code Succeeded}, it measures what grows
 * with the cluster (see {@link ScaleResult} for the figures).
 */
public final class ScaleBench {

    static final String NAMESPACE = "scale";
    /** Creates in flight at once: a GitOps tool or a script applying many objects, not one kubectl at a time. */
    private static final int CLIENTS = 8;

    private final Path dir;
    private final Duration deadline;
    private final java.io.PrintStream out;
    private final boolean matchConditions;

    public ScaleBench(Path dir, Duration deadline, java.io.PrintStream out) {
        this(dir, deadline, out, true);
    }

    /** {@code matchConditions} false: the webhook configurations without them, as below Kubernetes 1.30, for the comparison. */
    public ScaleBench(Path dir, Duration deadline, java.io.PrintStream out, boolean matchConditions) {
        this.dir = dir;
        this.deadline = deadline;
        this.out = out;
        this.matchConditions = matchConditions;
    }

    /** One run on its own control plane, so that every counter and every process starts from nothing. */
    public ScaleResult run(int n) {
        Path runDir = dir.resolve("n-" + n);
        ControlPlane plane = ControlPlane.start(runDir.resolve("control-plane"));
        try (LocalStack stack = LocalStack.start(plane, runDir.resolve("stack"))) {
            if (!matchConditions) stack.registerWebhooksWithoutMatchConditions();
            stack.startController();
            try (SimulatedKubelet kubelet = new SimulatedKubelet(stack.client(), NAMESPACE)) {
                return measure(stack, n);
            }
        } finally {
            plane.close();
        }
    }

    private ScaleResult measure(LocalStack stack, int n) {
        KubernetesClient client = stack.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        long setup = System.nanoTime();
        inParallel(n, i -> createPatiently(client, milvus(i)));
        Progress comingUp = new Progress(setup);
        Poll.until(deadline, Duration.ofSeconds(2), n + " Milvus with a ready Deployment each", () -> {
            long due = comingUp.dueSeconds();
            try {
                int ready = readyDeployments(client);
                if (due > 0) out.printf("  N=%d: %d of %d Deployments ready after %d s%n", n, ready, n, due);
                return ready >= n;
            } catch (RuntimeException e) {
                // Poll retries it silently until its deadline; a failing LIST once stalled a run for an hour.
                if (due > 0) out.printf("  N=%d: listing the Deployments failed after %d s: %s%n", n, due, e);
                throw e;
            }
        });
        out.printf("  N=%d: %d Milvus created and running after %.0f s%n", n, n, (System.nanoTime() - setup) / 1e9);
        ScaleProbe probe = new ScaleProbe(stack);
        Poll.until(deadline, Duration.ofSeconds(1), "the controller leading", probe::controllerLeads);
        ScaleProbe.Snapshot before = probe.snapshot();
        try (ScaleProbe.Sampler sampler = probe.sample()) {
            long start = System.nanoTime();
            inParallel(n, i -> createPatiently(client, upgrade(i)));
            double applied = (System.nanoTime() - start) / 1e9;
            Progress upgrading = new Progress(start);
            Poll.until(deadline, Duration.ofSeconds(1), "all " + n + " MilvusUpgrades Succeeded", () -> {
                stillRunning(stack);
                int succeeded = probe.succeeded();
                long due = upgrading.dueSeconds();
                if (due > 0) out.printf("  N=%d: %d of %d Succeeded after %d s%n", n, succeeded, n, due);
                return succeeded >= n;
            });
            double total = (System.nanoTime() - start) / 1e9;
            ScaleProbe.Snapshot after = probe.snapshot();
            ScaleProbe.Peaks peaks = sampler.peaks();
            return ScaleResult.of(n, matchConditions && MatchConditions.supported(client), applied, total, before, after, peaks, probe.liveHeap(),
                    probe.latenciesSince(before));
        }
    }

    /** When a progress line is due while a poll waits: once every 30 s since {@code startNanos}. */
    private static final class Progress {
        private final long startNanos;
        private long shownHalfMinutes;

        Progress(long startNanos) {
            this.startNanos = startNanos;
        }

        /** The seconds to print, at most once per half minute; 0 in between. */
        long dueSeconds() {
            long halfMinutes = (System.nanoTime() - startNanos) / 30_000_000_000L;
            if (halfMinutes <= shownHalfMinutes) return 0;
            shownHalfMinutes = halfMinutes;
            return halfMinutes * 30;
        }
    }

    /** A webhook or controller that exited (say, its caches did not sync in time) ends the run at once, not at the deadline. */
    private static void stillRunning(LocalStack stack) {
        for (long pid : new long[] {stack.webhookPid(), stack.controllerPid()}) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new AssertionError("process " + pid + " exited; see the logs in " + stack.dir()); // Poll retries exceptions, not errors
            }
        }
    }

    /**
     * Creates, and on a timeout or a 5xx tries again (5 times at most): on a loaded machine the
     * apiserver can take longer than the client waits. A 409 after a timeout means the first try
     * got through.
     */
    private static void createPatiently(KubernetesClient client, io.fabric8.kubernetes.api.model.HasMetadata object) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resource(object).create();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() == 409 && attempt > 1) return;
                boolean transientFailure = e.getCode() == 0 || e.getCode() >= 500;
                if (!transientFailure || attempt == 5) throw e;
            }
        }
    }

    private static int readyDeployments(KubernetesClient client) {
        return (int) client.apps().deployments().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(d -> d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() > 0)
                .count();
    }

    private static String name(int i) {
        return "m-%05d".formatted(i);
    }

    /** The upgrade guide's Milvus: a standalone on 2.1.4. */
    private static Milvus milvus(int i) {
        return ApiSerialization.kubernetes().unmarshal("""
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata: {name: %s, namespace: %s}
                spec:
                  mode: standalone
                  components: {image: "milvusdb/milvus:v2.1.4"}
                """.formatted(name(i), NAMESPACE), Milvus.class);
    }

    /** The upgrade guide's MilvusUpgrade: 2.1.4 to 2.2.0, the rest defaulted by the webhook. */
    private static MilvusUpgrade upgrade(int i) {
        return ApiSerialization.kubernetes().unmarshal("""
                apiVersion: milvus.io/v1beta1
                kind: MilvusUpgrade
                metadata: {name: %s, namespace: %s}
                spec:
                  milvus: {name: %s}
                  sourceVersion: "v2.1.4"
                  targetVersion: "v2.2.0"
                """.formatted(name(i), NAMESPACE, name(i)), MilvusUpgrade.class);
    }

    private static void inParallel(int n, IntConsumer create) {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                done.add(pool.submit(() -> create.accept(index)));
            }
            for (Future<?> future : done) future.get();
        } catch (Exception e) {
            throw new IllegalStateException("creating the objects failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    static final String WITHOUT_MATCH_CONDITIONS = "--without-match-conditions";

    /**
     * {@code make bench-scale [N...] [--without-match-conditions]}: the table per N, on standard
     * output and in target/bench-scale/summary.txt.
     */
    public static void main(String[] args) throws IOException {
        List<String> arguments = List.of(args);
        boolean matchConditions = !arguments.contains(WITHOUT_MATCH_CONDITIONS);
        List<Integer> sizes = arguments.stream().filter(a -> !a.equals(WITHOUT_MATCH_CONDITIONS)).map(Integer::valueOf).toList();
        if (sizes.isEmpty()) sizes = List.of(100, 1_000, 3_000);
        Path out = Repository.root().resolve("target/bench-scale");
        Files.createDirectories(out);
        Path work = Files.createTempDirectory("milvus-upgrade-bench-scale-");
        ScaleBench bench = new ScaleBench(work, Duration.ofMinutes(60), System.out, matchConditions);
        StringBuilder summary = new StringBuilder();
        for (int n : sizes) {
            System.out.printf("bench-scale: N=%d (logs in %s)%n", n, work.resolve("n-" + n));
            String table = bench.run(n).table();
            System.out.println(table);
            summary.append(table).append('\n');
            try {
                Files.writeString(out.resolve("summary.txt"), summary);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
