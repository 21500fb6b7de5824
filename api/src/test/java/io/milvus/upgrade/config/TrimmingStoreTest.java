package io.milvus.upgrade.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import org.junit.jupiter.api.Test;

class TrimmingStoreTest {

    @Test
    void theStoreKeepsAnObjectWithoutItsManagedFieldsAndTheRestAsItIs() {
        ConfigMap object = new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName("backup").addToLabels("a", "b")
                .addToAnnotations("record", "{}").withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").build()).endMetadata()
                .addToData("k", "v").build();
        TrimmingStore<ConfigMap> store = TrimmingStore.withoutManagedFields();

        store.put(store.getKey(object), object);

        ConfigMap kept = store.get("ns/backup");
        assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(kept.getMetadata().getLabels()).containsEntry("a", "b");
        assertThat(kept.getMetadata().getAnnotations()).containsEntry("record", "{}");
        assertThat(kept.getData()).containsEntry("k", "v");
    }
}
