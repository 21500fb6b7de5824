package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;

/** Field names as in the reference operator, so that existing YAML keeps working. */
public class MilvusUpgradeSpec extends PreservesUnknownFields {

    public static final String OPERATION_UPGRADE = "upgrade";
    public static final String OPERATION_ROLLBACK = "rollback";

    private MilvusReference milvus;
    private String sourceVersion;
    private String targetVersion;
    private String targetImage;
    private String toolImage;
    private String operation;
    private Boolean rollbackIfFailed;
    private String backupPVC;
    private Integer maxRetry;

    public MilvusReference getMilvus() { return milvus; }
    public void setMilvus(MilvusReference milvus) { this.milvus = milvus; }
    public String getSourceVersion() { return sourceVersion; }
    public void setSourceVersion(String sourceVersion) { this.sourceVersion = sourceVersion; }
    public String getTargetVersion() { return targetVersion; }
    public void setTargetVersion(String targetVersion) { this.targetVersion = targetVersion; }
    public String getTargetImage() { return targetImage; }
    public void setTargetImage(String targetImage) { this.targetImage = targetImage; }
    public String getToolImage() { return toolImage; }
    public void setToolImage(String toolImage) { this.toolImage = toolImage; }
    public String getOperation() { return operation; }
    public void setOperation(String operation) { this.operation = operation; }
    public Boolean getRollbackIfFailed() { return rollbackIfFailed; }
    public void setRollbackIfFailed(Boolean rollbackIfFailed) { this.rollbackIfFailed = rollbackIfFailed; }
    public String getBackupPVC() { return backupPVC; }
    public void setBackupPVC(String backupPVC) { this.backupPVC = backupPVC; }
    public Integer getMaxRetry() { return maxRetry; }
    public void setMaxRetry(Integer maxRetry) { this.maxRetry = maxRetry; }
}
