package io.milvus.upgrade.review;

import com.fasterxml.jackson.databind.JsonNode;

/** How a new version finds its previous one: kind, namespace and name, as the apiserver keys objects. */
public record ObjectKey(String kind, String namespace, String name) {

    /** @param defaultNamespace the namespace of an object whose metadata names none */
    public static ObjectKey of(JsonNode object, String defaultNamespace) {
        JsonNode metadata = object.path("metadata");
        String namespace = metadata.path("namespace").asText("");
        return new ObjectKey(object.path("kind").asText(""), namespace.isEmpty() ? defaultNamespace : namespace,
                metadata.path("name").asText(""));
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
