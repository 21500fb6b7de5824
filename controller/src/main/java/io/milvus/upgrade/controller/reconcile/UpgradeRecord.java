package io.milvus.upgrade.controller.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.milvus.RecordedImages;
import java.util.Map;

/**
 * What the controller remembers about an upgrade beyond the status fields the operator's
 * MilvusUpgrade schema keeps (that schema prunes every other status field): the images that ran,
 * when the current step began, and the generation last acted on. Stored as JSON in the
 * annotation {@value #ANNOTATION}, and written before the status, so that a status is never
 * ahead of the record it stands on.
 *
 * @param images             the Milvus image fields before the upgrade, once recorded
 * @param step               timing of the current step, valid only for that step and attempt
 * @param observedGeneration the spec generation the latest reconcile acted on
 * @param groups             the deployment groups' replicas before the upgrade, by {@code component/group}
 *                           (status.replicasBeforeUprade has a fixed schema that prunes such keys)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpgradeRecord(RecordedImages images, StepTiming step, Long observedGeneration, Map<String, Integer> groups) {

    public static final String ANNOTATION = "milvus.io/upgrade-record";
    public static final UpgradeRecord EMPTY = new UpgradeRecord(null, null, null, null);

    /** The recorded groups; none for a record written before groups existed. */
    public Map<String, Integer> groupReplicas() {
        return groups == null ? Map.of() : groups;
    }

    private static final ObjectReader READER = ApiSerialization.json().readerFor(UpgradeRecord.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * When a step (state and attempt) began and when, in it, Milvus was first seen stopped
     * (RFC 3339). A timing of another step is stale: a crash between the record and the status
     * write leaves one behind, and it must not shorten the next step's waits.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepTiming(String state, int attempt, String startedAt, String milvusStoppedAt) {

        public boolean isFor(String currentState, int currentAttempt) {
            return java.util.Objects.equals(state, currentState == null ? "" : currentState) && attempt == currentAttempt;
        }

        public StepTiming withMilvusStoppedAt(String time) {
            return new StepTiming(state, attempt, startedAt, time);
        }
    }

    /** The record on {@code upgrade}; {@link #EMPTY} when it has none. */
    public static UpgradeRecord of(MilvusUpgrade upgrade) throws UnreadableRecordException {
        Map<String, String> annotations = upgrade.getMetadata().getAnnotations();
        String json = annotations == null ? null : annotations.get(ANNOTATION);
        return json == null || json.isBlank() ? EMPTY : decode(json);
    }

    /** As {@link #of}, with an unreadable record counted as none (for comparing what is stored). */
    public static UpgradeRecord orEmpty(MilvusUpgrade upgrade) {
        try {
            return of(upgrade);
        } catch (UnreadableRecordException e) {
            return EMPTY;
        }
    }

    public static UpgradeRecord decode(String json) throws UnreadableRecordException {
        try {
            UpgradeRecord record = READER.readValue(json);
            if (record == null) throw new UnreadableRecordException("the annotation " + ANNOTATION + " is null");
            return record;
        } catch (JsonProcessingException e) {
            throw new UnreadableRecordException("the annotation " + ANNOTATION + " is not a record this controller wrote: "
                    + e.getOriginalMessage());
        }
    }

    public String encode() {
        try {
            return ApiSerialization.json().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("records of strings and numbers always serialize", e);
        }
    }

    public UpgradeRecord withImages(RecordedImages value) {
        return new UpgradeRecord(value, step, observedGeneration, groups);
    }

    public UpgradeRecord withStep(StepTiming value) {
        return new UpgradeRecord(images, value, observedGeneration, groups);
    }

    public UpgradeRecord withObservedGeneration(Long value) {
        return new UpgradeRecord(images, step, value, groups);
    }

    public UpgradeRecord withGroups(Map<String, Integer> value) {
        return new UpgradeRecord(images, step, observedGeneration, value.isEmpty() ? null : Map.copyOf(value));
    }

    /** The annotation was edited into something else; the message says what is wrong with it. */
    public static final class UnreadableRecordException extends Exception {
        public UnreadableRecordException(String message) {
            super(message);
        }
    }
}
