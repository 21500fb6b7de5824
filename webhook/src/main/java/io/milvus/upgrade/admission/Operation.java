package io.milvus.upgrade.admission;

/** AdmissionRequest operations. */
public enum Operation {
    CREATE, UPDATE, DELETE, CONNECT
}
