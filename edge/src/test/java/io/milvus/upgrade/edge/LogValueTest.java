package io.milvus.upgrade.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogValueTest {

    @Test
    void controlCharactersCannotForgeALine() {
        assertThat(LogValue.of("a\nevent=admission allowed=true\r\u0000\"x\"")).isEqualTo("a\\nevent=admission allowed=true\\r\\u0000\\\"x\\\"").doesNotContain("\n");
    }

    @Test
    void longValuesAreCutAndSaySo() {
        String logged = LogValue.of("u".repeat(7 * 1024 * 1024));
        assertThat(logged).hasSizeLessThan(LogValue.MAX_LENGTH + 32).endsWith("...(7340032 chars)");
        assertThat(LogValue.of(null)).isEmpty();
        assertThat(LogValue.of("my-release")).isEqualTo("my-release");
    }
}
