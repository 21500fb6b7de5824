package io.milvus.upgrade.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void readsBothVersionSchemes() {
        assertThat(Launcher.feature("1.8")).isEqualTo(8);
        assertThat(Launcher.feature("17")).isEqualTo(17);
        assertThat(Launcher.feature("25")).isEqualTo(25);
        assertThat(Launcher.feature("26-ea")).isEqualTo(26);
        assertThat(Launcher.feature("")).isZero();
        assertThat(Launcher.feature(null)).isZero();
    }

    @Test
    void anOldJavaGetsOneLineNamingWhatToInstall() {
        String reason = Launcher.tooOld("milvus-webhook", "17", "/usr/lib/jvm/java-17-openjdk-amd64");
        assertThat(reason).startsWith("milvus-webhook needs Java 25 or later, but this is Java 17 (/usr/lib/jvm/java-17-openjdk-amd64)")
                .contains("install a JDK 25").doesNotContain("\n");
        assertThat(Launcher.tooOld("x", "1.8", "/j")).contains("this is Java 1.8");
    }

    @Test
    void javaTwentyFiveAndLaterRun() {
        assertThat(Launcher.tooOld("x", "25", "/j")).isNull();
        assertThat(Launcher.tooOld("x", "26", "/j")).isNull();
    }
}
