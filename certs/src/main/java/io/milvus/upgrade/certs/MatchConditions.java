package io.milvus.upgrade.certs;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;

/**
 * A webhook's {@code matchConditions} (CEL; GA in Kubernetes 1.30) keep the apiserver from
 * calling it for writes that cannot change a verdict. An older apiserver drops the field it does
 * not know (or, under server-side apply, refuses the object), and a registration that compared
 * the live object with a template holding them would rewrite it every round: there they are left
 * out, and the webhook is called for every write as before.
 */
public final class MatchConditions {

    /** The first minor version of Kubernetes 1.x where {@code matchConditions} are GA. */
    static final int GA_MINOR = 30;

    private MatchConditions() {
    }

    /** Whether the apiserver behind {@code client} serves them (asked once: {@code GET /version}). */
    public static boolean supported(KubernetesClient client) {
        return supported(client.getKubernetesVersion());
    }

    static boolean supported(VersionInfo version) {
        int major = leadingNumber(version.getMajor());
        return major > 1 || (major == 1 && leadingNumber(version.getMinor()) >= GA_MINOR);
    }

    /** "20+" (as some distributions report it) is 20. */
    private static int leadingNumber(String text) {
        String digits = text == null ? "" : text.replaceFirst("^([0-9]*).*$", "$1");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    /** The configuration without any {@code matchConditions}, in place. */
    public static void remove(HasMetadata configuration) {
        if (configuration instanceof MutatingWebhookConfiguration m) m.getWebhooks().forEach(w -> w.setMatchConditions(null));
        if (configuration instanceof ValidatingWebhookConfiguration v) v.getWebhooks().forEach(w -> w.setMatchConditions(null));
    }
}
