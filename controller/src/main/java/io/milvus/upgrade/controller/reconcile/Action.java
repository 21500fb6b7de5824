package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.milvus.upgrade.api.v1beta1.Milvus;

/**
 * One change to the cluster that a reconcile asks for. Each is idempotent, so that a reconcile
 * cut short after any of them is simply run again.
 */
public sealed interface Action {

    /** Adds {@link UpgradeReconciler#FINALIZER} to the MilvusUpgrade. */
    record AddFinalizer() implements Action {
    }

    /** Removes {@link UpgradeReconciler#FINALIZER}: the MilvusUpgrade (and what it owns) may go. */
    record RemoveFinalizer() implements Action {
    }

    /** Writes {@code milvus}'s spec; its resourceVersion is the one observed, so a stale write fails. */
    record UpdateMilvus(Milvus milvus) implements Action {
    }

    /** Creates the backup PVC unless it exists. */
    record CreateBackupPvc(PersistentVolumeClaim pvc) implements Action {
    }

    /** Writes the step's ConfigMap, then creates the attempt's Job unless it exists. */
    record RunTask(ConfigMap configMap, Job job) implements Action {
    }

    /** Deletes a Job and, in the foreground, its pods. */
    record DeleteJob(String name) implements Action {
    }

    /** Deletes a ConfigMap the upgrade created. */
    record DeleteConfigMap(String name) implements Action {
    }

    /** Deletes the backup PVC the upgrade created: only once the backup is no longer needed. */
    record DeleteBackupPvc(String name) implements Action {
    }
}
