package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Converts one served version to and from the hub (v1beta1). */
interface SpokeConverter {

    String apiVersion();

    ObjectNode toHub(ObjectNode object) throws LosslessConversion.ConversionException;

    ObjectNode fromHub(ObjectNode hub) throws LosslessConversion.ConversionException;
}
