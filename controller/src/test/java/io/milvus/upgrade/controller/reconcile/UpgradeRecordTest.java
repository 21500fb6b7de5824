package io.milvus.upgrade.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.milvus.RecordedImages;
import io.milvus.upgrade.testing.Objects;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeRecordTest {

    @Test
    void aRecordSurvivesTheAnnotationUnchanged() throws Exception {
        UpgradeRecord record = new UpgradeRecord(new RecordedImages(null, Map.of("standalone", "milvusdb/milvus:v2.1.4")),
                new UpgradeRecord.StepTiming("OldVersionStopping", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z"), 3L, Map.of("queryNode/zone-a", 2, "proxy/p", -1));
        String json = record.encode();
        assertThat(json).doesNotContain("null").contains("\"standalone\":\"milvusdb/milvus:v2.1.4\"");
        assertThat(UpgradeRecord.decode(json)).isEqualTo(record);
    }

    @Test
    void noAnnotationIsTheEmptyRecordAndUnknownFieldsAreIgnored() throws Exception {
        MilvusUpgrade upgrade = Objects.upgrade("milvus: {name: m}");
        assertThat(UpgradeRecord.of(upgrade)).isEqualTo(UpgradeRecord.EMPTY);
        upgrade.getMetadata().setAnnotations(Map.of(UpgradeRecord.ANNOTATION, "{\"observedGeneration\":2,\"fromANewerController\":true}"));
        assertThat(UpgradeRecord.of(upgrade)).isEqualTo(UpgradeRecord.EMPTY.withObservedGeneration(2L));
    }

    @Test
    void aDamagedAnnotationIsAnErrorThatNamesIt() {
        assertThatThrownBy(() -> UpgradeRecord.decode("[1, 2"))
                .isInstanceOf(UpgradeRecord.UnreadableRecordException.class).hasMessageContaining("milvus.io/upgrade-record");
        assertThatThrownBy(() -> UpgradeRecord.decode("null")).isInstanceOf(UpgradeRecord.UnreadableRecordException.class);
    }

    @Test
    void aTimingCountsOnlyForItsOwnStepAndAttempt() {
        UpgradeRecord.StepTiming timing = new UpgradeRecord.StepTiming("BackupMeta", 1, "2026-01-01T00:00:00Z", null);
        assertThat(timing.isFor("BackupMeta", 1)).isTrue();
        assertThat(timing.isFor("BackupMeta", 0)).isFalse();
        assertThat(timing.isFor("UpdatingMeta", 1)).isFalse();
        assertThat(new UpgradeRecord.StepTiming("", 0, null, null).isFor(null, 0)).isTrue();
    }
}
