package io.milvus.upgrade.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.JavaProcess;
import io.milvus.upgrade.localstack.Ports;
import io.milvus.upgrade.localstack.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SIMULATION of what this machine cannot run: the kubelet (and the endpoints controller) for one
 * pod of the webhook Deployment an install created. The jar runs with exactly the container's
 * arguments and environment as the apiserver holds them; what a pod gets from its volumes is
 * mapped to local files, which follow their ConfigMaps as a kubelet's volume sync does (written
 * aside, then moved into place); the Service gets a ready endpoint once the pod answers; and the
 * pod is stopped with SIGTERM, as the kubelet stops it, once its Deployment is deleted or scaled
 * to 0, or its namespace is terminating.
 */
final class SimulatedWebhookPod implements AutoCloseable {

    static final String DEPLOYMENT = "milvus-upgrade-webhook";

    private final KubernetesClient admin;
    private final String namespace;
    private final Path dir;
    private final Process process;
    private final int port;
    private final Thread kubelet;
    private volatile boolean running = true;

    private SimulatedWebhookPod(ControlPlane plane, KubernetesClient admin, String namespace, Path dir) throws IOException {
        this.admin = admin;
        this.namespace = namespace;
        this.dir = Files.createDirectories(dir);
        this.port = Ports.free();
        Deployment deployment = admin.apps().deployments().inNamespace(namespace).withName(DEPLOYMENT).get();
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        syncVolumes();
        Map<String, String> podPaths = Map.of(
                "--port=9443", "--port=" + port,
                "--tls-dir=/tls/serving", "--tls-dir=" + dir.resolve("tls"),
                "--tls-dir=/tls", "--tls-dir=" + dir.resolve("tls"),
                "--shutdown-delay=5s", "--shutdown-delay=0s",
                "--policy=/etc/milvus-upgrade/policy.yaml", "--policy=" + dir.resolve("policy/policy.yaml"),
                "--webhook-configurations=/etc/milvus-upgrade-webhooks", "--webhook-configurations=" + dir.resolve("webhook-configurations"));
        List<String> args = new ArrayList<>(List.of("-jar", Repository.root().resolve("webhook/target/milvus-webhook.jar").toString()));
        container.getArgs().forEach(arg -> args.add(podPaths.getOrDefault(arg, arg)));
        // Outside a pod: loopback only, the service account's identity from a kubeconfig, and a quicker registration round.
        args.addAll(List.of("--bind=127.0.0.1", "--kubeconfig=" + plane.webhookKubeconfig(), "--registration-interval=1s"));
        this.process = JavaProcess.start(dir.resolve("webhook.log"), args, Map.of("POD_NAMESPACE", namespace));
        this.kubelet = Thread.ofPlatform().daemon().name("simulated-kubelet").start(this::kubeletLoop);
    }

    /** Starts the pod of {@code namespace}'s webhook Deployment, and gives its Service a ready endpoint. */
    static SimulatedWebhookPod start(ControlPlane plane, KubernetesClient admin, String namespace, Path dir) {
        try {
            SimulatedWebhookPod pod = new SimulatedWebhookPod(plane, admin, namespace, dir);
            // What the endpoints controller writes once the readiness probe passes (an address the apiserver accepts; nothing listens there).
            try {
                io.milvus.upgrade.localstack.Poll.until(java.time.Duration.ofSeconds(60), "the pod ready", pod::ready);
            } catch (AssertionError e) {
                pod.close();
                throw new AssertionError(e.getMessage() + "; its log:\n" + Files.readString(pod.log()), e);
            }
            admin.endpoints().inNamespace(namespace).resource(new EndpointsBuilder().withNewMetadata().withName(DEPLOYMENT).endMetadata()
                    .addNewSubset().addNewAddress().withIp("10.0.0.77").endAddress().addNewPort().withName("https").withPort(9443).endPort().endSubset()
                    .build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
            return pod;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    Path caCertificate() {
        return dir.resolve("tls/ca.crt");
    }

    Path log() {
        return dir.resolve("webhook.log");
    }

    boolean alive() {
        return process.isAlive();
    }

    private boolean ready() {
        try {
            return Files.isRegularFile(caCertificate()) && new io.milvus.upgrade.localstack.HttpsClient(caCertificate(), port,
                    java.net.http.HttpClient.Version.HTTP_2).get("/readyz").statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private void kubeletLoop() {
        while (running && process.isAlive()) {
            try {
                if (podMustStop()) {
                    JavaProcess.stop(process);
                    return;
                }
                syncVolumes();
            } catch (KubernetesClientException | IOException e) {
                // the apiserver between two states: next round
            }
            try {
                Thread.sleep(200); // a kubelet's pace, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean podMustStop() {
        Namespace ns = admin.namespaces().withName(namespace).get();
        Deployment deployment = admin.apps().deployments().inNamespace(namespace).withName(DEPLOYMENT).get();
        return ns == null || ns.getMetadata().getDeletionTimestamp() != null || deployment == null
                || deployment.getMetadata().getDeletionTimestamp() != null || Integer.valueOf(0).equals(deployment.getSpec().getReplicas());
    }

    /** The ConfigMap volumes: each key a file, replaced whole when the ConfigMap changed. */
    private void syncVolumes() throws IOException {
        sync("milvus-upgrade-policy", dir.resolve("policy"));
        sync("milvus-upgrade-webhook-configurations", dir.resolve("webhook-configurations"));
    }

    private void sync(String configMap, Path volume) throws IOException {
        ConfigMap live = admin.configMaps().inNamespace(namespace).withName(configMap).get();
        if (live == null || live.getData() == null) return;
        Files.createDirectories(volume);
        for (var entry : live.getData().entrySet()) {
            Path file = volume.resolve(entry.getKey());
            if (Files.isRegularFile(file) && Files.readString(file).equals(entry.getValue())) continue;
            Path aside = volume.resolve("." + entry.getKey() + ".tmp");
            Files.writeString(aside, entry.getValue());
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    @Override
    public void close() {
        running = false;
        kubelet.interrupt();
        JavaProcess.stop(process);
    }
}
