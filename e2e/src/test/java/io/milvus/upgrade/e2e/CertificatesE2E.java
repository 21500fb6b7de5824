package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.localstack.JavaProcess;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook's own certificates, against the real apiserver: injection, rotation under load, racing replicas. */
@ExtendWith(LocalStackExtension.class)
class CertificatesE2E {

    @Test
    void theCaBundleIsOnAllThreeObjectsAndPutBackWhenReset(LocalStack stack) {
        stack.awaitCaBundles();
        assertThat(stack.caBundles()).hasSize(4).doesNotContainNull();
        stack.client().admissionRegistration().v1().validatingWebhookConfigurations().withName("milvus-upgrade-validating").edit(c -> {
            c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
            return c;
        });
        stack.awaitCaBundles();
    }

    /**
     * Short lifetimes make the webhook renew its serving certificate every few seconds and
     * rotate its CA once, while kubectl keeps sending requests through it.
     */
    @Test
    void aRotationUnderLoadFailsNoRequest(LocalStack stack) {
        KubernetesClient client = stack.client();
        stack.stopWebhook();
        deleteSecret(client);
        stack.startWebhook(List.of("--cert-validity", "12s", "--ca-validity", "45s", "--ca-overlap", "4s"));
        try {
            stack.awaitCaBundles();
            Set<String> servingCertificates = new HashSet<>();
            Set<String> signingCas = new HashSet<>();
            int requests = 0;
            int failures = 0;
            StringBuilder failed = new StringBuilder();
            // Each request is a kubectl process, about 0.3 s on a quiet machine and 1 s on a loaded
            // one: the deadline leaves room for 100 of them at that pace, and the loop ends as soon
            // as there were 100 across a CA rotation.
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline && (signingCas.size() < 2 || servingCertificates.size() < 3 || requests < 100)) {
                Kubectl.Result result = Kubectl.run(stack.kubeconfig(), WebhookE2E.milvusYaml("rotating", "default", "milvusdb/milvus:v2.2.0"),
                        "apply", "--dry-run=server", "-f", "-");
                requests++;
                if (result.exitCode() != 0) {
                    failures++;
                    failed.append(result.output()).append('\n');
                }
                Secret secret = client.secrets().inNamespace(LocalStack.NAMESPACE).withName(LocalStack.CERT_SECRET).get();
                servingCertificates.add(secret.getData().get("tls.crt"));
                signingCas.add(secret.getData().get("signing-ca.crt"));
            }
            System.out.printf("rotation under load: %d requests, %d failed, %d serving certificates, %d CAs%n",
                    requests, failures, servingCertificates.size(), signingCas.size());
            assertThat(failures).as(failed.toString()).isZero();
            assertThat(requests).isGreaterThanOrEqualTo(100);
            assertThat(servingCertificates).as("serving certificate renewals").hasSizeGreaterThanOrEqualTo(3);
            assertThat(signingCas).as("a CA rotation").hasSizeGreaterThanOrEqualTo(2);
        } finally {
            stack.stopWebhook();
            deleteSecret(client);
            stack.startWebhook();
            stack.awaitCaBundles();
        }
    }

    @Test
    void twoInstancesStartingTogetherShareOneCa(LocalStack stack) throws Exception {
        Path jar = Repository.root().resolve("webhook/target/milvus-webhook.jar");
        Path dir = stack.dir().resolve("race");
        Process[] replicas = new Process[2];
        Path[] tls = new Path[2];
        try {
            for (int i = 0; i < 2; i++) {
                tls[i] = dir.resolve("tls-" + i);
                Files.createDirectories(dir);
                replicas[i] = JavaProcess.start(dir.resolve("replica-" + i + ".log"), List.of("-jar", jar.toString(), "serve",
                        "--port", "0", "--bind", "127.0.0.1", "--tls-dir", tls[i].toString(),
                        "--kubeconfig", stack.kubeconfig().toString(), "--cert-secret", "race-tls", "--namespace", LocalStack.NAMESPACE,
                        // their own (absent) injection targets: the shared stack's must stay as they are
                        "--mutating-webhook-configuration", "race-m", "--validating-webhook-configuration", "race-v",
                        "--conversion-crd", "race.example.com"));
            }
            Poll.until(Duration.ofSeconds(60), "both replicas to write their certificates",
                    () -> Files.isRegularFile(tls[0].resolve("ca.crt")) && Files.isRegularFile(tls[1].resolve("ca.crt")));
            assertThat(Files.readString(tls[0].resolve("ca.crt"))).isEqualTo(Files.readString(tls[1].resolve("ca.crt")));
            Secret secret = stack.client().secrets().inNamespace(LocalStack.NAMESPACE).withName("race-tls").get();
            assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(new String(java.util.Base64.getDecoder().decode(secret.getData().get("ca.crt"))))
                    .isEqualTo(Files.readString(tls[0].resolve("ca.crt")));
        } finally {
            for (Process replica : replicas) if (replica != null) JavaProcess.stop(replica);
        }
    }

    private static void deleteSecret(KubernetesClient client) {
        client.secrets().inNamespace(LocalStack.NAMESPACE).withName(LocalStack.CERT_SECRET).delete();
        Poll.until(Duration.ofSeconds(30), "the certificate Secret to be gone",
                () -> client.secrets().inNamespace(LocalStack.NAMESPACE).withName(LocalStack.CERT_SECRET).get() == null);
    }
}
