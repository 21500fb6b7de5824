package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import java.util.List;
import java.util.Optional;

/** Which MilvusUpgrades still hold their Milvus. */
public final class UnfinishedUpgrades {

    private UnfinishedUpgrades() {
    }

    public static Optional<MilvusUpgrade> first(List<MilvusUpgrade> upgrades) {
        return upgrades.stream().filter(MilvusUpgrade::isUnfinished).findFirst();
    }

    /** The state for messages: "not started yet" before the controller wrote one. */
    public static String stateOf(MilvusUpgrade upgrade) {
        return upgrade.state().isEmpty() ? "not started yet" : upgrade.state();
    }
}
