package io.milvus.upgrade.cli;

import io.milvus.upgrade.config.ClusterConnection;
import io.milvus.upgrade.edge.DurationConverter;
import io.milvus.upgrade.edge.LogFormat;
import io.milvus.upgrade.edge.PolicyReloadMetrics;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.certs.CaBundleInjector;
import io.milvus.upgrade.certs.CertificateFormatException;
import io.milvus.upgrade.certs.RotationPolicy;
import io.milvus.upgrade.certs.SecretCertificateManager;
import io.milvus.upgrade.certs.TlsDirectory;
import io.milvus.upgrade.certs.WebhookRegistration;
import io.milvus.upgrade.cluster.CachedClusterLookup;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.KubernetesClusterLookup;
import io.milvus.upgrade.conversion.ConversionWebhook;
import io.milvus.upgrade.conversion.ServedCrdDefaults;
import io.milvus.upgrade.log.LogEvent;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.ReloadingPolicySource;
import io.milvus.upgrade.server.TlsContext;
import io.milvus.upgrade.server.TlsFileWatcher;
import io.milvus.upgrade.server.WebhookServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the admission and conversion webhooks over HTTPS.")
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--port", defaultValue = "9443", description = "HTTPS port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--tls-dir", defaultValue = "tls",
            description = "directory with tls.crt and tls.key; when they are missing, a CA and a serving certificate are generated there (default: ${DEFAULT-VALUE})")
    Path tlsDir;

    @Option(names = "--dns-name", description = "extra DNS name for a generated serving certificate, e.g. the webhook Service's (repeatable)")
    List<String> dnsNames = new ArrayList<>();

    @Option(names = "--kubeconfig", description = "kubeconfig for reading Milvus and MilvusUpgrade objects; default: $KUBECONFIG, else ~/.kube/config, else the pod's service account, else none (cluster checks skipped)")
    Path kubeconfig;

    @Option(names = "--policy", description = "policy file (YAML), re-read when it changes; default: the built-in policy")
    Path policyFile;

    @Option(names = "--controller-user", defaultValue = MilvusImageGuard.DEFAULT_CONTROLLER_USER,
            description = "the controller's user name, whose image changes for a running upgrade pass the guard (default: ${DEFAULT-VALUE})")
    String controllerUser;

    @Option(names = "--lookup-timeout", defaultValue = "2s", converter = DurationConverter.class,
            description = "deadline for each cluster read during a review (default: ${DEFAULT-VALUE})")
    Duration lookupTimeout;

    @Option(names = "--cert-secret", description = "in-cluster certificates: keep the CA and serving certificate in this Secret "
            + "(created once, shared by replicas, rotated), write them to --tls-dir and inject the CA bundle; needs a cluster connection")
    String certSecret;

    @Option(names = "--namespace", description = "namespace of --cert-secret (default: the pod's namespace, else milvus-upgrade-system)")
    String namespace;

    @Option(names = "--service-name", defaultValue = "milvus-upgrade-webhook",
            description = "the webhook Service, whose DNS names the serving certificate carries (default: ${DEFAULT-VALUE})")
    String serviceName;

    @Option(names = "--mutating-webhook-configuration", defaultValue = "milvus-upgrade-mutating", description = "gets the CA bundle (default: ${DEFAULT-VALUE})")
    String mutatingConfiguration;

    @Option(names = "--validating-webhook-configuration", defaultValue = "milvus-upgrade-validating", description = "gets the CA bundle (default: ${DEFAULT-VALUE})")
    String validatingConfiguration;

    @Option(names = "--conversion-crd", defaultValue = "milvuses.milvus.io", description = "the CRD whose conversion webhook gets the CA bundle "
            + "and whose schema defaults conversion honours; empty: none, as next to Milvus Operator, whose CRD and conversion it is (default: ${DEFAULT-VALUE})")
    String conversionCrd;

    @Option(names = "--webhook-configurations", description = "self-registration: a directory of Mutating/ValidatingWebhookConfiguration "
            + "templates (YAML); once the apiserver can reach this server (its --service-name has a ready endpoint), they are created "
            + "with the CA bundle, owned by the --namespace object, and kept so; needs a cluster connection")
    Path webhookConfigurations;

    @Option(names = "--owner-cluster-role", defaultValue = "milvus-upgrade-webhook",
            description = "the ClusterRole that owns the registered configurations: deleting it (every uninstall does) deletes them (default: ${DEFAULT-VALUE})")
    String ownerClusterRole;

    @Option(names = "--deployment", defaultValue = "",
            description = "the webhook's own Deployment: deleted or scaled to 0, the webhook removes its configurations (default: none)")
    String deployment;

    @Option(names = "--registration-interval", defaultValue = "5s", converter = DurationConverter.class,
            description = "how often the registered webhook configurations are checked against their templates (default: ${DEFAULT-VALUE})")
    Duration registrationInterval;

    @Option(names = "--ca-validity", defaultValue = "3650d", converter = DurationConverter.class, description = "CA life (default: ${DEFAULT-VALUE})")
    Duration caValidity;

    @Option(names = "--cert-validity", defaultValue = "90d", converter = DurationConverter.class,
            description = "serving certificate life, renewed at two thirds (default: ${DEFAULT-VALUE})")
    Duration certValidity;

    @Option(names = "--ca-overlap", defaultValue = "1h", converter = DurationConverter.class,
            description = "during a CA rotation, how long old and new CA are both trusted before and after the switch (default: ${DEFAULT-VALUE})")
    Duration caOverlap;

    @Option(names = "--cert-check-interval", defaultValue = "30s", converter = DurationConverter.class,
            description = "how often certificates and CA bundles are checked (default: ${DEFAULT-VALUE})")
    Duration certCheckInterval;

    @Option(names = "--shutdown-grace", defaultValue = "20s", converter = DurationConverter.class,
            description = "how long reviews in flight may take to finish on shutdown (default: ${DEFAULT-VALUE})")
    Duration shutdownGrace;

    @Option(names = "--shutdown-delay", defaultValue = "5s", converter = DurationConverter.class,
            description = "on SIGTERM, how long to go on serving while /readyz says no, so that the Service stops sending reviews first (default: ${DEFAULT-VALUE})")
    Duration shutdownDelay;

    @Option(names = "--max-connections", defaultValue = "256", description = "connections held open at once; beyond that the idlest are closed (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--log-format", defaultValue = "text", converter = LogFormat.Converter.class, description = LogFormat.OPTION_DESCRIPTION)
    LogFormat logFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        TlsDirectory tls = new TlsDirectory(tlsDir.toAbsolutePath());
        KubernetesClient client;
        try {
            client = kubernetesClient();
        } catch (IOException | RuntimeException e) {
            err().println("serve: cannot use the kubeconfig: " + oneLine(e));
            return WebhookMain.BAD_INPUT;
        }
        if ((certSecret != null || webhookConfigurations != null) && client == null) {
            err().println("serve: --cert-secret and --webhook-configurations need a cluster connection (--kubeconfig, or run in a pod)");
            return WebhookMain.BAD_INPUT;
        }
        TlsContext tlsContext;
        PolicySource policy;
        try {
            prepareCertificates(tls, client);
            tlsContext = new TlsContext(tls);
            TlsFileWatcher.start(tls, tlsContext, Duration.ofSeconds(2));
            policy = policyFile == null ? PolicySource.builtIn() : ReloadingPolicySource.start(policyFile, Duration.ofSeconds(2), PolicyReloadMetrics.process());
        } catch (IOException | CertificateFormatException | PolicyException | IllegalArgumentException e) {
            err().println("serve: " + e.getMessage());
            return WebhookMain.BAD_INPUT;
        }
        ClusterLookup cluster = client == null ? ClusterLookup.none()
                : new CachedClusterLookup(client, new KubernetesClusterLookup(lookupClient(client), lookupTimeout));
        WebhookServer.Settings settings = new WebhookServer.Settings(bind, port, shutdownGrace)
                .withShutdownDelay(shutdownDelay).withMaxConnections(maxConnections);
        // Conversion reads the served CRD's schema defaults, so that a round trip through a
        // version whose schema defaults fields is recognised as unchanged.
        ConversionWebhook conversion = client == null || conversionCrd.isEmpty() ? new ConversionWebhook()
                : new ConversionWebhook(new ServedCrdDefaults(client, conversionCrd, Duration.ofSeconds(30)));
        WebhookServer server = WebhookServer.start(settings, tlsContext,
                MilvusWebhooks.create(policy, cluster, controllerUser).all(), conversion);
        WebhookRegistration registration = null;
        if (webhookConfigurations != null) {
            try {
                // Only now that it listens: the configurations must never point at a server that is not there.
                registration = new WebhookRegistration(client, new WebhookRegistration.Settings(webhookConfigurations, namespace(), serviceName,
                        tls.caCertificate(), ownerClusterRole, deployment)).start(registrationInterval);
            } catch (IOException | RuntimeException e) {
                server.close();
                err().println("serve: --webhook-configurations: " + oneLine(e));
                return WebhookMain.BAD_INPUT;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        WebhookRegistration registered = registration;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM must end the process even if stopping hangs: halt once delay and grace are over.
            Thread.ofPlatform().daemon().name("shutdown-watchdog").start(() -> {
                try {
                    Thread.sleep(shutdownDelay.plus(shutdownGrace).plusSeconds(5));
                } catch (InterruptedException e) {
                    return;
                }
                Runtime.getRuntime().halt(1);
            });
            // First, while it still serves: a replica stopped because its Deployment was deleted takes the configurations with it.
            if (registered != null) registered.stop();
            server.close();
            stopped.countDown();
        }, "shutdown"));
        LogEvent.info(LOG, "serving").addKeyValue("url", "https://" + displayHost() + ":" + server.port()).addKeyValue("trust", tls.caCertificate()).log();
        stopped.await();
        return 0;
    }

    private String displayHost() {
        return bind.equals("0.0.0.0") ? "localhost" : bind.contains(":") ? "[" + bind + "]" : bind;
    }

    /**
     * Secret mode: the shared Secret is the source and the directory a copy; file mode: use the
     * files (cert-manager's, or generated once here).
     */
    private void prepareCertificates(TlsDirectory tls, KubernetesClient client) throws IOException {
        if (certSecret == null) {
            if (tls.ensure(dnsNames, Clock.systemUTC())) {
                LogEvent.info(LOG, "certificates_generated").addKeyValue("dir", tls.dir()).log();
            }
            return;
        }
        String ns = namespace();
        RotationPolicy rotation = new RotationPolicy(RotationPolicy.serviceNames(serviceName, ns, dnsNames), caValidity, certValidity, caOverlap);
        // Registered configurations get their CA bundle from the registration, which checks that they are ours.
        var injector = new CaBundleInjector(client, webhookConfigurations != null ? new CaBundleInjector.Targets(null, null, conversionCrd)
                : new CaBundleInjector.Targets(mutatingConfiguration, validatingConfiguration, conversionCrd));
        new SecretCertificateManager(client, ns, certSecret, rotation, tls, injector, Clock.systemUTC()).start(certCheckInterval);
    }

    private String namespace() throws IOException {
        return namespace != null ? namespace : podNamespace();
    }

    private static String podNamespace() throws IOException {
        String env = System.getenv("POD_NAMESPACE");
        if (env != null && !env.isBlank()) return env;
        Path file = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
        return Files.isRegularFile(file) ? Files.readString(file).trim() : "milvus-upgrade-system";
    }

    /** By {@link ClusterConnection}'s order; without any, the reviews skip their cluster checks. */
    private KubernetesClient kubernetesClient() throws IOException {
        var client = ClusterConnection.connectIfConfigured(kubeconfig);
        if (client.isEmpty()) {
            LogEvent.warn(LOG, "no_cluster").addKeyValue("reason", new ClusterConnection.None().describe())
                    .addKeyValue("action", "cluster checks are skipped with a warning").log();
        }
        return client.orElse(null);
    }

    /**
     * The client for the reviews' lookups. A review waits for them; a retry after a failed one
     * would outlive the review and go on in the background, so a lookup is one request, bounded
     * by the lookup timeout. Certificates, CA bundles and the CRD schema use {@code client}, with
     * fabric8's retries: a slow apiserver at start-up must not stop the server.
     */
    private KubernetesClient lookupClient(KubernetesClient client) {
        Config config = new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0)
                .withRequestTimeout((int) lookupTimeout.toMillis())
                .build();
        return ClusterConnection.client(config);
    }


    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("");
    }
}
