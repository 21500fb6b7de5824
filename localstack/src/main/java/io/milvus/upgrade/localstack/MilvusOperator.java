package io.milvus.upgrade.localstack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceConversionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.certs.TlsDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The real Milvus Operator as a process beside a {@link ControlPlane}, installed by
 * {@code .ci/install-operator.sh}: its CRDs and webhook configurations from its module (pointed by
 * {@code url} at it, as there is no Service here), its config templates read in place, and a real
 * S3 store and the control plane's etcd as the external dependencies it checks before it creates
 * Deployments. Facts this rests on are from its v1.3.7 source: main.go, pkg/manager, pkg/util/rest,
 * pkg/helm/values, pkg/external.
 */
public final class MilvusOperator implements AutoCloseable {

    /** Its webhook server's port: fixed in its pkg/manager (webhook.Options{Port: 9443}), not a flag. */
    public static final int WEBHOOK_PORT = 9443;
    /** The names its config/webhook/manifests.yaml gives the two configurations. */
    public static final String MUTATING = "mutating-webhook-configuration";
    public static final String VALIDATING = "validating-webhook-configuration";

    private final OperatorInstall install;
    private final ControlPlane plane;
    private final Path dir;
    private final S3Store s3;
    private final TlsDirectory tls;
    private final int probePort;
    private final int metricsPort;
    private final KubernetesClient client;
    private Process process;

    /** How it runs: {@code --webhook} or not, and which reconcilers it stops ({@code --stop-reconcilers}). */
    public record Options(boolean webhook, List<String> stopReconcilers) {
        public static Options withOperatorProfile() {
            return new Options(true, List.of("milvusupgrade"));
        }

        public static Options guardOnlyProfile() {
            return new Options(true, List.of());
        }
    }

    private MilvusOperator(OperatorInstall install, ControlPlane plane, Path dir) throws IOException {
        this.install = install;
        this.plane = plane;
        this.dir = Files.createDirectories(dir);
        this.s3 = S3Store.start(install, dir.resolve("s3"));
        // controller-runtime's webhook server reads its key pair from $TMPDIR/k8s-webhook-server/serving-certs.
        this.tls = new TlsDirectory(dir.resolve("tmp/k8s-webhook-server/serving-certs"));
        int[] ports = ControlPlane.freePorts(2);
        this.probePort = ports[0];
        this.metricsPort = ports[1];
        this.client = plane.adminClient();
    }

    /**
     * Installs its CRDs, starts it and waits until it is ready; with {@code --webhook}, registers
     * its webhook configurations once it serves them (failurePolicy Fail: never before).
     * Its log is {@code dir/milvus-operator.log}.
     */
    public static MilvusOperator start(ControlPlane plane, Path dir, Options options) {
        OperatorInstall install = OperatorInstall.require();
        try {
            MilvusOperator operator = new MilvusOperator(install, plane, dir);
            try {
                operator.tls.ensure(List.of(), Clock.systemUTC());
                operator.installCrds(options.webhook());
                operator.startProcess(options);
                if (options.webhook()) operator.registerWebhooks();
                return operator;
            } catch (RuntimeException | Error e) {
                operator.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() {
        return install.version();
    }

    public Path log() {
        return dir.resolve("milvus-operator.log");
    }

    public String webhookUrl() {
        return "https://127.0.0.1:" + WEBHOOK_PORT;
    }

    /** The CA its serving certificate chains to. */
    public Path caCertificate() {
        return tls.caCertificate();
    }

    public S3Store s3() {
        return s3;
    }

    /**
     * A Secret with the store's keys in {@code namespace}, and the {@code spec.dependencies} that
     * point a Milvus at the external etcd and S3 store (YAML, indented for {@code spec:}). rocksmq:
     * the operator counts it ready without a dial (its pkg/controllers/dependencies.go).
     */
    public String externalDependencies(String namespace) {
        client.resource(new SecretBuilder().withNewMetadata().withName("milvus-s3").withNamespace(namespace).endMetadata()
                .withStringData(Map.of("accesskey", s3.accessKey(), "secretkey", s3.secretKey())).build()).serverSideApply();
        return """
                  dependencies:
                    etcd: {external: true, endpoints: ["%s"]}
                    storage: {external: true, type: S3, endpoint: "%s", secretRef: milvus-s3}
                """.formatted(plane.etcdEndpoint(), s3.endpoint());
    }

    /** Its three CRDs; the Milvus one with its conversion webhook at this process when it serves webhooks. */
    private void installCrds(boolean webhook) throws IOException {
        for (String file : List.of("milvus.io_milvuses.yaml", "milvus.io_milvusupgrades.yaml", "milvus.io_milvusclusters.yaml")) {
            for (HasMetadata object : load(install.crd(file))) {
                CustomResourceDefinition crd = (CustomResourceDefinition) object;
                if (webhook && crd.getMetadata().getName().equals("milvuses.milvus.io")) {
                    // As its config/crd/patches/webhook_in_milvuses.yaml does, by url instead of Service.
                    crd.getSpec().setConversion(new CustomResourceConversionBuilder().withStrategy("Webhook")
                            .withNewWebhook().withConversionReviewVersions("v1")
                            .withNewClientConfig().withUrl(webhookUrl() + "/convert").withCaBundle(caBundle()).endClientConfig()
                            .endWebhook().build());
                }
                client.resource(crd).forceConflicts().serverSideApply();
            }
        }
        for (String name : List.of("milvuses.milvus.io", "milvusupgrades.milvus.io", "milvusclusters.milvus.io")) {
            Poll.until(Duration.ofSeconds(30), "CRD " + name + " established", () -> {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
                return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                        && crd.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
            });
        }
    }

    private void startProcess(Options options) throws IOException {
        // It reads config/assets/charts/values.yaml relative to its working directory and panics
        // without it (pkg/helm/values, MustInitDefaultValuesProvider); the charts are not in its
        // module. Only the in-cluster dependencies read these values, and none are used here.
        Path work = Files.createDirectories(dir.resolve("work"));
        Path values = Files.createDirectories(work.resolve("config/assets/charts")).resolve("values.yaml");
        Files.writeString(values, "etcd: {}\nminio: {}\npulsar: {}\npulsarv3: {}\nkafka: {}\n");
        List<String> command = new ArrayList<>(List.of(install.operator().toString(),
                // Joined to config/assets/templates without a separator (its pkg/config): the trailing slash is needed.
                "--work-dir=" + install.moduleDir() + "/",
                "--metrics-bind-address=127.0.0.1:" + metricsPort,
                "--health-probe-bind-address=127.0.0.1:" + probePort));
        // Not --leader-elect: outside a cluster it has no namespace to hold its lease in. Not
        // --debug: that skips the dependency checks, and with them every Deployment.
        if (options.webhook()) command.add("--webhook");
        if (!options.stopReconcilers().isEmpty()) command.add("--stop-reconcilers=" + String.join(",", options.stopReconcilers()));
        // As its chart's service account, so that our guard knows its writes by their user, with
        // cluster-admin (its chart's ClusterRole is about as wide).
        Kubectl.Result bound = plane.kubectl("create", "clusterrolebinding", "milvus-operator", "--clusterrole=cluster-admin",
                "--user=" + ControlPlane.OPERATOR_USER);
        if (bound.exitCode() != 0 && !bound.output().contains("AlreadyExists")) throw new IllegalStateException(bound.output());
        // Its pkg/util/rest loads the kubeconfig in an init(), before flags: only KUBECONFIG reaches it.
        process = ExternalProcess.start(log(), work, command, Map.of(
                "KUBECONFIG", plane.operatorKubeconfig().toString(),
                "TMPDIR", dir.resolve("tmp").toString()));
        awaitReady(options.webhook());
    }

    private void awaitReady(boolean webhook) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        // An exit ends the wait at once (Poll would take an exception for "not yet").
        Poll.until(Duration.ofSeconds(90), "Milvus Operator ready on 127.0.0.1:" + probePort + " (log: " + log() + ")", () -> {
            if (!process.isAlive()) return true;
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probePort + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        if (!process.isAlive()) throw new IllegalStateException("Milvus Operator exited with " + process.exitValue() + "; see " + log());
        if (!webhook) return;
        Poll.until(Duration.ofSeconds(60), "Milvus Operator's webhook serving on 127.0.0.1:" + WEBHOOK_PORT + " (log: " + log() + ")", () -> {
            try {
                return new HttpsClient(tls.caCertificate(), WEBHOOK_PORT, HttpClient.Version.HTTP_1_1).get("/readyz").statusCode() > 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Its config/webhook/manifests.yaml, each webhook pointed by url at this process. */
    private void registerWebhooks() throws IOException {
        for (HasMetadata object : load(install.webhookManifests())) {
            if (object instanceof MutatingWebhookConfiguration mutating) {
                mutating.getWebhooks().forEach(w -> local(w.getClientConfig()));
            } else if (object instanceof ValidatingWebhookConfiguration validating) {
                validating.getWebhooks().forEach(w -> local(w.getClientConfig()));
            }
            client.resource(object).forceConflicts().serverSideApply();
        }
    }

    private void local(WebhookClientConfig config) {
        config.setUrl(webhookUrl() + config.getService().getPath());
        config.setService(null);
        config.setCaBundle(caBundle());
    }

    private String caBundle() {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(tls.caCertificate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<HasMetadata> load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return client.load(in).items();
        }
    }

    /** Stops the process (SIGTERM) and the S3 store; the CRDs and webhook configurations stay with the control plane. */
    @Override
    public void close() {
        if (process != null) JavaProcess.stop(process);
        s3.close();
        client.close();
    }
}
