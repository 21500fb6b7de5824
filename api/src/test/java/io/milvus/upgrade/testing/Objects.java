package io.milvus.upgrade.testing;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;

/** Test objects written as YAML, the way users write them. */
public final class Objects {

    private Objects() {
    }

    public static MilvusUpgrade upgrade(String specYaml) {
        return ApiSerialization.kubernetes().unmarshal("""
                apiVersion: milvus.io/v1beta1
                kind: MilvusUpgrade
                metadata:
                  name: my-release-upgrade
                  namespace: default
                spec:
                """ + indent(specYaml), MilvusUpgrade.class);
    }

    public static Milvus milvus(String name, String specYaml) {
        return ApiSerialization.kubernetes().unmarshal("""
                apiVersion: milvus.io/v1beta1
                kind: Milvus
                metadata:
                  name: %s
                  namespace: default
                spec:
                """.formatted(name) + indent(specYaml), Milvus.class);
    }

    public static Milvus milvusWithImage(String image) {
        return milvus("my-release", "components:\n  image: " + image + "\n");
    }

    private static String indent(String yaml) {
        return yaml.isBlank() ? "  {}\n" : yaml.indent(2);
    }
}
