package io.milvus.upgrade.certs;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
 * <p>Each configuration is owned by our Namespace object, which is cluster-scoped like the
 * configurations (a namespaced owner such as the Deployment would be ignored by the garbage
 * collector for a cluster-scoped dependent): deleting the namespace, as {@code kubectl delete -k}
 * does, takes the configurations with it. A configuration of the same name that does not carry
 * our {@link #MANAGED_BY} label belongs to someone else and is left alone. Each round puts back
 * what drifted from the template (CA bundle included) and stays quiet when nothing did.
 */
public final class WebhookRegistration implements AutoCloseable {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "milvus-upgrade-webhook";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistration.class);

    /** Where the templates are, which namespace and Service are ours, and which CA bundle to register. */
    public record Settings(Path templates, String namespace, String serviceName, Path caFile) {
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
            LOG.error("event=webhook_registration_failed error=\"{}\"", e.toString());
        }
    }

    /** One round: returns how many configurations it created or updated (0 while it waits). */
    public synchronized int register() throws IOException {
        List<HasMetadata> templates = templates();
        String waiting = waitingFor(templates);
        if (waiting != null) {
            if (!waiting.equals(lastWait)) LOG.info("event=webhook_registration_waiting for=\"{}\"", waiting);
            lastWait = waiting;
            return 0;
        }
        lastWait = "";
        Namespace owner = client.namespaces().withName(settings.namespace()).get();
        if (owner == null) {
            throw new IllegalStateException("namespace " + settings.namespace() + " not found: it owns the webhook configurations");
        }
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
            return "Service " + settings.namespace() + "/" + settings.serviceName();
        }
        Endpoints endpoints = client.endpoints().inNamespace(settings.namespace()).withName(settings.serviceName()).get();
        boolean ready = endpoints != null && endpoints.getSubsets() != null
                && endpoints.getSubsets().stream().anyMatch(s -> s.getAddresses() != null && !s.getAddresses().isEmpty());
        return ready ? null : "a ready endpoint of Service " + settings.namespace() + "/" + settings.serviceName();
    }

    /** Creates, updates or leaves alone; true when it wrote. */
    private boolean reconcile(HasMetadata desired) {
        var resource = client.resource(desired);
        HasMetadata live = resource.get();
        String name = desired.getKind() + "/" + desired.getMetadata().getName();
        try {
            if (live == null) {
                resource.create();
                LOG.info("event=webhook_configuration_registered object={}", name);
                return true;
            }
            if (!MANAGER.equals(labels(live).get(MANAGED_BY))) {
                if (warnedForeign.add(name)) {
                    LOG.warn("event=webhook_configuration_foreign object={} action=\"left alone: not labelled {}={}\"", name, MANAGED_BY, MANAGER);
                }
                return false;
            }
            var json = client.getKubernetesSerialization();
            if (contains(json.convertValue(live, JsonNode.class), json.convertValue(desired, JsonNode.class))) {
                return false;
            }
            desired.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
            client.resource(desired).update();
            LOG.info("event=webhook_configuration_restored object={}", name);
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
    private static HasMetadata desired(HasMetadata copy, Namespace owner, String bundle) {
        Map<String, String> labels = new LinkedHashMap<>(labels(copy));
        labels.put(MANAGED_BY, MANAGER);
        copy.getMetadata().setLabels(labels);
        OwnerReference reference = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Namespace")
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
