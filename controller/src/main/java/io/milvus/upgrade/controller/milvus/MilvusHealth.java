package io.milvus.upgrade.controller.milvus;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import java.util.List;

/**
 * What the Milvus's Deployments (labelled {@code app.kubernetes.io/instance=<milvus>}) and its
 * status say about it. Counts of a Deployment whose controller has not seen its latest spec yet
 * are not trusted: they may still describe the previous image or replicas.
 */
public final class MilvusHealth {

    public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

    private MilvusHealth() {
    }

    /**
     * Every Deployment asks for and reports 0 replicas. No Deployment at all is no evidence: the
     * label may be missing, or the operator may not have written them yet, while Milvus runs.
     */
    public static boolean allStopped(List<Deployment> deployments) {
        return !deployments.isEmpty() && deployments.stream().allMatch(d -> isCurrent(d)
                && specReplicas(d) == 0
                && count(d.getStatus() == null ? null : d.getStatus().getReplicas()) == 0);
    }

    /**
     * The operator reports it Healthy for its current spec, or every Deployment has all its
     * replicas ready and together they run the {@code expectedReplicas} recorded before the upgrade.
     */
    public static boolean isHealthy(Milvus milvus, List<Deployment> deployments, int expectedReplicas) {
        return operatorSaysHealthy(milvus) || deploymentsReady(deployments, expectedReplicas);
    }

    static boolean operatorSaysHealthy(Milvus milvus) {
        MilvusStatus status = milvus.getStatus();
        if (status == null || !MilvusStatus.HEALTHY.equals(status.getStatus())) return false;
        Object observed = status.getAdditionalProperties().get("observedGeneration");
        Long generation = milvus.getMetadata().getGeneration();
        return !(observed instanceof Number n) || generation == null || n.longValue() >= generation;
    }

    static boolean deploymentsReady(List<Deployment> deployments, int expectedReplicas) {
        if (deployments.isEmpty()) return false;
        int ready = 0;
        for (Deployment d : deployments) {
            int readyHere = count(d.getStatus() == null ? null : d.getStatus().getReadyReplicas());
            if (!isCurrent(d) || readyHere != specReplicas(d)) return false;
            ready += readyHere;
        }
        return ready == expectedReplicas;
    }

    /** Unset means 1, as the apiserver defaults it. */
    static int specReplicas(Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    private static boolean isCurrent(Deployment d) {
        Long generation = d.getMetadata().getGeneration();
        Long observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
        return generation == null || observed == null || observed >= generation;
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
