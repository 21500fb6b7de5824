package io.milvus.upgrade.api.v1beta1;

import java.util.Arrays;
import java.util.Optional;

/** The reference's states, spellings (and typos) kept so that tools written against it work. */
public enum UpgradeState {
    PENDING(""),
    OLD_VERSION_STOPPING("OldVersionStopping"),
    BACKUP_META("BackupMeta"),
    BACKUP_META_FAILED("BakupMetaFailed"),
    UPDATING_META("UpdatingMeta"),
    UPDATE_META_FAILED("UpdateMetaFailed"),
    NEW_VERSION_STARTING("NewVersionStarting"),
    SUCCEEDED("Succeeded"),
    ROLLBACK_NEW_VERSION_STOPPING("RollbackNewVersionStopping"),
    ROLLBACK_RESTORING_OLD_META("RollbackRestoringOldMeta"),
    ROLLBACK_OLD_VERSION_STARTING("RollbackOldVersionStarting"),
    ROLLBACKED_SUCCEEDED("RollbackedSucceeded"),
    ROLLBACK_FAILED("RollbackFailed");

    private final String wireName;

    UpgradeState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** {@code null} and {@code ""} are both the state before anything ran. */
    public static Optional<UpgradeState> of(String wireName) {
        String name = wireName == null ? "" : wireName;
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }

    /** No step will run after this one, whatever the spec says. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == ROLLBACKED_SUCCEEDED || this == ROLLBACK_FAILED;
    }

    /**
     * Whether an upgrade in {@code state} still holds its Milvus: not terminal, and not a failure
     * it will not roll back from ({@code rollbackIfFailed: false} stops there for good).
     */
    public static boolean isUnfinished(String state, Boolean rollbackIfFailed) {
        UpgradeState s = of(state).orElse(PENDING);
        if (s.isTerminal()) return false;
        return !(s.isFailure() && Boolean.FALSE.equals(rollbackIfFailed));
    }

    /** A step failed; terminal unless the upgrade rolls back on failure. */
    public boolean isFailure() {
        return this == BACKUP_META_FAILED || this == UPDATE_META_FAILED;
    }
}
