package io.milvus.upgrade.certs;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.log.LogEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-registration, as Kyverno does it: the install manifests hold the webhook configurations
 * only as templates (files in a ConfigMap), and the webhook creates them itself once the
 * apiserver can reach it, so a webhook that was never started blocks no write.
 *
 * <p>"Can reach it" means what the apiserver will use: when a webhook's client config names our
 * Service, that Service exists and has a ready endpoint (the kubelet's readiness probe passed on
 * some replica). A {@code url:} client config (a local stack) has no such gate.
 *
 * <p>Uninstalling, whichever way, must leave nothing that blocks writes (failurePolicy Fail
 * pointing at a Service that is gone). Two mechanisms, because a garbage-collector owner covers
 * only some ways: each configuration is owned by our ClusterRole (cluster-scoped like the
 * configurations; a namespaced owner such as the Deployment would be ignored by the garbage
 * collector), which {@code helm uninstall}, {@code make undeploy} and {@code kubectl delete -k}
 * all delete, even when no replica runs. And each round, and once more on SIGTERM, the webhook
 * removes its configurations itself when the install is going away without that: its namespace
 * terminating (a Helm release's namespace, created with --create-namespace, is not ours, and
 * deleting it leaves cluster-scoped objects), its Deployment deleted or scaled to zero, its
 * Service or owner gone. An owner can only be one of these: the garbage collector deletes a
 * dependent only once all its owners are gone.
 *
 * <p>A configuration of the same name that does not carry our {@link #MANAGED_BY} label belongs
 * to someone else and is left alone. Each round puts back what drifted from the template (CA
 * bundle included) and stays quiet when nothing did.
 */
public final class WebhookRegistration implements AutoCloseable {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "milvus-upgrade-webhook";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistration.class);
    private static final String SERVICE = "Service ";

    /**
     * Where the templates are, which namespace, Service and CA bundle are ours, the ClusterRole
     * that owns what we register, and our Deployment (empty: not run by one, as in a local stack).
     */
    public record Settings(Path templates, String namespace, String serviceName, Path caFile, String ownerClusterRole, String deployment) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("webhook-registration").daemon().factory());
    private String lastWait = "";
    private final java.util.Set<String> warnedForeign = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Asked once the first registration is due; an apiserver is not downgraded under a running webhook. */
    private Boolean matchConditions;

    public WebhookRegistration(KubernetesClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** Checks the templates now (a broken one stops the server at start-up), then registers every {@code period}. */
    public WebhookRegistration start(Duration period) throws IOException {
        templates();
        loop.scheduleWithFixedDelay(this::registerQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void registerQuietly() {
        try {
            register();
        } catch (RuntimeException | IOException e) {
            LogEvent.error(LOG, "webhook_registration_failed").addKeyValue("error", e.toString()).log();
        }
    }

    /** One round: returns how many configurations it created or updated (0 while it waits or leaves). */
    public synchronized int register() throws IOException {
        List<HasMetadata> templates = templates();
        String leaving = goingAway();
        if (leaving != null) {
            if (!leaving.equals(lastWait)) LogEvent.info(LOG, "webhook_registration_withdrawn").addKeyValue("reason", leaving).log();
            lastWait = leaving;
            removeOurs(templates, leaving);
            return 0;
        }
        String waiting = waitingFor(templates);
        if (waiting != null) {
            if (!waiting.equals(lastWait)) LogEvent.info(LOG, "webhook_registration_waiting").addKeyValue("for", waiting).log();
            lastWait = waiting;
            // Uninstalling deleted the Service: what we registered points at nothing.
            if (waiting.startsWith(SERVICE)) removeOurs(templates, "Service " + settings.namespace() + "/" + settings.serviceName() + " is gone");
            return 0;
        }
        lastWait = "";
        ClusterRole owner = client.rbac().clusterRoles().withName(settings.ownerClusterRole()).get();
        if (owner == null) return 0; // deleted since goingAway() looked: the next round removes ours
        String bundle = Base64.getEncoder().encodeToString(Files.readString(settings.caFile()).getBytes(StandardCharsets.UTF_8));
        if (matchConditions == null) matchConditions = MatchConditions.supported(client);
        int changed = 0;
        for (HasMetadata template : templates) {
            HasMetadata desired = desired(client.getKubernetesSerialization().clone(template), owner, bundle);
            if (!matchConditions) MatchConditions.remove(desired);
            if (reconcile(desired)) changed++;
        }
        return changed;
    }

    /** Null when the apiserver can reach us; else what registration waits for. */
    private String waitingFor(List<HasMetadata> templates) {
        if (!Files.isRegularFile(settings.caFile())) return "the CA certificate " + settings.caFile();
        boolean throughOurService = templates.stream().flatMap(t -> clientConfigs(t).stream())
                .anyMatch(c -> c.getService() != null && settings.namespace().equals(c.getService().getNamespace())
                        && settings.serviceName().equals(c.getService().getName()));
        if (!throughOurService) return null;
        // Uninstalling deletes the Service at once (its Endpoints follow later): from then on a
        // replica still shutting down must not register again what the uninstall deletes next.
        if (client.services().inNamespace(settings.namespace()).withName(settings.serviceName()).get() == null) {
            return SERVICE + settings.namespace() + "/" + settings.serviceName();
        }
        Endpoints endpoints = client.endpoints().inNamespace(settings.namespace()).withName(settings.serviceName()).get();
        boolean ready = endpoints != null && endpoints.getSubsets() != null
                && endpoints.getSubsets().stream().anyMatch(s -> s.getAddresses() != null && !s.getAddresses().isEmpty());
        return ready ? null : "a ready endpoint of Service " + settings.namespace() + "/" + settings.serviceName();
    }

    /** Why the install is going away (null: it is not), read from what every way of uninstalling deletes or marks. */
    private String goingAway() {
        Namespace namespace = client.namespaces().withName(settings.namespace()).get();
        if (namespace == null || namespace.getMetadata().getDeletionTimestamp() != null) {
            return "namespace " + settings.namespace() + " is being deleted";
        }
        ClusterRole owner = client.rbac().clusterRoles().withName(settings.ownerClusterRole()).get();
        if (owner == null || owner.getMetadata().getDeletionTimestamp() != null) {
            return "ClusterRole " + settings.ownerClusterRole() + ", the configurations' owner, is gone";
        }
        if (settings.deployment().isEmpty()) return null;
        Deployment deployment = client.apps().deployments().inNamespace(settings.namespace()).withName(settings.deployment()).get();
        if (deployment == null || deployment.getMetadata().getDeletionTimestamp() != null) {
            return "Deployment " + settings.namespace() + "/" + settings.deployment() + " is being deleted";
        }
        if (Integer.valueOf(0).equals(deployment.getSpec().getReplicas())) {
            return "Deployment " + settings.namespace() + "/" + settings.deployment() + " is scaled to 0";
        }
        return null;
    }

    /** Deletes the configurations of our templates that carry our label; someone else's stay. */
    private void removeOurs(List<HasMetadata> templates, String why) {
        for (HasMetadata template : templates) {
            HasMetadata live = client.resource(template).get();
            if (live == null || !MANAGER.equals(labels(live).get(MANAGED_BY))) continue;
            live.getMetadata().setResourceVersion(null);
            // Another replica may delete it first: then nothing is deleted here, and nothing logged.
            if (client.resource(live).delete().isEmpty()) continue;
            LogEvent.info(LOG, "webhook_configuration_removed")
                    .addKeyValue("object", live.getKind() + "/" + live.getMetadata().getName())
                    .addKeyValue("reason", why).log();
        }
    }

    /**
     * On SIGTERM: one last look, so that the replica a deleted Deployment stops takes its
     * configurations with it, then no more rounds. A round in progress finishes first (an
     * interrupted request may have been carried out or not).
     */
    public void stop() {
        loop.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                String leaving = goingAway();
                if (leaving != null) removeOurs(templates(), leaving);
            } catch (RuntimeException | IOException e) {
                LogEvent.error(LOG, "webhook_registration_failed").addKeyValue("error", e.toString()).log();
            }
        }
    }

    /** Creates, updates or leaves alone; true when it wrote. */
    private boolean reconcile(HasMetadata desired) {
        var resource = client.resource(desired);
        HasMetadata live = resource.get();
        String name = desired.getKind() + "/" + desired.getMetadata().getName();
        try {
            if (live == null) {
                resource.create();
                LogEvent.info(LOG, "webhook_configuration_registered").addKeyValue("object", name).log();
                return true;
            }
            if (!MANAGER.equals(labels(live).get(MANAGED_BY))) {
                if (warnedForeign.add(name)) {
                    LogEvent.warn(LOG, "webhook_configuration_foreign")
                            .addKeyValue("object", name)
                            .addKeyValue("action", "left alone: not labelled " + MANAGED_BY + "=" + MANAGER).log();
                }
                return false;
            }
            var json = client.getKubernetesSerialization();
            if (contains(json.convertValue(live, JsonNode.class), json.convertValue(desired, JsonNode.class))) {
                return false;
            }
            desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
            client.resource(desired).update();
            LogEvent.info(LOG, "webhook_configuration_restored").addKeyValue("object", name).log();
            return true;
        } catch (KubernetesClientException e) {
            // Another replica created or updated it first: the next round compares again.
            if (e.getCode() != 409) throw e;
            return false;
        }
    }

    /**
     * True when every field {@code desired} states has that value in {@code live}: fields the
     * template leaves out are the apiserver's defaults, not drift.
     */
    static boolean contains(JsonNode live, JsonNode desired) {
        if (desired.isObject()) {
            if (!live.isObject()) return false;
            for (var field : desired.properties()) {
                if (field.getKey().equals("resourceVersion")) continue;
                JsonNode value = live.get(field.getKey());
                if (value == null ? !field.getValue().isNull() : !contains(value, field.getValue())) return false;
            }
            return true;
        }
        if (desired.isArray()) {
            if (!live.isArray() || live.size() != desired.size()) return false;
            for (int i = 0; i < desired.size(); i++) {
                if (!contains(live.get(i), desired.get(i))) return false;
            }
            return true;
        }
        return live.equals(desired);
    }

    /** The template (a copy of it) with our label, our owner and the CA bundle. */
    private static HasMetadata desired(HasMetadata copy, ClusterRole owner, String bundle) {
        Map<String, String> labels = new LinkedHashMap<>(labels(copy));
        labels.put(MANAGED_BY, MANAGER);
        copy.getMetadata().setLabels(labels);
        OwnerReference reference = new OwnerReferenceBuilder().withApiVersion("rbac.authorization.k8s.io/v1").withKind("ClusterRole")
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
        copy.getMetadata().setOwnerReferences(List.of(reference));
        clientConfigs(copy).forEach(c -> c.setCaBundle(bundle));
        return copy;
    }

    private static Map<String, String> labels(HasMetadata object) {
        return object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
    }

    private static List<WebhookClientConfig> clientConfigs(HasMetadata configuration) {
        if (configuration instanceof MutatingWebhookConfiguration m) return m.getWebhooks().stream().map(w -> w.getClientConfig()).toList();
        if (configuration instanceof ValidatingWebhookConfiguration v) return v.getWebhooks().stream().map(w -> w.getClientConfig()).toList();
        return List.of();
    }

    /** Every YAML file in the directory (a mounted ConfigMap: its ..data links are skipped), read again each round. */
    List<HasMetadata> templates() throws IOException {
        List<Path> files = new ArrayList<>();
        try (var list = Files.list(settings.templates())) {
            list.filter(p -> !p.getFileName().toString().startsWith(".") && p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        List<HasMetadata> templates = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (HasMetadata object : client.load(in).items()) {
                    if (!(object instanceof MutatingWebhookConfiguration) && !(object instanceof ValidatingWebhookConfiguration)) {
                        throw new IOException(file + ": only MutatingWebhookConfiguration and ValidatingWebhookConfiguration can be registered, not " + object.getKind());
                    }
                    if (clientConfigs(object).stream().anyMatch(Objects::isNull)) {
                        throw new IOException(file + ": every webhook needs a clientConfig");
                    }
                    templates.add(object);
                }
            }
        }
        if (templates.isEmpty()) throw new IOException(settings.templates() + " holds no webhook configuration (*.yaml)");
        return templates;
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
