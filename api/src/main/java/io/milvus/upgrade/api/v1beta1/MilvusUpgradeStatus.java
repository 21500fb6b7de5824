package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields the operator's MilvusUpgrade schema keeps, by its names (typos included:
 * {@code replicasBeforeUprade}), plus the spec's {@code observedGeneration}, which that schema
 * prunes and nothing reads back; what else the controller remembers is in its record annotation.
 */
public class MilvusUpgradeStatus extends PreservesUnknownFields {

    private String state;
    private List<UpgradeCondition> conditions;
    private String sourceImage;
    /** Component name ({@code proxy}, {@code standalone}, ...) to replicas, recorded before stopping. */
    private Map<String, Integer> replicasBeforeUprade;
    private Boolean metaBackuped;
    private Boolean metaStorageChanged;
    private Boolean isRollbacking;
    private Integer retriedTimes;
    private String backupPVC;
    private Long observedGeneration;

    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public List<UpgradeCondition> getConditions() { return conditions; }
    public void setConditions(List<UpgradeCondition> conditions) { this.conditions = conditions; }
    public String getSourceImage() { return sourceImage; }
    public void setSourceImage(String sourceImage) { this.sourceImage = sourceImage; }
    public Map<String, Integer> getReplicasBeforeUprade() { return replicasBeforeUprade; }
    public void setReplicasBeforeUprade(Map<String, Integer> replicas) {
        this.replicasBeforeUprade = replicas == null ? null : new LinkedHashMap<>(replicas);
    }
    public Boolean getMetaBackuped() { return metaBackuped; }
    public void setMetaBackuped(Boolean metaBackuped) { this.metaBackuped = metaBackuped; }
    public Boolean getMetaStorageChanged() { return metaStorageChanged; }
    public void setMetaStorageChanged(Boolean metaStorageChanged) { this.metaStorageChanged = metaStorageChanged; }
    public Boolean getIsRollbacking() { return isRollbacking; }
    public void setIsRollbacking(Boolean isRollbacking) { this.isRollbacking = isRollbacking; }
    public Integer getRetriedTimes() { return retriedTimes; }
    public void setRetriedTimes(Integer retriedTimes) { this.retriedTimes = retriedTimes; }
    public String getBackupPVC() { return backupPVC; }
    public void setBackupPVC(String backupPVC) { this.backupPVC = backupPVC; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
}
