package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Converts one served version to and from the hub (v1beta1). */
interface SpokeConverter {

    String apiVersion();

    /** @param defaults the schema defaults the apiserver applies in each version */
    ObjectNode toHub(ObjectNode object, SchemaDefaults defaults) throws LosslessConversion.ConversionException;

    ObjectNode fromHub(ObjectNode hub, SchemaDefaults defaults) throws LosslessConversion.ConversionException;
}
