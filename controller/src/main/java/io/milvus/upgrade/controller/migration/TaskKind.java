package io.milvus.upgrade.controller.migration;

/** The three runs of the meta-migration tool, named as in the reference's labels. */
public enum TaskKind {
    BACKUP("backup-meta", "backup"),
    UPDATE("update-meta", "run"),
    ROLLBACK("rollback-meta", "rollback");

    private final String label;
    private final String command;

    TaskKind(String label, String command) {
        this.label = label;
        this.command = command;
    }

    /** The {@code milvus-upgrade.io/task-kind} label value and object name suffix: {@code backup-meta}. */
    public String label() {
        return label;
    }

    /** {@code cmd.type} in migration.yaml. */
    public String command() {
        return command;
    }
}
