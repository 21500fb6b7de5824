package io.milvus.upgrade.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of every part of the model that other tools (the Milvus operator, newer CRD versions) may
 * extend: fields this project does not know are kept and written back unchanged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class PreservesUnknownFields {

    private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) {
        additionalProperties.put(name, value);
    }
}
