package io.milvus.upgrade.policy;

/** What a broken rule does: deny the request, allow it with a warning, or nothing. */
public enum RuleMode {
    ENFORCE, WARN, OFF
}
