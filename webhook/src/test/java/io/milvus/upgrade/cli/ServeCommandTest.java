package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} refuses before it listens: exit 2 and one line, never a stack trace. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void aMissingKubeconfigIsBadInput() {
        CliRun run = CliRun.of("serve", "--port", "0", "--tls-dir", dir.resolve("tls").toString(),
                "--kubeconfig", dir.resolve("nope.yaml").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(WebhookMain.BAD_INPUT);
        assertThat(run.err()).contains("cannot use the kubeconfig").contains("no such file");
        assertThat(run.oneLineOnStderr()).as(run.err()).isTrue();
        assertThat(dir.resolve("tls")).as("nothing generated for a run that does not start").doesNotExist();
    }

    @Test
    void anUnusableTlsDirectoryIsBadInput() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        Files.writeString(tls.resolve("tls.crt"), "not a certificate");
        Files.writeString(tls.resolve("tls.key"), "not a key");
        CliRun run = CliRun.of("serve", "--port", "0", "--tls-dir", tls.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(WebhookMain.BAD_INPUT);
        assertThat(run.err()).contains("serve: ").contains("certificate");
    }

    @Test
    void usageErrorsAreBadInput() {
        CliRun run = CliRun.of("serve", "--port", "eighty");
        assertThat(run.exitCode()).isEqualTo(WebhookMain.BAD_INPUT);
        assertThat(run.err()).contains("--port").contains("see --help");
        assertThat(CliRun.of().exitCode()).as("no command").isEqualTo(WebhookMain.BAD_INPUT);
        assertThat(CliRun.of("nonsense").exitCode()).isEqualTo(WebhookMain.BAD_INPUT);
    }
}
