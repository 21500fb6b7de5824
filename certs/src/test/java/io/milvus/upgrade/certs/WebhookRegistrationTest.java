package io.milvus.upgrade.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Drift is what the template states and the live object lacks; the apiserver's defaults are not drift. */
class WebhookRegistrationTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void fieldsTheApiserverDefaultedAreNoDrift() throws Exception {
        JsonNode desired = json("{\"metadata\":{\"name\":\"v\",\"resourceVersion\":\"7\"},\"webhooks\":[{\"name\":\"a\",\"failurePolicy\":\"Fail\"}]}");
        JsonNode live = json("{\"metadata\":{\"name\":\"v\",\"resourceVersion\":\"9\",\"managedFields\":[]},"
                + "\"webhooks\":[{\"name\":\"a\",\"failurePolicy\":\"Fail\",\"objectSelector\":{},\"timeoutSeconds\":10}]}");
        assertThat(WebhookRegistration.contains(live, desired)).isTrue();
    }

    @Test
    void aChangedValueAMissingFieldOrAnotherWebhookCountIsDrift() throws Exception {
        JsonNode desired = json("{\"webhooks\":[{\"name\":\"a\",\"failurePolicy\":\"Fail\",\"clientConfig\":{\"caBundle\":\"Q0E=\"}}]}");
        assertThat(WebhookRegistration.contains(json("{\"webhooks\":[{\"name\":\"a\",\"failurePolicy\":\"Ignore\",\"clientConfig\":{\"caBundle\":\"Q0E=\"}}]}"), desired)).isFalse();
        assertThat(WebhookRegistration.contains(json("{\"webhooks\":[{\"name\":\"a\",\"failurePolicy\":\"Fail\",\"clientConfig\":{}}]}"), desired)).isFalse();
        assertThat(WebhookRegistration.contains(json("{\"webhooks\":[]}"), desired)).isFalse();
        assertThat(WebhookRegistration.contains(json("{\"webhooks\":[{\"name\":\"a\",\"failurePolicy\":\"Fail\",\"clientConfig\":{\"caBundle\":\"Q0E=\"}},{\"name\":\"b\"}]}"), desired)).isFalse();
    }
}
