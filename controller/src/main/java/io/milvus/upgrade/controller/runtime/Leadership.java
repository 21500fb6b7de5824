package io.milvus.upgrade.controller.runtime;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.milvus.upgrade.log.LogEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One active controller at a time, through a Lease: the Lease rights are checked up front (a
 * missing right is a clear start-up error, not a silent standby), and losing the Lease ends the
 * process, so that two leaders never act at once.
 */
public final class Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    public static final String LEASE_NAME = "milvus-upgrade-controller";

    private final KubernetesClient client;
    private final String namespace;
    private final String identity;
    private final LeaseTiming timing;
    private CompletableFuture<?> running;

    public Leadership(KubernetesClient client, String namespace, String identity, LeaseTiming timing) {
        this.client = client;
        this.namespace = namespace;
        this.identity = identity;
        this.timing = timing;
    }

    /** Fails with the verbs missing on Leases in the namespace. */
    public void checkPermissions() {
        requireLeaseRights(namespace, verb -> {
            SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(new SelfSubjectAccessReviewBuilder()
                    .withNewSpec().withNewResourceAttributes()
                    .withGroup("coordination.k8s.io").withResource("leases").withVerb(verb).withNamespace(namespace)
                    .endResourceAttributes().endSpec().build());
            return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
        });
    }

    /** What fabric8's LeaseLock does with the Lease: read it, create it once, renew or take it over. */
    static final List<String> LEASE_VERBS = List.of("get", "create", "update", "patch");

    /** The manifest that grants them, named in the error so that the fix is one look away. */
    static final String RBAC_MANIFEST = "manifests/controller/rbac-controller.yaml";

    static void requireLeaseRights(String namespace, Predicate<String> allowed) {
        List<String> missing = LEASE_VERBS.stream().filter(verb -> !allowed.test(verb)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no right to " + missing + " leases.coordination.k8s.io in namespace " + namespace
                    + ": grant them to this controller's service account (see " + RBAC_MANIFEST + ")");
        }
    }

    /**
     * {@code --identity}, else the pod's name (unique among replicas, and what {@code kubectl get
     * lease} then shows), else the host name.
     */
    public static String identity(String flag, Map<String, String> environment, Supplier<String> hostName) {
        if (flag != null && !flag.isBlank()) return flag;
        for (String variable : List.of("POD_NAME", "HOSTNAME")) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) return value;
        }
        return hostName.get();
    }

    /**
     * Campaigns for the Lease; {@code onLeading} runs once it is held, {@code onLost} when it is
     * lost (or released on {@link #stop()}).
     */
    public void start(Runnable onLeading, Runnable onLost) {
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(LEASE_NAME)
                .withLock(new LeaseLock(namespace, LEASE_NAME, identity))
                .withLeaseDuration(timing.leaseDuration())
                .withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            LogEvent.info(LOG, "leading").addKeyValue("identity", identity).addKeyValue("lease", namespace + "/" + LEASE_NAME).log();
                            onLeading.run();
                        },
                        () -> {
                            LogEvent.warn(LOG, "leadership_lost").addKeyValue("identity", identity).log();
                            onLost.run();
                        },
                        leader -> LogEvent.info(LOG, "leader_is").addKeyValue("identity", identity).addKeyValue("leader", leader).log()))
                .build()).build();
        LogEvent.info(LOG, "campaigning").addKeyValue("identity", identity).addKeyValue("lease", namespace + "/" + LEASE_NAME).log();
        running = elector.start();
    }

    /** Releases the Lease if held. */
    public void stop() {
        if (running != null) running.cancel(true);
    }
}
