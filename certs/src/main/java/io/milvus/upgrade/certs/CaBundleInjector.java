package io.milvus.upgrade.certs;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the CA bundle into every webhook of our webhook configurations and into the Milvus CRD's
 * conversion webhook, and puts it back when someone resets it. Objects not installed yet are
 * skipped; the next round finds them.
 */
public final class CaBundleInjector {

    private static final Logger LOG = LoggerFactory.getLogger(CaBundleInjector.class);

    /** The objects that carry our caBundle. */
    public record Targets(String mutatingWebhookConfiguration, String validatingWebhookConfiguration, String conversionCrd) {

        public static Targets defaults() {
            return new Targets("milvus-upgrade-mutating", "milvus-upgrade-validating", "milvuses.milvus.io");
        }
    }

    private final KubernetesClient client;
    private final Targets targets;

    public CaBundleInjector(KubernetesClient client, Targets targets) {
        this.client = client;
        this.targets = targets;
    }

    /** Returns how many objects it had to patch. */
    public int inject(String caBundlePem) {
        String bundle = Base64.getEncoder().encodeToString(caBundlePem.getBytes(StandardCharsets.UTF_8));
        int patched = 0;
        var mutating = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(targets.mutatingWebhookConfiguration());
        MutatingWebhookConfiguration m = mutating.get();
        if (m != null && m.getWebhooks().stream().anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
            mutating.edit(c -> {
                c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
                return c;
            });
            patched++;
        }
        var validating = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(targets.validatingWebhookConfiguration());
        ValidatingWebhookConfiguration v = validating.get();
        if (v != null && v.getWebhooks().stream().anyMatch(w -> !bundle.equals(w.getClientConfig().getCaBundle()))) {
            validating.edit(c -> {
                c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(bundle));
                return c;
            });
            patched++;
        }
        var crd = client.apiextensions().v1().customResourceDefinitions().withName(targets.conversionCrd());
        CustomResourceDefinition d = crd.get();
        if (d != null && hasConversionWebhook(d) && !Objects.equals(bundle, d.getSpec().getConversion().getWebhook().getClientConfig().getCaBundle())) {
            crd.edit(c -> {
                c.getSpec().getConversion().getWebhook().getClientConfig().setCaBundle(bundle);
                return c;
            });
            patched++;
        }
        if (patched > 0) {
            LOG.info("event=ca_bundle_injected objects={}", patched);
        }
        return patched;
    }

    private static boolean hasConversionWebhook(CustomResourceDefinition crd) {
        var conversion = crd.getSpec().getConversion();
        return conversion != null && conversion.getWebhook() != null && conversion.getWebhook().getClientConfig() != null;
    }
}
