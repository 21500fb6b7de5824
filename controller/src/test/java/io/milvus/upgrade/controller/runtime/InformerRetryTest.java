package io.milvus.upgrade.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class InformerRetryTest {

    private final InformerRetry retry = new InformerRetry();

    @Test
    void aFirstListThatABusyApiserverFailedIsTriedAgain() {
        assertThat(retry.retryAfterException(false, new KubernetesClientException("list", new HttpTimeoutException("request timed out")))).isTrue();
        assertThat(retry.retryAfterException(false, new KubernetesClientException("list", new TimeoutException()))).isTrue();
        assertThat(retry.retryAfterException(false, new KubernetesClientException("list", new IOException("connection reset")))).isTrue();
        assertThat(retry.retryAfterException(false, new KubernetesClientException("too many requests", 429, null))).isTrue();
        assertThat(retry.retryAfterException(false, new KubernetesClientException("etcd timeout", 504, null))).isTrue();
    }

    @Test
    void aFirstListRefusedForGoodStopsTheInformerSoTheStartSaysWhy() {
        assertThat(retry.retryAfterException(false, new KubernetesClientException("forbidden", 403, null))).isFalse();
        assertThat(retry.retryAfterException(false, new KubernetesClientException("the server could not find the requested resource", 404, null))).isFalse();
        assertThat(retry.retryAfterException(false, new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void onceSyncedEverythingIsTriedAgainAsFabric8Does() {
        assertThat(retry.retryAfterException(true, new KubernetesClientException("forbidden", 403, null))).isTrue();
    }
}
