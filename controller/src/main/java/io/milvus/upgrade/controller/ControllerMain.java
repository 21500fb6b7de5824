package io.milvus.upgrade.controller;

import io.milvus.upgrade.controller.config.ControllerSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.config.ClusterConnection;
import io.milvus.upgrade.edge.DurationConverter;
import io.milvus.upgrade.edge.LogFormat;
import io.milvus.upgrade.edge.PolicyReloadMetrics;
import io.milvus.upgrade.controller.health.ControllerMetrics;
import io.milvus.upgrade.controller.health.HealthServer;
import io.milvus.upgrade.controller.reconcile.UpgradeReconciler;
import io.milvus.upgrade.controller.runtime.LeaderTerm;
import io.milvus.upgrade.controller.runtime.LeaseTiming;
import io.milvus.upgrade.controller.runtime.Leadership;
import io.milvus.upgrade.controller.runtime.UpgradeController;
import io.milvus.upgrade.log.LogEvent;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.ReloadingPolicySource;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar milvus-upgrade-controller.jar [options]}: runs MilvusUpgrades while it holds the Lease. */
@Command(name = "milvus-upgrade-controller", mixinStandardHelpOptions = true, version = "milvus-upgrade-controller 0.1.0",
        description = "Runs MilvusUpgrades: stops Milvus, backs up and migrates its metadata with Jobs, starts the new version, rolls back on failure.")
public final class ControllerMain implements java.util.concurrent.Callable<Integer> {

    /** Exit codes: bad flags or files; could not start; lost the Lease. */
    public static final int BAD_INPUT = 2;
    public static final int START_FAILED = 3;
    public static final int LEADERSHIP_LOST = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ControllerMain.class);

    @Option(names = "--kubeconfig", description = "kubeconfig to use; default: $KUBECONFIG, else ~/.kube/config, else the pod's service account")
    Path kubeconfig;

    @Option(names = "--namespace", defaultValue = "milvus-upgrade-system", description = "namespace of the leader election Lease (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--identity", description = "leader election identity; default: $POD_NAME, else $HOSTNAME")
    String identity;

    @Option(names = "--settle-period", defaultValue = "60s", converter = DurationConverter.class,
            description = "wait after Milvus reports stopped, for its sessions to expire (default: ${DEFAULT-VALUE})")
    Duration settlePeriod;

    @Option(names = "--healthy-timeout", defaultValue = "10m", converter = DurationConverter.class,
            description = "how long one attempt waits for a started Milvus to become healthy (default: ${DEFAULT-VALUE})")
    Duration healthyTimeout;

    @Option(names = "--storage-class", description = "storage class of the backup PVCs the controller creates; default: the cluster's")
    String storageClass;

    @Option(names = "--job-deadline", defaultValue = "1h", converter = DurationConverter.class,
            description = "activeDeadlineSeconds of every migration Job (default: ${DEFAULT-VALUE})")
    Duration jobDeadline;

    @Option(names = "--metrics-port", defaultValue = "8080", description = "HTTP port of /healthz, /readyz, /metrics (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int metricsPort;

    @Option(names = "--metrics-bind", defaultValue = "0.0.0.0", description = "address of that port (default: ${DEFAULT-VALUE})")
    String metricsBind;

    @Option(names = "--lease-duration", defaultValue = "15s", converter = DurationConverter.class,
            description = "how long a Lease holds without renewal (default: ${DEFAULT-VALUE})")
    Duration leaseDuration;

    @Option(names = "--resync", defaultValue = "5m", converter = DurationConverter.class,
            description = "every MilvusUpgrade is reconciled at least this often (default: ${DEFAULT-VALUE})")
    Duration resync;

    @Option(names = "--workers", defaultValue = "2", description = "upgrades reconciled in parallel, each by one worker at a time (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--policy", description = "policy file (YAML), re-read when it changes; default: the built-in policy")
    Path policyFile;

    @Option(names = "--log-format", defaultValue = "text", converter = LogFormat.Converter.class, description = LogFormat.OPTION_DESCRIPTION)
    LogFormat logFormat;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new ControllerMain())
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println(commandLine.getCommandName() + ": " + e.getMessage());
                    LogEvent.error(LOG, "start_failed").setCause(e).log();
                    return START_FAILED;
                })
                .setParameterExceptionHandler((e, args) -> {
                    e.getCommandLine().getErr().println(e.getCommandLine().getCommandName() + ": " + e.getMessage() + " (see --help)");
                    return BAD_INPUT;
                });
    }

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        ControllerSettings settings = new ControllerSettings(settlePeriod, healthyTimeout, storageClass,
                ControllerSettings.DEFAULT_BACKUP_SIZE, jobDeadline, ControllerSettings.DEFAULT_POLL_INTERVAL);
        if (workers < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--workers must be at least 1");
        String me = Leadership.identity(identity, System.getenv(), ControllerMain::hostName);
        LeaseTiming timing;
        try {
            timing = LeaseTiming.of(leaseDuration);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        PolicySource policy = policyFile == null ? PolicySource.builtIn() : ReloadingPolicySource.start(policyFile, Duration.ofSeconds(2), PolicyReloadMetrics.process());
        // The default registry: the policy reload metrics are there, and /metrics serves them with ours.
        ControllerMetrics metrics = new ControllerMetrics(PrometheusRegistry.defaultRegistry);
        // The JVM's memory, GC, threads and class loading, by the Prometheus client's own collectors.
        JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
        KubernetesClient client = ClusterConnection.connect(kubeconfig);
        UpgradeController controller = new UpgradeController(client, new UpgradeReconciler(settings, policy), metrics,
                Clock.systemUTC(), resync, workers);
        Leadership leadership = new Leadership(client, namespace, me, timing);
        leadership.checkPermissions();

        LeaderTerm term = new LeaderTerm();
        HealthServer health = new HealthServer(metricsBind, metricsPort, () -> term.ready(controller::isSynced), metrics);
        health.start();
        LogEvent.info(LOG, "health_listening").addKeyValue("port", health.port()).addKeyValue("identity", me).log();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            term.stop();
            controller.close();
            leadership.stop();
            health.close();
        }, "shutdown"));

        leadership.start(() -> {
            metrics.leading(true);
            term.leading(() -> controller.start(Duration.ofMinutes(2)));
        }, () -> {
            metrics.leading(false);
            term.lost();
        });
        LeaderTerm.End end = term.await();
        if (end == LeaderTerm.End.STOPPED) return 0;
        term.startFailure().ifPresent(e -> LogEvent.error(LOG, "controller_start_failed").addKeyValue("error", e.getMessage()).log());
        int exitCode = end == LeaderTerm.End.START_FAILED ? START_FAILED : LEADERSHIP_LOST;
        // Whatever was in flight must not go on beside the next leader: no shutdown hooks, no last writes.
        LogEvent.error(LOG, "exiting").addKeyValue("code", exitCode).addKeyValue("identity", me).log();
        Runtime.getRuntime().halt(exitCode);
        return exitCode;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "milvus-upgrade-controller-" + ProcessHandle.current().pid();
        }
    }
}
