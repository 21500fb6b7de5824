package io.milvus.upgrade.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.localstack.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The states one MilvusUpgrade passes through, as a watch sees them, for the record and for the assertions. */
final class UpgradeStates implements AutoCloseable {

    private final List<String> seen = new ArrayList<>();
    private final Watch watch;

    private UpgradeStates(KubernetesClient client, String namespace, String name) {
        this.watch = client.resources(MilvusUpgrade.class).inNamespace(namespace).withName(name).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, MilvusUpgrade upgrade) {
                record(action == Action.DELETED ? "(deleted)"
                        : upgrade.getStatus() == null || upgrade.getStatus().getState() == null ? "\"\"" : upgrade.getStatus().getState());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
    }

    static UpgradeStates watch(KubernetesClient client, String namespace, String name) {
        return new UpgradeStates(client, namespace, name);
    }

    private synchronized void record(String state) {
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) seen.add(state);
    }

    synchronized List<String> seen() {
        return List.copyOf(seen);
    }

    void await(String state, Duration timeout) {
        Poll.until(timeout, "state " + state + " (seen: " + this + ")", () -> seen().contains(state));
    }

    @Override
    public synchronized String toString() {
        return String.join(" → ", seen);
    }

    @Override
    public void close() {
        watch.close();
    }
}
