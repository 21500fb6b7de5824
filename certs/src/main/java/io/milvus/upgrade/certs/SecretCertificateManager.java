package io.milvus.upgrade.certs;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.log.LogEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-cluster certificates: one Secret ({@code kubernetes.io/tls} plus {@code ca.crt}) shared by
 * every replica, created once, rotated step by step, copied into the local TLS directory (which
 * the server watches) and into the caBundles. Replicas race safely: creation is create-if-absent
 * (the loser of a 409 reads the winner's Secret) and every update carries the resourceVersion it
 * was computed from (the loser of a conflict retries from the new state next round).
 */
public final class SecretCertificateManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SecretCertificateManager.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final RotationPolicy policy;
    private final TlsDirectory tls;
    private final CaBundleInjector injector;
    private final Clock clock;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("certificates").daemon().factory());

    public SecretCertificateManager(KubernetesClient client, String namespace, String name, RotationPolicy policy,
                                    TlsDirectory tls, CaBundleInjector injector, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.policy = policy;
        this.tls = tls;
        this.injector = injector;
        this.clock = clock;
    }

    /** One round now (so that the server can start with files in place), then one every {@code period}. */
    public CertificateBundle start(Duration period) throws IOException {
        CertificateBundle bundle = reconcile();
        loop.scheduleWithFixedDelay(this::reconcileQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return bundle;
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException | IOException e) {
            LogEvent.error(LOG, "certificates_failed").addKeyValue("secret", namespace + "/" + name).addKeyValue("error", e.toString()).log();
        }
    }

    /** Reads (or creates) the Secret, takes the step that is due, writes files and caBundles. */
    public synchronized CertificateBundle reconcile() throws IOException {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        CertificateBundle bundle;
        if (secret == null) {
            bundle = create();
        } else {
            bundle = read(secret).orElseGet(() -> replaceUnreadable(secret));
            Optional<CertificateBundle> next = CertificateRotation.next(bundle, policy, clock);
            if (next.isPresent() && update(secret, next.get())) {
                bundle = next.get();
            }
        }
        tls.write(bundle);
        injector.inject(bundle.caBundlePem());
        return bundle;
    }

    private CertificateBundle create() {
        CertificateBundle fresh = CertificateRotation.initial(policy, clock);
        try {
            client.secrets().inNamespace(namespace).resource(secret(fresh, null)).create();
            LogEvent.info(LOG, "certificates_created").addKeyValue("secret", namespace + "/" + name).log();
            return fresh;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            // Another replica was first: use its CA, so that all of them share one.
            Secret theirs = client.secrets().inNamespace(namespace).withName(name).get();
            return read(theirs).orElseThrow(() -> new IllegalStateException("Secret " + namespace + "/" + name + " appeared but is unreadable"));
        }
    }

    private boolean update(Secret current, CertificateBundle next) {
        try {
            client.secrets().inNamespace(namespace).resource(secret(next, current)).update();
            LogEvent.info(LOG, "certificates_rotated")
                    .addKeyValue("secret", namespace + "/" + name)
                    .addKeyValue("trusted_cas", next.trusted().size())
                    .addKeyValue("serving_not_after", next.serving().notAfter()).log();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            LogEvent.info(LOG, "certificates_conflict")
                    .addKeyValue("secret", namespace + "/" + name)
                    .addKeyValue("action", "another replica rotated first; retrying next round").log();
            return false;
        }
    }

    private CertificateBundle replaceUnreadable(Secret secret) {
        LogEvent.warn(LOG, "certificates_unreadable")
                .addKeyValue("secret", namespace + "/" + name)
                .addKeyValue("action", "replacing with a new CA").log();
        CertificateBundle fresh = CertificateRotation.initial(policy, clock);
        client.secrets().inNamespace(namespace).resource(secret(fresh, secret)).update();
        return fresh;
    }

    private Optional<CertificateBundle> read(Secret secret) {
        if (secret == null || secret.getData() == null) return Optional.empty();
        Map<String, String> data = new LinkedHashMap<>();
        secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        try {
            return Optional.of(CertificateBundle.fromData(data));
        } catch (CertificateFormatException e) {
            LogEvent.warn(LOG, "certificates_unreadable").addKeyValue("secret", namespace + "/" + name).addKeyValue("reason", e.getMessage()).log();
            return Optional.empty();
        }
    }

    private Secret secret(CertificateBundle bundle, Secret current) {
        Map<String, String> data = new LinkedHashMap<>();
        bundle.toData().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        SecretBuilder builder = current == null ? new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/part-of", "milvus-upgrade").endMetadata() : new SecretBuilder(current);
        return builder.withType("kubernetes.io/tls").withData(data).build();
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
