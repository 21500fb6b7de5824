package io.milvus.upgrade.controller.runtime;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.reconcile.Action;
import io.milvus.upgrade.controller.reconcile.Intent;
import io.milvus.upgrade.controller.reconcile.UpgradeEvent;
import io.milvus.upgrade.controller.reconcile.UpgradeRecord;
import io.milvus.upgrade.controller.migration.ChildNames;
import io.milvus.upgrade.controller.reconcile.UpgradeReconciler;
import io.milvus.upgrade.log.LogEvent;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an {@link Intent}: the record annotation, then the status through the status
 * subresource, the first write with the observed resourceVersion (a stale reconcile fails there,
 * before it acts), then the actions in order, then the Events. Creating what exists already
 * counts as done.
 */
public final class IntentApplier {

    private static final Logger LOG = LoggerFactory.getLogger(IntentApplier.class);

    private final KubernetesClient client;

    public IntentApplier(KubernetesClient client) {
        this.client = client;
    }

    public void apply(MilvusUpgrade upgrade, Intent intent) {
        String namespace = upgrade.getMetadata().getNamespace();
        MilvusUpgrade current = upgrade;
        boolean finalizerWritten = false;
        if (intent.record() != null && !intent.record().equals(UpgradeRecord.orEmpty(upgrade))) {
            // First the record, then the status that stands on it; a stale resourceVersion fails here, before anything acts.
            MilvusUpgrade annotated = ApiSerialization.kubernetes().clone(upgrade);
            if (annotated.getMetadata().getAnnotations() == null) annotated.getMetadata().setAnnotations(new LinkedHashMap<>());
            annotated.getMetadata().getAnnotations().put(UpgradeRecord.ANNOTATION, intent.record().encode());
            // A finalizer to add goes in the same write (one write and one event less per upgrade): earlier than the
            // actions, which is never too early for a finalizer.
            finalizerWritten = intent.actions().stream().anyMatch(Action.AddFinalizer.class::isInstance);
            if (finalizerWritten && !annotated.getMetadata().getFinalizers().contains(UpgradeReconciler.FINALIZER)) {
                annotated.getMetadata().getFinalizers().add(UpgradeReconciler.FINALIZER);
            }
            current = client.resources(MilvusUpgrade.class).inNamespace(namespace).resource(annotated).update();
        }
        if (!sameJson(upgrade.getStatus(), intent.status())) {
            MilvusUpgrade withStatus = ApiSerialization.kubernetes().clone(current);
            withStatus.setStatus(intent.status());
            client.resources(MilvusUpgrade.class).inNamespace(namespace).resource(withStatus).updateStatus();
        }
        for (Action action : intent.actions()) {
            if (finalizerWritten && action instanceof Action.AddFinalizer) continue;
            try {
                apply(upgrade, action);
            } catch (KubernetesClientException e) {
                record(upgrade, UpgradeEvent.warning("ActionFailed", describe(action) + " failed: " + e.getMessage()));
                throw e;
            }
        }
        intent.events().forEach(event -> record(upgrade, event));
    }

    private void apply(MilvusUpgrade upgrade, Action action) {
        String namespace = upgrade.getMetadata().getNamespace();
        String name = upgrade.getMetadata().getName();
        switch (action) {
            case Action.AddFinalizer a -> client.resources(MilvusUpgrade.class).inNamespace(namespace).withName(name).edit(u -> {
                if (!u.getMetadata().getFinalizers().contains(UpgradeReconciler.FINALIZER)) {
                    u.getMetadata().getFinalizers().add(UpgradeReconciler.FINALIZER);
                }
                return u;
            });
            case Action.RemoveFinalizer r -> ignoringNotFound(() -> client.resources(MilvusUpgrade.class).inNamespace(namespace)
                    .withName(name).edit(u -> {
                        u.getMetadata().getFinalizers().remove(UpgradeReconciler.FINALIZER);
                        return u;
                    }));
            case Action.UpdateMilvus u -> {
                Milvus milvus = u.milvus();
                client.resources(Milvus.class).inNamespace(milvus.getMetadata().getNamespace()).resource(milvus).update();
                LogEvent.info(LOG, "milvus_updated")
                        .addKeyValue("upgrade", namespace + "/" + name)
                        .addKeyValue("milvus", milvus.getMetadata().getNamespace() + "/" + milvus.getMetadata().getName()).log();
            }
            case Action.CreateBackupPvc c -> createIfAbsent(c.pvc());
            case Action.RunTask t -> {
                client.configMaps().inNamespace(namespace).resource(t.configMap()).createOr(NonDeletingOperation::update);
                createIfAbsent(t.job());
                LogEvent.info(LOG, "job_created")
                        .addKeyValue("upgrade", namespace + "/" + name)
                        .addKeyValue("job", t.job().getMetadata().getName()).log();
            }
            case Action.DeleteJob d -> client.batch().v1().jobs().inNamespace(namespace).withName(d.name())
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            case Action.DeleteConfigMap c -> client.configMaps().inNamespace(namespace).withName(c.name()).delete();
            case Action.DeleteBackupPvc p -> client.persistentVolumeClaims().inNamespace(namespace).withName(p.name()).delete();
        }
    }

    private void createIfAbsent(HasMetadata object) {
        try {
            client.resource(object).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
        }
    }

    private static void ignoringNotFound(Runnable call) {
        try {
            call.run();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) throw e;
        }
    }

    /** An Event on the MilvusUpgrade; losing one is logged, never fatal. */
    public void record(MilvusUpgrade upgrade, UpgradeEvent event) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(upgrade.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata()
                        .withName(ChildNames.event(upgrade.getMetadata().getName(), UUID.randomUUID().toString().substring(0, 13).replace("-", "")))
                        .withNamespace(upgrade.getMetadata().getNamespace())
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion("milvus.io/v1beta1").withKind("MilvusUpgrade")
                            .withNamespace(upgrade.getMetadata().getNamespace()).withName(upgrade.getMetadata().getName())
                            .withUid(upgrade.getMetadata().getUid()).withResourceVersion(upgrade.getMetadata().getResourceVersion())
                            .build())
                    .withType(event.type().name())
                    .withReason(event.reason())
                    .withMessage(event.message())
                    .withNewSource().withComponent(MigrationJobFactory.MANAGER).endSource()
                    .withReportingComponent(MigrationJobFactory.MANAGER)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
            LogEvent.info(LOG, "k8s_event")
                    .addKeyValue("upgrade", upgrade.getMetadata().getNamespace() + "/" + upgrade.getMetadata().getName())
                    .addKeyValue("type", event.type())
                    .addKeyValue("reason", event.reason())
                    .addKeyValue("note", event.message()).log();
        } catch (KubernetesClientException e) {
            LogEvent.warn(LOG, "k8s_event_lost")
                    .addKeyValue("upgrade", upgrade.getMetadata().getNamespace() + "/" + upgrade.getMetadata().getName())
                    .addKeyValue("reason", event.reason())
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    private static String describe(Action action) {
        return switch (action) {
            case Action.AddFinalizer a -> "adding the finalizer";
            case Action.RemoveFinalizer r -> "removing the finalizer";
            case Action.UpdateMilvus u -> "updating Milvus " + u.milvus().getMetadata().getNamespace() + "/" + u.milvus().getMetadata().getName();
            case Action.CreateBackupPvc c -> "creating the backup PVC " + c.pvc().getMetadata().getName();
            case Action.RunTask t -> "starting Job " + t.job().getMetadata().getName();
            case Action.DeleteJob d -> "deleting Job " + d.name();
            case Action.DeleteConfigMap c -> "deleting ConfigMap " + c.name();
            case Action.DeleteBackupPvc p -> "deleting the backup PVC " + p.name();
        };
    }

    private static boolean sameJson(Object a, Object b) {
        return Objects.equals(ApiSerialization.json().valueToTree(a), ApiSerialization.json().valueToTree(b));
    }
}
