package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookMainTest {

    @Test
    void aNamedCommandIsBuiltAlone() {
        assertThat(WebhookMain.commandLine(new String[] {"serve", "--port", "0"}).getSubcommands()).containsOnlyKeys("serve");
        assertThat(WebhookMain.commandLine(new String[] {"plan"}).getSubcommands()).containsOnlyKeys("plan");
    }

    @Test
    void anythingElseGetsEveryCommandInHelpOrder() {
        for (String[] args : new String[][] {{}, {"--help"}, {"nonsense"}}) {
            assertThat(WebhookMain.commandLine(args).getSubcommands().keySet()).containsExactly("serve", "review", "plan", "policy");
        }
    }
}
