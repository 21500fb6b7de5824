package io.milvus.upgrade.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingPolicySourceTest {

    /** A long interval: the test drives reloads itself, so no timing is involved. */
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path dir;

    @Test
    void aChangedFileTakesEffectAndABrokenOneKeepsTheLastGood() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "defaultMaxRetry: 1\n");
        try (ReloadingPolicySource source = ReloadingPolicySource.start(file, NEVER)) {
            assertThat(source.current().defaultMaxRetry()).isEqualTo(1);
            assertThat(source.reloadIfChanged()).isFalse();

            Files.writeString(file, "defaultMaxRetry: 2\n");
            assertThat(source.reloadIfChanged()).isTrue();
            assertThat(source.current().defaultMaxRetry()).isEqualTo(2);

            Files.writeString(file, "defaultMaxRetry: [broken\n");
            assertThat(source.reloadIfChanged()).isFalse();
            assertThat(source.current().defaultMaxRetry()).isEqualTo(2);

            Files.delete(file);
            assertThat(source.reloadIfChanged()).isFalse();
            assertThat(source.current().defaultMaxRetry()).isEqualTo(2);

            Files.writeString(file, "defaultMaxRetry: 4\n");
            assertThat(source.reloadIfChanged()).isTrue();
            assertThat(source.current().defaultMaxRetry()).isEqualTo(4);
        }
    }

    @Test
    void aBrokenFileAtStartIsAnError() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "nonsense: true\n");
        assertThatThrownBy(() -> ReloadingPolicySource.start(file, NEVER))
                .isInstanceOf(PolicyException.class).hasMessageContaining("unknown field 'nonsense'");
        assertThatThrownBy(() -> ReloadingPolicySource.start(dir.resolve("absent.yaml"), NEVER))
                .isInstanceOf(PolicyException.class).hasMessageContaining("cannot read policy file");
    }

    @Test
    void thePollerPicksUpAChangeByItself() throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "defaultMaxRetry: 1\n");
        try (ReloadingPolicySource source = ReloadingPolicySource.start(file, Duration.ofMillis(20))) {
            Files.writeString(file, "defaultMaxRetry: 5\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (source.current().defaultMaxRetry() != 5 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(source.current().defaultMaxRetry()).isEqualTo(5);
        }
    }
}
