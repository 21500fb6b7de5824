package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.Extensible;
import java.util.List;
import java.util.Map;

/** What the operator reports: {@code status} is Healthy, Unhealthy, Pending or Deleting. */
public class MilvusStatus extends Extensible {

    public static final String HEALTHY = "Healthy";

    private String status;
    private List<Map<String, Object>> conditions;

    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public List<Map<String, Object>> getConditions() { return conditions; }
    public void setConditions(List<Map<String, Object>> conditions) { this.conditions = conditions; }
}
