package io.milvus.upgrade.controller.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The kube-controller-manager's garbage collector, for what an upgrade could own in one
 * namespace (the test control plane runs none): a MilvusUpgrade deleted in the foreground has
 * its dependents deleted at once, and keeps its {@code foregroundDeletion} finalizer until
 * those that block its deletion are gone; a dependent whose owner is gone is deleted.
 */
final class FakeGarbageCollector implements AutoCloseable {

    static final String FOREGROUND = "foregroundDeletion";

    private final KubernetesClient client;
    private final String namespace;
    private final Thread thread;
    private volatile boolean running = true;
    /** Every dependent it deleted, as kind/name. */
    final List<String> collected = java.util.Collections.synchronizedList(new ArrayList<>());

    FakeGarbageCollector(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.thread = Thread.ofPlatform().name("fake-gc-" + namespace).daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                collect();
            } catch (KubernetesClientException e) {
                // a conflict or a race with a deletion: next round
            }
            try {
                Thread.sleep(100); // a controller's pace, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void collect() {
        List<MilvusUpgrade> upgrades = client.resources(MilvusUpgrade.class).inNamespace(namespace).list().getItems();
        Set<String> live = upgrades.stream().map(u -> u.getMetadata().getUid()).collect(Collectors.toSet());
        Set<String> foreground = upgrades.stream()
                .filter(u -> u.getMetadata().getDeletionTimestamp() != null && u.getMetadata().getFinalizers().contains(FOREGROUND))
                .map(u -> u.getMetadata().getUid()).collect(Collectors.toSet());
        List<HasMetadata> dependents = Stream.<HasMetadata>concat(Stream.concat(
                        client.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream(),
                        client.configMaps().inNamespace(namespace).list().getItems().stream()),
                client.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()).toList();
        for (HasMetadata dependent : dependents) {
            List<OwnerReference> owners = dependent.getMetadata().getOwnerReferences().stream()
                    .filter(ref -> "MilvusUpgrade".equals(ref.getKind())).toList();
            if (owners.isEmpty() || dependent.getMetadata().getDeletionTimestamp() != null) continue;
            boolean ownerGone = owners.stream().noneMatch(ref -> live.contains(ref.getUid()));
            boolean ownerInForeground = owners.stream().anyMatch(ref -> foreground.contains(ref.getUid()));
            if (ownerGone || ownerInForeground) {
                client.resource(dependent).delete();
                collected.add(dependent.getKind() + "/" + dependent.getMetadata().getName());
            }
        }
        for (MilvusUpgrade upgrade : upgrades) {
            if (!foreground.contains(upgrade.getMetadata().getUid())) continue;
            boolean blocked = dependents.stream().anyMatch(d -> d.getMetadata().getOwnerReferences().stream()
                    .anyMatch(ref -> upgrade.getMetadata().getUid().equals(ref.getUid()) && Boolean.TRUE.equals(ref.getBlockOwnerDeletion()))
                    && exists(d));
            if (!blocked) {
                client.resources(MilvusUpgrade.class).inNamespace(namespace).withName(upgrade.getMetadata().getName()).edit(u -> {
                    u.getMetadata().getFinalizers().remove(FOREGROUND);
                    return u;
                });
            }
        }
    }

    private boolean exists(HasMetadata object) {
        return client.resource(object).get() != null;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
