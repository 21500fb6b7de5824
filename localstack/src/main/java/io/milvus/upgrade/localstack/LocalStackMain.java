package io.milvus.upgrade.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run}: the whole stack on this machine, the upgrade guide walked through on it,
 * then left up for the user until Ctrl-C. {@code --no-walkthrough} skips the tour.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean walkthrough = !java.util.List.of(args).contains("--no-walkthrough");
        Path dir = Files.createTempDirectory("milvus-upgrade-run-");
        long start = System.nanoTime();
        System.out.println("starting etcd and kube-apiserver in " + dir + " ...");
        ControlPlane plane = ControlPlane.start(dir.resolve("control-plane"));
        LocalStack stack;
        try {
            System.out.println("installing the CRDs and webhook configurations, starting the webhook and the controller ...");
            stack = LocalStack.start(plane, dir.resolve("stack"));
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
        stack.startController();
        SimulatedKubelet kubelet = new SimulatedKubelet(stack.client(), null);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stopping = System.nanoTime();
            System.out.println("\nstopping ...");
            kubelet.close();
            stack.close();
            plane.close();
            System.out.printf("stopped in %.1f s%n", (System.nanoTime() - stopping) / 1e9);
            stopped.countDown();
        }));
        System.out.printf("""

                The stack is up after %.0f s: kube-apiserver %s at %s, webhook %s, controller (metrics %s); logs in %s.
                kubectl of the same release: %s
                SIMULATED: this machine runs no kubelet, no controller-manager and no Milvus operator, so a simulation
                plays their part: migration Jobs succeed (or fail, with the annotation %s: update-meta
                on the MilvusUpgrade), each Milvus gets Deployments that report ready or stopped, and a deleted
                MilvusUpgrade's Jobs, ConfigMaps and PVC are deleted with it. No Milvus actually runs.
                The controller's settle period is %s (60s in a cluster).
                """, (System.nanoTime() - start) / 1e9, ControlPlaneBinaries.kubernetesVersion(), plane.url(), stack.webhookUrl(),
                stack.controllerMetricsUrl(), dir, ControlPlaneBinaries.kubectl(),
                SimulatedKubelet.FAIL_ANNOTATION, LocalStack.SETTLE_PERIOD);
        Path repository = Repository.root();
        if (walkthrough) {
            System.out.println("\nThe upgrade guide, step by step:");
            try {
                new UpgradeWalkthrough(plane.kubeconfig(), repository, System.out).run();
            } catch (RuntimeException | AssertionError e) {
                System.out.println("\nThe walkthrough stopped: " + e.getMessage() + "\nThe stack stays up to look into it; logs in " + dir + ".");
            }
        }
        Path samples = repository.resolve("manifests/samples");
        Path reviews = repository.resolve("webhook/src/test/resources/samples");
        System.out.println("""
                The stack stays up for your own tries. In another terminal:

                  export KUBECONFIG=%s PATH=%s:$PATH               # this stack, and kubectl %s
                  kubectl get mup                                        # State, Milvus, Source, Target, Age
                  kubectl get events --sort-by=.lastTimestamp            # one per state change
                  kubectl apply -f %s/milvus-my-release.yaml            # and so on, in any namespace

                Or send the webhook an AdmissionReview yourself:

                  curl -s --cacert %s %s/mutate-milvus-io-v1beta1-milvusupgrade \\
                    -H 'Content-Type: application/json' -d @%s/review-milvusupgrade-create.json

                Ctrl-C stops everything.""".formatted(plane.kubeconfig(), ControlPlaneBinaries.kubectl().getParent(),
                ControlPlaneBinaries.kubernetesVersion(), samples, stack.caCertificate(), stack.webhookUrl(), reviews));
        stopped.await();
    }
}
