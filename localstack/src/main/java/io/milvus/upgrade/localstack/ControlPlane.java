package io.milvus.upgrade.localstack;

import io.milvus.upgrade.config.ClusterConnection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A real kube-apiserver with its own etcd on free loopback ports, with temporary data, for tests
 * and for {@code make run}. Binaries come from {@code .ci/install-control-plane.sh}'s cache.
 * Two static tokens: an admin in {@code system:masters}, and the controller's service account
 * user, which gets only what RBAC grants it.
 */
public final class ControlPlane implements AutoCloseable {

    public static final String CONTROLLER_USER = "system:serviceaccount:milvus-upgrade-system:milvus-upgrade-controller";
    public static final String WEBHOOK_USER = "system:serviceaccount:milvus-upgrade-system:milvus-upgrade-webhook";
    /** Milvus Operator's service account in its chart; bound to cluster-admin where the real operator runs. */
    public static final String OPERATOR_USER = "system:serviceaccount:milvus-operator:milvus-operator";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final String adminToken = UUID.randomUUID().toString();
    private final String controllerToken = UUID.randomUUID().toString();
    private final String webhookToken = UUID.randomUUID().toString();
    private final String operatorToken = UUID.randomUUID().toString();
    private int apiserverPort;
    private int etcdClientPort;
    private Path kubeconfig;
    private Path controllerKubeconfig;
    private Path webhookKubeconfig;
    private Path operatorKubeconfig;

    private ControlPlane(Path dir) {
        this.dir = dir;
    }

    /**
     * Starts etcd and kube-apiserver under {@code dir} and waits until the apiserver is ready.
     * A port picked free can be taken by another process before ours binds it, so a start that
     * fails is tried again on new ports, twice at most.
     */
    public static ControlPlane start(Path dir) {
        IllegalStateException failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            ControlPlane plane = new ControlPlane(dir.resolve("attempt-" + attempt));
            try {
                plane.startAll();
                return plane;
            } catch (IllegalStateException e) {
                plane.close();
                failure = e;
            } catch (RuntimeException | Error e) {
                plane.close();
                throw e;
            }
        }
        throw failure;
    }

    private void startAll() {
        Path bin = ControlPlaneBinaries.locate();
        try {
            Files.createDirectories(dir);
            int[] ports = freePorts(3);
            int etcdClient = ports[0];
            etcdClientPort = etcdClient;
            int etcdPeer = ports[1];
            apiserverPort = ports[2];
            Path etcdData = Files.createDirectories(dir.resolve("etcd"));
            processes.add(launch("etcd", List.of(bin.resolve("etcd").toString(),
                    "--name", "test",
                    "--data-dir", etcdData.toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + etcdClient,
                    "--advertise-client-urls", "http://127.0.0.1:" + etcdClient,
                    "--listen-peer-urls", "http://127.0.0.1:" + etcdPeer,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + etcdPeer,
                    "--initial-cluster", "test=http://127.0.0.1:" + etcdPeer,
                    "--unsafe-no-fsync")));
            waitFor("etcd", URI.create("http://127.0.0.1:" + etcdClient + "/health"), null);

            Path certs = Files.createDirectories(dir.resolve("apiserver-certs"));
            writeServiceAccountKeys();
            Files.writeString(dir.resolve("tokens.csv"),
                    adminToken + ",admin,admin-uid,system:masters\n"
                            + controllerToken + "," + CONTROLLER_USER + ",controller-uid,\"system:serviceaccounts,system:serviceaccounts:milvus-upgrade-system\"\n"
                            + webhookToken + "," + WEBHOOK_USER + ",webhook-uid,\"system:serviceaccounts,system:serviceaccounts:milvus-upgrade-system\"\n"
                            + operatorToken + "," + OPERATOR_USER + ",operator-uid,\"system:serviceaccounts,system:serviceaccounts:milvus-operator\"\n");
            processes.add(launch("kube-apiserver", List.of(bin.resolve("kube-apiserver").toString(),
                    "--etcd-servers=http://127.0.0.1:" + etcdClient,
                    "--bind-address=127.0.0.1",
                    "--advertise-address=127.0.0.1",
                    // Since 1.2x the lease reconciler refuses a loopback advertise address for the
                    // kubernetes Service's endpoints; nothing here reaches the apiserver through it.
                    "--endpoint-reconciler-type=none",
                    "--secure-port=" + apiserverPort,
                    "--cert-dir=" + certs,
                    "--service-account-key-file=" + dir.resolve("sa.pub"),
                    "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                    "--token-auth-file=" + dir.resolve("tokens.csv"),
                    "--authorization-mode=RBAC",
                    "--service-cluster-ip-range=10.0.0.0/24",
                    "--disable-admission-plugins=ServiceAccount")));
            waitFor("kube-apiserver", URI.create(url() + "/readyz"), adminToken);
            kubeconfig = writeKubeconfig("kubeconfig", "admin", adminToken);
            controllerKubeconfig = writeKubeconfig("controller.kubeconfig", "controller", controllerToken);
            webhookKubeconfig = writeKubeconfig("webhook.kubeconfig", "webhook", webhookToken);
            operatorKubeconfig = writeKubeconfig("operator.kubeconfig", "operator", operatorToken);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "https://127.0.0.1:" + apiserverPort;
    }

    /** The apiserver's etcd, which Milvus Operator's dependency check may also be pointed at. */
    public String etcdEndpoint() {
        return "127.0.0.1:" + etcdClientPort;
    }

    /** An admin kubeconfig: {@code export KUBECONFIG=...} makes kubectl talk to this apiserver. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A kubeconfig for the controller's service account user, which has only its RBAC rights. */
    public Path controllerKubeconfig() {
        return controllerKubeconfig;
    }

    /** A kubeconfig for the webhook's service account user, which has only its RBAC rights. */
    public Path webhookKubeconfig() {
        return webhookKubeconfig;
    }

    /** A kubeconfig for Milvus Operator's service account user, which has only what RBAC grants it. */
    public Path operatorKubeconfig() {
        return operatorKubeconfig;
    }

    public Path dir() {
        return dir;
    }

    /** A fabric8 client as admin, with our resource types registered. */
    public KubernetesClient adminClient() {
        return client(kubeconfig);
    }

    public static KubernetesClient client(Path kubeconfig) {
        try {
            return ClusterConnection.connect(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs kubectl against this apiserver; returns exit code and output. */
    public Kubectl.Result kubectl(String... args) {
        return Kubectl.run(kubeconfig, null, args);
    }

    @Override
    public void close() {
        for (Process p : processes.reversed()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes.reversed()) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private Process launch(String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        // A session of its own, so that Ctrl-C in make run's terminal does not stop etcd and the
        // apiserver at the same moment as the webhook and the controller, which then spend their
        // shutdown retrying a dead apiserver (20 s); they are stopped last, below.
        List<String> detached = new ArrayList<>();
        if (Files.isExecutable(SETSID)) detached.add(SETSID.toString());
        detached.addAll(command);
        Process process = new ProcessBuilder(detached)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // Stops the control plane even when the JVM exits without closing it (Ctrl-C on make run),
        // once the webhook and controller JVMs (stopped by their own hooks) are gone.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            JavaProcess.awaitAllExited(java.time.Duration.ofSeconds(10));
            process.destroy();
        }));
        return process;
    }

    private void waitFor(String name, URI health, String token) {
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            Process process = processes.get(processes.size() - 1);
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + dir.resolve(name + ".log") + ":\n" + tail(name));
            }
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2));
                if (token != null) request.header("Authorization", "Bearer " + token);
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) return;
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            try {
                Thread.sleep(100); // polling interval, not synchronisation: the deadline bounds the wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + START_TIMEOUT.toSeconds() + "s (last: " + last + "):\n" + tail(name));
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private void writeServiceAccountKeys() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(dir.resolve("sa.key"), pem(pair.getPrivate()));
            Files.writeString(dir.resolve("sa.pub"), pem(pair.getPublic()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private Path writeKubeconfig(String file, String user, String token) throws IOException {
        Map<String, Object> config = Map.of(
                "apiVersion", "v1",
                "kind", "Config",
                "clusters", List.of(Map.of("name", "local", "cluster", Map.of(
                        "server", url(),
                        "certificate-authority", dir.resolve("apiserver-certs/apiserver.crt").toString()))),
                "users", List.of(Map.of("name", user, "user", Map.of("token", token))),
                "contexts", List.of(Map.of("name", "local", "context", Map.of("cluster", "local", "user", user, "namespace", "default"))),
                "current-context", "local");
        Path path = dir.resolve(file);
        Files.writeString(path, ApiSerialization.json().writerWithDefaultPrettyPrinter().writeValueAsString(config));
        return path;
    }

    static int freePort() throws IOException {
        return freePorts(1)[0];
    }

    /** Distinct free loopback ports: all sockets stay open until all are picked. */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) socket.close();
        }
    }

    /** Only for the readiness probe of our own freshly started apiserver, whose CA does not exist yet. */
    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }}, new SecureRandom());
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
