package io.milvus.upgrade.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.admission.ReviewDeadline;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeTargetLabels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads from the apiserver with a deadline per lookup: the apiserver gives the whole review a
 * few seconds, and a slow read must become a warning, not a failed review. Each read runs on a
 * virtual thread and is abandoned at the deadline; the client's own timeouts end it later.
 *
 * <p>Outcomes: a missing object, or a resource type that is not installed (HTTP 404), is
 * {@link Lookup.NotFound}; no permission (401/403), no answer in time, or any other failure is
 * {@link Lookup.Unavailable} with a reason a user can act on.
 */
public final class KubernetesClusterLookup implements ClusterLookup, AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public KubernetesClusterLookup(KubernetesClient client) {
        this(client, DEFAULT_TIMEOUT);
    }

    public KubernetesClusterLookup(KubernetesClient client, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the lookup timeout must be positive, not " + timeout);
        }
        this.client = client;
        this.timeout = timeout;
    }

    @Override
    public Lookup<Milvus> milvus(String namespace, String name) {
        return bounded("Milvus " + namespace + "/" + name, () -> {
            Milvus milvus = client.resources(Milvus.class).inNamespace(namespace).withName(name).get();
            return milvus == null ? new Lookup.NotFound<>() : new Lookup.Found<>(milvus);
        });
    }

    @Override
    public Lookup<List<MilvusUpgrade>> upgradesOf(String namespace, String milvusName) {
        return bounded("MilvusUpgrades in all namespaces", () -> new Lookup.Found<>(
                client.resources(MilvusUpgrade.class).inAnyNamespace().list().getItems().stream()
                        .filter(upgrade -> upgrade.targets(namespace, milvusName))
                        .toList()));
    }

    /**
     * The MilvusUpgrades labelled as targeting this Milvus ({@link UpgradeTargetLabels}), read
     * fresh: a LIST by label selector, whose answer holds only them however many the cluster has.
     */
    public Lookup<List<MilvusUpgrade>> labelledUpgradesOf(String namespace, String milvusName) {
        Optional<Map<String, String>> labels = UpgradeTargetLabels.of(namespace, milvusName);
        if (labels.isEmpty()) return new Lookup.Found<>(List.of()); // no valid label value: none can carry it
        return bounded("MilvusUpgrades labelled for Milvus " + namespace + "/" + milvusName, () -> new Lookup.Found<>(
                client.resources(MilvusUpgrade.class).inAnyNamespace().withLabels(labels.get()).list().getItems()));
    }

    private <T> Lookup<T> bounded(String what, Supplier<Lookup<T>> read) {
        // The review's deadline bounds all its lookups together; each one also gets at most the timeout.
        Duration left = ReviewDeadline.remaining(timeout);
        if (left.isZero()) {
            return new Lookup.Unavailable<>("no time was left in the review to read " + what);
        }
        Future<Lookup<T>> future;
        try {
            future = executor.submit(read::get);
        } catch (RejectedExecutionException e) {
            return new Lookup.Unavailable<>("the cluster lookup is shut down; " + what + " was not read");
        }
        try {
            return future.get(left.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Interrupts the read: fabric8 retries are off, so nothing goes on in the background.
            future.cancel(true);
            return new Lookup.Unavailable<>("the apiserver did not answer within " + readable(left) + " when reading " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup.Unavailable<>("interrupted while reading " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KubernetesClientException k && k.getCode() == 404) {
                return new Lookup.NotFound<>(); // the resource type is not installed: there is none to find
            }
            return new Lookup.Unavailable<>(reason(what, e.getCause()));
        }
    }

    /** {@code 2s}, {@code 250ms}: as users write durations. */
    static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 && duration.toMillis() > 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }

    private static String reason(String what, Throwable cause) {
        if (cause instanceof KubernetesClientException k) {
            if (k.getCode() == 403 || k.getCode() == 401) {
                return "no permission to read " + what + " (HTTP " + k.getCode() + "); grant the webhook's service account get/list on it";
            }
            return "reading " + what + " failed: " + (k.getCode() > 0 ? "HTTP " + k.getCode() + " " : "") + firstLine(k.getMessage());
        }
        return "reading " + what + " failed: " + firstLine(String.valueOf(cause));
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
