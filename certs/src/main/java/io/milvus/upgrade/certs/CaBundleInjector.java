package io.milvus.upgrade.certs;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.milvus.upgrade.log.LogEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the CA bundle into every webhook of our webhook configurations and into the Milvus CRD's
 * conversion webhook, and puts it back when someone resets it. Objects not installed yet are
 * skipped; the next round finds them. An empty name turns a target off (next to Milvus Operator
 * the CRD and its conversion are the operator's). A CRD whose CA another injector keeps
 * ({@code cert-manager.io/inject-ca-from}, as the operator's is) is never touched: two injectors
 * would overwrite each other forever.
 */
public final class CaBundleInjector {

    private static final Logger LOG = LoggerFactory.getLogger(CaBundleInjector.class);

    public static final String CERT_MANAGER_INJECTION = "cert-manager.io/inject-ca-from";

    /** The objects that carry our caBundle; an empty or null name is not injected. */
    public record Targets(String mutatingWebhookConfiguration, String validatingWebhookConfiguration, String conversionCrd) {

        public static Targets defaults() {
            return new Targets("milvus-upgrade-mutating", "milvus-upgrade-validating", "milvuses.milvus.io");
        }
    }

    private final KubernetesClient client;
    private final Targets targets;
    private volatile boolean warnedForeignInjection;

    public CaBundleInjector(KubernetesClient client, Targets targets) {
        this.client = client;
        this.targets = targets;
    }

    /** Returns how many objects it had to patch. */
    public int inject(String caBundlePem) {
        String bundle = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.UTF_8));
        int patched = 0;
        if (present(targets.mutatingWebhookConfiguration()) && injectWebhooks(client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(targets.mutatingWebhookConfiguration()),
                c -> c.getWebhooks().stream().map(w -> w.getClientConfig()).toList(), bundle)) {
            patched++;
        }
        if (present(targets.validatingWebhookConfiguration()) && injectWebhooks(client.admissionRegistration().v1().validatingWebhookConfigurations().withName(targets.validatingWebhookConfiguration()),
                c -> c.getWebhooks().stream().map(w -> w.getClientConfig()).toList(), bundle)) {
            patched++;
        }
        if (present(targets.conversionCrd()) && injectConversion(bundle)) {
            patched++;
        }
        if (patched > 0) {
            LogEvent.info(LOG, "ca_bundle_injected").addKeyValue("objects", patched).log();
        }
        return patched;
    }

    private boolean injectConversion(String bundle) {
        var crd = client.apiextensions().v1().customResourceDefinitions().withName(targets.conversionCrd());
        CustomResourceDefinition d = crd.get();
        if (d == null || !hasConversionWebhook(d)) return false;
        if (d.getMetadata().getAnnotations() != null && d.getMetadata().getAnnotations().containsKey(CERT_MANAGER_INJECTION)) {
            if (!warnedForeignInjection) {
                LogEvent.warn(LOG, "ca_bundle_skipped")
                        .addKeyValue("crd", targets.conversionCrd())
                        .addKeyValue("reason", "its CA bundle is kept by " + CERT_MANAGER_INJECTION + " (" + d.getMetadata().getAnnotations().get(CERT_MANAGER_INJECTION) + ")").log();
                warnedForeignInjection = true;
            }
            return false;
        }
        if (!Objects.equals(bundle, d.getSpec().getConversion().getWebhook().getClientConfig().getCaBundle())) {
            crd.edit(c -> {
                c.getSpec().getConversion().getWebhook().getClientConfig().setCaBundle(bundle);
                return c;
            });
            return true;
        }
        return false;
    }

    private static boolean present(String name) {
        return name != null && !name.isEmpty();
    }

    /** Sets {@code bundle} on every webhook of the configuration, if any lacks it. */
    private static <T extends HasMetadata> boolean injectWebhooks(Resource<T> resource, Function<T, List<WebhookClientConfig>> clientConfigs, String bundle) {
        T current = resource.get();
        if (current == null || clientConfigs.apply(current).stream().allMatch(c -> bundle.equals(c.getCaBundle()))) {
            return false;
        }
        resource.edit(c -> {
            clientConfigs.apply(c).forEach(config -> config.setCaBundle(bundle));
            return c;
        });
        return true;
    }

    private static boolean hasConversionWebhook(CustomResourceDefinition crd) {
        var conversion = crd.getSpec().getConversion();
        return conversion != null && conversion.getWebhook() != null && conversion.getWebhook().getClientConfig() != null;
    }
}
