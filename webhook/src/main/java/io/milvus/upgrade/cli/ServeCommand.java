package io.milvus.upgrade.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.milvus.upgrade.admission.AdmissionEndpoints;
import io.milvus.upgrade.api.ApiSerialization;
import io.milvus.upgrade.certs.CertificateFormatException;
import io.milvus.upgrade.certs.TlsDirectory;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.KubernetesClusterLookup;
import io.milvus.upgrade.conversion.ConversionWebhook;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.ReloadingPolicySource;
import io.milvus.upgrade.server.TlsContext;
import io.milvus.upgrade.server.WebhookServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the admission and conversion webhooks over HTTPS.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "9443", description = "HTTPS port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--tls-dir", defaultValue = "tls",
            description = "directory with tls.crt and tls.key; when they are missing, a CA and a serving certificate are generated there (default: ${DEFAULT-VALUE})")
    Path tlsDir;

    @Option(names = "--dns-name", description = "extra DNS name for a generated serving certificate, e.g. the webhook Service's (repeatable)")
    List<String> dnsNames = new ArrayList<>();

    @Option(names = "--kubeconfig", description = "kubeconfig for reading Milvus and MilvusUpgrade objects; default: in-cluster config when running in a pod, else none")
    Path kubeconfig;

    @Option(names = "--policy", description = "policy file (YAML), re-read when it changes; default: the built-in policy")
    Path policyFile;

    @Option(names = "--controller-user", defaultValue = MilvusImageGuard.DEFAULT_CONTROLLER_USER,
            description = "the controller's user name, whose image changes for a running upgrade pass the guard (default: ${DEFAULT-VALUE})")
    String controllerUser;

    @Option(names = "--lookup-timeout", defaultValue = "2s", converter = DurationConverter.class,
            description = "deadline for each cluster read during a review (default: ${DEFAULT-VALUE})")
    Duration lookupTimeout;

    @Option(names = "--shutdown-grace", defaultValue = "20s", converter = DurationConverter.class,
            description = "how long reviews in flight may take to finish on shutdown (default: ${DEFAULT-VALUE})")
    Duration shutdownGrace;

    @Override
    public Integer call() throws Exception {
        TlsDirectory tls = new TlsDirectory(tlsDir.toAbsolutePath());
        TlsContext tlsContext;
        PolicySource policy;
        try {
            if (tls.ensure(dnsNames, Clock.systemUTC())) {
                System.err.println("generated a CA and a serving certificate in " + tls.dir());
            }
            tlsContext = new TlsContext(tls);
            policy = policyFile == null ? PolicySource.builtIn() : ReloadingPolicySource.start(policyFile, Duration.ofSeconds(2));
        } catch (IOException | CertificateFormatException | PolicyException e) {
            System.err.println("serve: " + e.getMessage());
            return WebhookMain.BAD_INPUT;
        }
        ClusterLookup cluster = clusterLookup();
        WebhookServer server = WebhookServer.start(new WebhookServer.Settings(bind, port, shutdownGrace), tlsContext,
                AdmissionEndpoints.create(policy, cluster, controllerUser).all(), new ConversionWebhook());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        System.out.println("serving https://" + displayHost() + ":" + server.port() + " (trust " + tls.caCertificate() + ")");
        stopped.await();
        return 0;
    }

    private String displayHost() {
        return bind.equals("0.0.0.0") ? "localhost" : bind.contains(":") ? "[" + bind + "]" : bind;
    }

    private ClusterLookup clusterLookup() throws IOException {
        Config config;
        if (kubeconfig != null) {
            config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        } else if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            config = Config.autoConfigure(null);
        } else {
            System.err.println("no --kubeconfig and not in a cluster: cluster checks are skipped with a warning");
            return ClusterLookup.none();
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
                .withKubernetesSerialization(ApiSerialization.kubernetes()).build();
        return new KubernetesClusterLookup(client, lookupTimeout);
    }
}
