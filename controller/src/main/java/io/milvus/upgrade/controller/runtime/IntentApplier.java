package io.milvus.upgrade.controller.runtime;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.reconcile.Action;
import io.milvus.upgrade.controller.reconcile.Intent;
import io.milvus.upgrade.controller.reconcile.Notice;
import io.milvus.upgrade.controller.reconcile.UpgradeReconciler;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an {@link Intent}: the status first, through the status subresource and with the
 * observed resourceVersion (a stale reconcile fails there, before it acts), then the actions in
 * order, then the Events. Creating what exists already counts as done.
 */
public final class IntentApplier {

    private static final Logger LOG = LoggerFactory.getLogger(IntentApplier.class);

    private final KubernetesClient client;

    public IntentApplier(KubernetesClient client) {
        this.client = client;
    }

    public void apply(MilvusUpgrade upgrade, Intent intent) {
        String namespace = upgrade.getMetadata().getNamespace();
        String name = upgrade.getMetadata().getName();
        if (!sameJson(upgrade.getStatus(), intent.status())) {
            MilvusUpgrade withStatus = ApiSerialization.kubernetes().clone(upgrade);
            withStatus.setStatus(intent.status());
            client.resources(MilvusUpgrade.class).inNamespace(namespace).resource(withStatus).updateStatus();
        }
        for (Action action : intent.actions()) {
            try {
                apply(upgrade, action);
            } catch (KubernetesClientException e) {
                record(upgrade, Notice.warning("ActionFailed", describe(action) + " failed: " + e.getMessage()));
                throw e;
            }
        }
        intent.notices().forEach(notice -> record(upgrade, notice));
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
                LOG.info("event=milvus_updated upgrade={}/{} milvus={}/{}", namespace, name,
                        milvus.getMetadata().getNamespace(), milvus.getMetadata().getName());
            }
            case Action.CreateBackupPvc c -> createIfAbsent(c.pvc());
            case Action.RunTask t -> {
                client.configMaps().inNamespace(namespace).resource(t.configMap()).createOr(NonDeletingOperation::update);
                createIfAbsent(t.job());
                LOG.info("event=job_created upgrade={}/{} job={}", namespace, name, t.job().getMetadata().getName());
            }
            case Action.DeleteJob d -> client.batch().v1().jobs().inNamespace(namespace).withName(d.name())
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            case Action.KeepBackupPvc k -> ignoringNotFound(() -> client.persistentVolumeClaims().inNamespace(namespace)
                    .withName(k.name()).edit(pvc -> withoutOwner(pvc, upgrade)));
        }
    }

    private static PersistentVolumeClaim withoutOwner(PersistentVolumeClaim pvc, MilvusUpgrade upgrade) {
        pvc.getMetadata().setOwnerReferences(new ArrayList<>(pvc.getMetadata().getOwnerReferences().stream()
                .filter(ref -> !Objects.equals(ref.getUid(), upgrade.getMetadata().getUid())).toList()));
        return pvc;
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
    public void record(MilvusUpgrade upgrade, Notice notice) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(upgrade.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata()
                        .withName(upgrade.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
                        .withNamespace(upgrade.getMetadata().getNamespace())
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion("milvus.io/v1beta1").withKind("MilvusUpgrade")
                            .withNamespace(upgrade.getMetadata().getNamespace()).withName(upgrade.getMetadata().getName())
                            .withUid(upgrade.getMetadata().getUid()).withResourceVersion(upgrade.getMetadata().getResourceVersion())
                            .build())
                    .withType(notice.type().name())
                    .withReason(notice.reason())
                    .withMessage(notice.message())
                    .withNewSource().withComponent(MigrationJobFactory.MANAGER).endSource()
                    .withReportingComponent(MigrationJobFactory.MANAGER)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
            LOG.info("event=k8s_event upgrade={}/{} type={} reason={} message=\"{}\"", upgrade.getMetadata().getNamespace(),
                    upgrade.getMetadata().getName(), notice.type(), notice.reason(), notice.message());
        } catch (KubernetesClientException e) {
            LOG.warn("event=k8s_event_lost upgrade={}/{} reason={} error=\"{}\"", upgrade.getMetadata().getNamespace(),
                    upgrade.getMetadata().getName(), notice.reason(), e.getMessage());
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
            case Action.KeepBackupPvc k -> "releasing the backup PVC " + k.name();
        };
    }

    private static boolean sameJson(Object a, Object b) {
        return Objects.equals(ApiSerialization.json().valueToTree(a), ApiSerialization.json().valueToTree(b));
    }
}
