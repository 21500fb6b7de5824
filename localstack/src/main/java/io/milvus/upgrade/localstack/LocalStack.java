package io.milvus.upgrade.localstack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.certs.MatchConditions;
import io.milvus.upgrade.certs.TlsDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The whole thing on one machine: a real control plane, our CRDs and webhook configurations
 * from {@code manifests/}, and the webhook server as the user runs it ({@code java -jar}),
 * registered with {@code url:} client configs and the CA bundle it generated.
 */
public final class LocalStack implements AutoCloseable {

    private final ControlPlane plane;
    private final Path dir;
    private final Path repo;
    private final TlsDirectory tls;
    private final int webhookPort;
    private final int controllerMetricsPort;
    private final KubernetesClient client;
    /** False next to CRDs someone else installed (Milvus Operator's): those and their conversion are not ours to touch. */
    private final boolean ownCrds;
    private Process webhook;
    private Process controller;

    private LocalStack(ControlPlane plane, Path dir, boolean ownCrds) throws IOException {
        this.plane = plane;
        this.ownCrds = ownCrds;
        this.dir = dir;
        this.repo = Repository.root();
        this.tls = new TlsDirectory(dir.resolve("webhook-tls"));
        this.webhookPort = ControlPlane.freePort();
        this.controllerMetricsPort = ControlPlane.freePort();
        this.client = plane.adminClient();
    }

    /** With our CRDs (the standalone profile), our conversion webhook included. */
    public static LocalStack start(ControlPlane plane, Path dir) {
        return start(plane, dir, true);
    }

    /**
     * Next to the Milvus and MilvusUpgrade CRDs already installed on {@code plane} (say, Milvus
     * Operator's, as in the with-operator profile): they are left exactly as they are.
     */
    public static LocalStack startNextToInstalledCrds(ControlPlane plane, Path dir) {
        return start(plane, dir, false);
    }

    private static LocalStack start(ControlPlane plane, Path dir, boolean ownCrds) {
        try {
            Files.createDirectories(dir);
            LocalStack stack = new LocalStack(plane, dir, ownCrds);
            stack.installCustomResourceDefinitions();
            stack.registerWebhooks();
            stack.startWebhook();
            stack.awaitCaBundles();
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ControlPlane controlPlane() {
        return plane;
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return plane.kubeconfig();
    }

    public String webhookUrl() {
        return "https://127.0.0.1:" + webhookPort;
    }

    public Path caCertificate() {
        return tls.caCertificate();
    }

    public Path dir() {
        return dir;
    }

    /** The Secret the webhook keeps its CA and serving certificate in (in-cluster certificate mode). */
    public static final String CERT_SECRET = "milvus-upgrade-webhook-tls";
    public static final String NAMESPACE = "milvus-upgrade-system";

    /** Starts {@code java -jar milvus-webhook.jar serve} and waits until it is ready. */
    public synchronized void startWebhook() {
        startWebhook(List.of());
    }

    /**
     * Starts the webhook in in-cluster certificate mode, as deployed: it creates or reads the
     * Secret, writes the files it serves with, and injects the CA bundle itself.
     */
    public synchronized void startWebhook(List<String> extraArgs) {
        if (webhook != null && webhook.isAlive()) return;
        Path jar = repo.resolve("webhook/target/milvus-webhook.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (make build)");
        }
        List<String> args = new ArrayList<>(List.of("-jar", jar.toString(), "serve",
                "--port", String.valueOf(webhookPort), "--bind", "127.0.0.1",
                "--tls-dir", tls.dir().toString(), "--kubeconfig", plane.webhookKubeconfig().toString(),
                "--policy", policyFile().toString(),
                "--cert-secret", CERT_SECRET, "--namespace", NAMESPACE, "--cert-check-interval", "1s",
                // No Service routes to it here, so there are no endpoints to drain before stopping
                // (the 5 s default would make Ctrl-C on make run take over 5 s).
                "--shutdown-delay", "0s"));
        if (!ownCrds) args.add("--conversion-crd=");
        args.addAll(extraArgs);
        webhook = JavaProcess.start(dir.resolve("webhook.log"), args);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            if (!webhook.isAlive()) {
                throw new IllegalStateException("the webhook exited with " + webhook.exitValue() + "; see " + dir.resolve("webhook.log"));
            }
            try {
                // Trust what the webhook wrote this time: a restart may have brought a new CA.
                if (Files.isRegularFile(tls.caCertificate())
                        && new HttpsClient(tls.caCertificate(), webhookPort, HttpClient.Version.HTTP_1_1).get("/readyz").statusCode() == 200) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("the webhook was not ready within 60s; see " + dir.resolve("webhook.log"));
            Poll.pause();
        }
    }

    /** Stops the webhook process (SIGTERM, so it shuts down as in a pod). */
    public synchronized void stopWebhook() {
        if (webhook == null) return;
        JavaProcess.stop(webhook);
        webhook = null;
    }

    /**
     * Starts {@code java -jar milvus-upgrade-controller.jar} as the controller's service account,
     * for {@code make run}; end-to-end tests start their own controllers.
     */
    public synchronized void startController() {
        startController(List.of());
    }

    public synchronized void startController(List<String> extraArgs) {
        if (controller != null && controller.isAlive()) return;
        Path jar = repo.resolve("controller/target/milvus-upgrade-controller.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (make build)");
        }
        List<String> args = new ArrayList<>(List.of("-jar", jar.toString(),
                "--kubeconfig", plane.controllerKubeconfig().toString(), "--namespace", NAMESPACE,
                "--identity", "local-controller", "--policy", policyFile().toString(),
                // Nothing runs here whose sessions must expire (the reference waits 1 minute).
                "--settle-period", SETTLE_PERIOD,
                "--metrics-bind", "127.0.0.1", "--metrics-port", String.valueOf(controllerMetricsPort)));
        args.addAll(extraArgs);
        controller = JavaProcess.start(dir.resolve("controller.log"), args);
    }

    /** The webhook's and the controller's process ids, for measuring them (make bench-scale); 0 when not running. */
    public synchronized long webhookPid() {
        return webhook == null ? 0 : webhook.pid();
    }

    public synchronized long controllerPid() {
        return controller == null ? 0 : controller.pid();
    }

    /** The controller's wait after Milvus stopped, shortened for the local stack. */
    public static final String SETTLE_PERIOD = "2s";

    public String controllerMetricsUrl() {
        return "http://127.0.0.1:" + controllerMetricsPort + "/metrics";
    }

    /**
     * The policy file the webhook watches; it starts as the manifests' ConfigMap content. Tests
     * rewrite it to change the policy.
     */
    public Path policyFile() {
        return dir.resolve("policy.yaml");
    }

    private void writeInitialPolicy() throws IOException {
        for (HasMetadata object : load(repo.resolve("manifests/base/policy.yaml"))) {
            if (object instanceof io.fabric8.kubernetes.api.model.ConfigMap map) {
                Files.writeString(policyFile(), map.getData().get("policy.yaml"));
            }
        }
    }

    /** Namespace, CRDs and the webhook's and controller's RBAC from the manifests: both run as their service accounts. */
    private void installCustomResourceDefinitions() throws IOException {
        writeInitialPolicy();
        // The standalone profile's: our CRDs, so the webhook also keeps the Milvus CRD's conversion CA.
        for (String file : List.of("base/namespace.yaml", "base/rbac-webhook.yaml", "controller/rbac-controller.yaml",
                "profiles/standalone/rbac-conversion.yaml")) {
            for (HasMetadata object : load(repo.resolve("manifests").resolve(file))) {
                client.resource(object).forceConflicts().serverSideApply();
            }
        }
        if (ownCrds) {
            for (HasMetadata crd : load(repo.resolve("manifests/crd"))) {
                client.resource(crd).forceConflicts().serverSideApply();
            }
        }
        for (String name : List.of("milvuses.milvus.io", "milvusupgrades.milvus.io")) {
            Poll.until(Duration.ofSeconds(30), "CRD " + name + " established",
                    () -> established(client.apiextensions().v1().customResourceDefinitions().withName(name).get()));
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
    }

    /**
     * The manifests' webhook configuration templates, pointed at this machine's server instead of
     * the in-cluster Service, registered here (there is no Service whose endpoints the webhook's
     * own registration would wait for); the CA bundle is left to the webhook, as in a cluster.
     */
    private void registerWebhooks() throws IOException {
        registerWebhooks(MatchConditions.supported(client));
    }

    /**
     * The same configurations without their matchConditions, as an apiserver below 1.30 gets
     * them: every write of a Milvus or MilvusUpgrade is reviewed (make bench-scale's comparison).
     */
    public void registerWebhooksWithoutMatchConditions() {
        try {
            registerWebhooks(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void registerWebhooks(boolean matchConditions) throws IOException {
        for (HasMetadata object : load(repo.resolve("manifests/webhook-configurations"))) {
            if (!matchConditions) MatchConditions.remove(object);
            if (object instanceof MutatingWebhookConfiguration mutating) {
                mutating.getWebhooks().forEach(w -> local(w.getClientConfig()));
            } else if (object instanceof ValidatingWebhookConfiguration validating) {
                validating.getWebhooks().forEach(w -> local(w.getClientConfig()));
            }
            client.resource(object).forceConflicts().serverSideApply();
        }
        if (!ownCrds) return;
        client.apiextensions().v1().customResourceDefinitions().withName("milvuses.milvus.io").edit(crd -> {
            var config = crd.getSpec().getConversion().getWebhook().getClientConfig();
            config.setService(null);
            config.setUrl(webhookUrl() + "/convert");
            return crd;
        });
    }

    private void local(WebhookClientConfig config) {
        config.setUrl(webhookUrl() + config.getService().getPath());
        config.setService(null);
    }

    /** The CA bundles the webhook injected, base64 as the objects hold them: mutating, validating, and our CRD's. */
    public List<String> caBundles() {
        List<String> bundles = new ArrayList<>();
        client.admissionRegistration().v1().mutatingWebhookConfigurations().withName("milvus-upgrade-mutating").get()
                .getWebhooks().forEach(w -> bundles.add(w.getClientConfig().getCaBundle()));
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName("milvus-upgrade-validating").get()
                .getWebhooks().forEach(w -> bundles.add(w.getClientConfig().getCaBundle()));
        if (ownCrds) {
            bundles.add(client.apiextensions().v1().customResourceDefinitions().withName("milvuses.milvus.io").get()
                    .getSpec().getConversion().getWebhook().getClientConfig().getCaBundle());
        }
        return bundles;
    }

    /** Waits until every object carries the CA bundle the webhook serves with. */
    public void awaitCaBundles() {
        Poll.until(Duration.ofSeconds(30), "the CA bundle on the webhook configurations and the CRD", () -> {
            try {
                String expected = Base64.getEncoder().encodeToString(Files.readAllBytes(tls.caCertificate()));
                return caBundles().stream().allMatch(expected::equals);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private List<HasMetadata> load(Path path) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (var list = Files.list(path)) {
                list.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml")).sorted().forEach(files::add);
            }
        } else {
            files.add(path);
        }
        List<HasMetadata> objects = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                objects.addAll(client.load(in).items());
            }
        }
        return objects;
    }

    /** Polls {@code condition} until true or the deadline; for waiting on the apiserver's caches. */
    public static void await(String what, BooleanSupplier condition) {
        Poll.until(Duration.ofSeconds(30), what, condition);
    }

    @Override
    public void close() {
        if (controller != null) JavaProcess.stop(controller);
        stopWebhook();
        client.close();
    }

    @SuppressWarnings("unused")
    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
