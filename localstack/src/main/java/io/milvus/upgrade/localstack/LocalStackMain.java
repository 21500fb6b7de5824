package io.milvus.upgrade.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code make run}: the whole stack on this machine until Ctrl-C, with the commands to try it.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("milvus-upgrade-run-");
        System.out.println("starting etcd and kube-apiserver in " + dir + " ...");
        ControlPlane plane = ControlPlane.start(dir.resolve("control-plane"));
        LocalStack stack;
        try {
            stack = LocalStack.start(plane, dir.resolve("stack"));
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
        stack.startController();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping ...");
            stack.close();
            plane.close();
            stopped.countDown();
        }));
        Path samples = Repository.root().resolve("manifests/samples");
        Path reviews = Repository.root().resolve("webhook/src/test/resources/samples");
        System.out.println("""

                The stack is up: kube-apiserver %s, webhook %s, controller (metrics %s; logs in %s).
                In another terminal:

                  export KUBECONFIG=%s
                  kubectl apply -f %s/milvus-my-release.yaml -f %s/milvusupgrade-my-release.yaml
                  kubectl get mup my-release-upgrade -o yaml          # every default filled in
                  kubectl apply -f %s/milvus-my-release-unsafe-jump.yaml   # denied: 2.1.x to 2.2.x loses built indexes
                  kubectl get mup -w                                     # the controller stops Milvus and starts the backup Job;
                                                                         # no kubelet runs here, so the Job waits for you:
                  kubectl get jobs -l milvus.io/upgrade=my-release-upgrade

                Or send the webhook an AdmissionReview yourself:

                  curl -s --cacert %s %s/mutate-milvus-io-v1beta1-milvusupgrade \\
                    -H 'Content-Type: application/json' -d @%s/review-milvusupgrade-create.json

                Ctrl-C stops everything.""".formatted(plane.url(), stack.webhookUrl(), stack.controllerMetricsUrl(), dir, plane.kubeconfig(),
                samples, samples, samples, stack.caCertificate(), stack.webhookUrl(), reviews));
        stopped.await();
    }
}
