package io.milvus.upgrade.admission;

import java.util.List;

/** Who asks for what, without the objects: what validators need beyond old and new. */
public record AdmissionContext(
        String uid,
        Operation operation,
        String namespace,
        String name,
        String username,
        List<String> groups,
        boolean dryRun) {

    public AdmissionContext {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** For the offline review CLI and tests: a create by an unnamed user. */
    public static AdmissionContext offline(Operation operation, String namespace, String name) {
        return new AdmissionContext("offline", operation, namespace, name, "", List.of(), true);
    }
}
