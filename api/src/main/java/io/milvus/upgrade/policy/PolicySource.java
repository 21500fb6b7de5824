package io.milvus.upgrade.policy;

/**
 * Where the policy in force comes from. Callers ask on every decision rather than keeping the
 * result, so that a reloaded policy file takes effect on the next request.
 */
@FunctionalInterface
public interface PolicySource {

    UpgradePolicy current();

    static PolicySource fixed(UpgradePolicy policy) {
        return () -> policy;
    }

    static PolicySource builtIn() {
        return fixed(UpgradePolicy.builtIn());
    }
}
