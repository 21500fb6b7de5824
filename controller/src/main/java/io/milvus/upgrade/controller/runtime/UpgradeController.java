package io.milvus.upgrade.controller.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.config.TrimmingStore;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.controller.health.ControllerMetrics;
import io.milvus.upgrade.controller.reconcile.Intent;
import io.milvus.upgrade.controller.reconcile.UpgradeReconciler;
import io.milvus.upgrade.controller.reconcile.ObservedCluster;
import io.milvus.upgrade.log.LogEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric8 side: informers on MilvusUpgrades, their Milvuses, the Milvus Deployments and what
 * the upgrades own feed one {@link WorkQueue} of MilvusUpgrade keys; each reconcile reads the
 * upgrade and its Milvus fresh from the API (a cache may lag behind our own last write), the rest
 * from the informer caches, asks the {@link UpgradeReconciler} for an intent and applies it.
 */
public final class UpgradeController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeController.class);

    private final KubernetesClient client;
    private final UpgradeReconciler reconciler;
    private final IntentApplier applier;
    private final ControllerMetrics metrics;
    private final Clock clock;
    private final Duration resync;
    private final WorkQueue<Key> queue;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<MilvusUpgrade> upgrades;
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<ConfigMap> configMaps;
    private SharedIndexInformer<Deployment> deployments;
    private volatile boolean synced;

    /** A MilvusUpgrade by namespace and name. */
    public record Key(String namespace, String name) {
        static Key of(HasMetadata object) {
            return new Key(object.getMetadata().getNamespace(), object.getMetadata().getName());
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    public UpgradeController(KubernetesClient client, UpgradeReconciler reconciler, ControllerMetrics metrics,
                             Clock clock, Duration resync, int workers) {
        this.client = client;
        this.reconciler = reconciler;
        this.applier = new IntentApplier(client);
        this.metrics = metrics;
        this.clock = clock;
        this.resync = resync;
        this.queue = new WorkQueue<>("reconcile", workers,
                new WorkQueue.Backoff(Duration.ofMillis(500), Duration.ofMinutes(5)), this::reconcile);
        metrics.workQueue(queue::depth);
    }

    /** Starts the informers, waits for their caches, then the workers. */
    public void start(Duration syncTimeout) {
        // An upgrade's change may let another upgrade of the same Milvus start: it is woken too.
        // Every lookup by index, not a scan of the cache: an event or a reconcile costs the same with 10 upgrades or 10,000.
        ReconcileTriggers triggers = new ReconcileTriggers(new ReconcileTriggers.UpgradeIndex() {
            @Override
            public List<MilvusUpgrade> targeting(String milvusKey) {
                return upgrades.getIndexer().byIndex(BY_TARGET, milvusKey);
            }

            @Override
            public List<MilvusUpgrade> withUid(String uid) {
                return upgrades.getIndexer().byIndex(BY_UID, uid);
            }
        });
        upgrades = client.resources(MilvusUpgrade.class).inAnyNamespace().runnableInformer(resync.toMillis());
        upgrades.addIndexers(Map.of(BY_TARGET, u -> List.of(ReconcileTriggers.targetKey(u)), BY_UID, u -> List.of(u.getMetadata().getUid())));
        register(upgrades, triggers::ofUpgrade);
        register(client.resources(Milvus.class).inAnyNamespace().runnableInformer(0), triggers::ofMilvus);
        deployments = register(indexedByLabel(client.apps().deployments().inAnyNamespace().withLabel(MilvusHealth.INSTANCE_LABEL)
                .runnableInformer(0), MilvusHealth.INSTANCE_LABEL), triggers::ofDeployment);
        jobs = register(indexedByLabel(client.batch().v1().jobs().inAnyNamespace().withLabel(MigrationJobFactory.LABEL_UPGRADE_UID)
                .runnableInformer(0), MigrationJobFactory.LABEL_UPGRADE_UID), triggers::ofCreated);
        configMaps = register(indexedByLabel(client.configMaps().inAnyNamespace().withLabel(MigrationJobFactory.LABEL_UPGRADE_UID)
                .runnableInformer(0), MigrationJobFactory.LABEL_UPGRADE_UID), triggers::ofCreated);
        register(client.persistentVolumeClaims().inAnyNamespace().withLabel(MigrationJobFactory.LABEL_UPGRADE_UID).runnableInformer(0),
                triggers::ofCreated);
        CompletableFuture<?>[] started = informers.stream().map(SharedIndexInformer::start).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(started).get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the informer caches did not sync within " + syncTimeout.toSeconds()
                    + "s (missing RBAC rights or CRDs?): " + e.getMessage(), e);
        }
        synced = true;
        queue.start();
        LogEvent.info(LOG, "controller_started").addKeyValue("upgrades", upgrades.getStore().list().size()).log();
    }

    public boolean isSynced() {
        return synced;
    }

    private static final String BY_TARGET = "milvus";
    private static final String BY_UID = "uid";
    private static final String BY_LABEL = "label";

    /** Indexed by {@code namespace/value} of {@code label}, which the informer's selector makes present on every object. */
    private static <T extends HasMetadata> SharedIndexInformer<T> indexedByLabel(SharedIndexInformer<T> informer, String label) {
        informer.addIndexers(Map.of(BY_LABEL, o -> List.of(labelKey(o.getMetadata().getNamespace(), o.getMetadata().getLabels().get(label)))));
        return informer;
    }

    private static String labelKey(String namespace, String value) {
        return namespace + "/" + value;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> register(SharedIndexInformer<T> informer, Function<T, List<Key>> keys) {
        informer.exceptionHandler(new InformerRetry());
        // Nothing here reads managed fields, and an update without them leaves the apiserver's as they are.
        informer.itemStore(TrimmingStore.withoutManagedFields());
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                keys.apply(object).forEach(queue::add);
            }

            @Override
            public void onUpdate(T before, T after) {
                keys.apply(after).forEach(queue::add);
            }

            @Override
            public void onDelete(T object, boolean unknownFinalState) {
                keys.apply(object).forEach(queue::add);
            }
        });
        informers.add(informer);
        return informer;
    }

    private Optional<Duration> reconcile(Key key) {
        long start = System.nanoTime();
        try {
            MilvusUpgrade upgrade = client.resources(MilvusUpgrade.class).inNamespace(key.namespace()).withName(key.name()).get();
            if (upgrade == null) {
                metrics.state(key.namespace(), key.name(), null);
                return Optional.empty();
            }
            Intent intent = reconciler.reconcile(upgrade, observe(upgrade));
            applier.apply(upgrade, intent);
            metrics.state(key.namespace(), key.name(), intent.releases() ? null : stateOf(intent));
            metrics.reconciled(System.nanoTime() - start);
            return intent.requeueAfter();
        } catch (KubernetesClientException e) {
            metrics.failed(e.getCode() == 409 ? "conflict" : "api", System.nanoTime() - start);
            throw e;
        } catch (RuntimeException e) {
            metrics.failed("internal", System.nanoTime() - start);
            LogEvent.error(LOG, "reconcile_bug").addKeyValue("key", key).setCause(e).log();
            throw e;
        }
    }

    private ObservedCluster observe(MilvusUpgrade upgrade) {
        String namespace = upgrade.getMetadata().getNamespace();
        String uid = upgrade.getMetadata().getUid();
        String milvusNamespace = upgrade.milvusNamespace();
        String milvusName = upgrade.milvusName();
        Optional<Milvus> milvus = milvusName == null || milvusName.isEmpty() ? Optional.empty()
                : Optional.ofNullable(client.resources(Milvus.class).inNamespace(milvusNamespace).withName(milvusName).get());
        List<Deployment> milvusDeployments = milvusName == null ? List.of()
                : deployments.getIndexer().byIndex(BY_LABEL, labelKey(milvusNamespace, milvusName));
        // Only what this very upgrade created: a re-created upgrade of the same name must not see its predecessor's Jobs.
        List<Job> created = jobs.getIndexer().byIndex(BY_LABEL, labelKey(namespace, uid));
        List<ConfigMap> createdConfigMaps = configMaps.getIndexer().byIndex(BY_LABEL, labelKey(namespace, uid));
        // Read fresh and whoever made it: the reconciler must see a PVC of that name that it did not create.
        Optional<PersistentVolumeClaim> pvc = Optional.ofNullable(
                client.persistentVolumeClaims().inNamespace(namespace).withName(upgrade.getMetadata().getName()).get());
        List<MilvusUpgrade> others = upgrades.getIndexer().byIndex(BY_TARGET, ReconcileTriggers.targetKey(milvusNamespace, milvusName)).stream()
                .filter(u -> u.targets(milvusNamespace, milvusName) && !Objects.equals(uid, u.getMetadata().getUid()))
                .toList();
        return new ObservedCluster(clock.instant(), milvus, milvusDeployments, created, createdConfigMaps, pvc, others);
    }

    private static String stateOf(Intent intent) {
        return intent.status().getState() == null ? "" : intent.status().getState();
    }

    @Override
    public void close() {
        queue.close();
        informers.forEach(SharedIndexInformer::stop);
    }
}
