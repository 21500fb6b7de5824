package io.milvus.upgrade.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code .ci/process-groups.sh}, which {@code .ci/readme-test.sh} runs every README block with:
 * what a block starts (a server, the JVM behind a launcher script, a child it left in the
 * background) is stopped with it, on success, on failure and when the script is interrupted.
 * Each case starts {@code sleep N} with an N of its own and looks for any such process afterwards.
 */
class ProcessGroupsTest {

    private static final Path LIB = Path.of("..", ".ci", "process-groups.sh").toAbsolutePath().normalize();

    /** Unique to this test run: nothing else on the machine sleeps this long. */
    private final long marker = 7_000_000 + ThreadLocalRandom.current().nextLong(1_000_000);

    @AfterEach
    void killWhatATestLeft() {
        sleepers().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aBlockThatLeavesChildrenRunningHasThemStoppedWhenItEnds() throws Exception {
        Process script = bash("""
                run_group /dev/null bash -c 'sleep %1$d & sleep %1$d & exit 0'
                """.formatted(marker));
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isZero();
        assertThat(sleepers()).as("children of a block that ended").isEmpty();
    }

    @Test
    void aFailingScriptStopsTheServerItStartedInTheBackground() throws Exception {
        Process script = bash("""
                trap 'stop_all_groups' EXIT
                start_group /dev/null bash -c 'sleep %1$d & sleep %1$d'
                until pgrep -f '^sleep %1$d$' >/dev/null; do sleep 0.05; done
                exit 1
                """.formatted(marker));
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isEqualTo(1);
        assertThat(sleepers()).as("the background group of a script that failed").isEmpty();
    }

    @Test
    void anInterruptedScriptStopsWhatItStarted() throws Exception {
        Process script = bash("""
                trap 'stop_all_groups' EXIT
                trap 'exit 143' TERM
                start_group /dev/null bash -c 'sleep %1$d & sleep %1$d'
                run_group /dev/null bash -c 'sleep %1$d'
                """.formatted(marker));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sleepers().size() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sleepers()).as("the groups started before the interruption").hasSize(3);
        script.destroy(); // SIGTERM, as CI sends when it cancels a run
        assertThat(script.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isEqualTo(143);
        assertThat(sleepers()).as("the groups of an interrupted script").isEmpty();
    }

    private static Process bash(String body) throws IOException {
        String script = "set -uo pipefail\nlog() { echo \"$*\" >&2; }\nsource '" + LIB + "'\n" + body;
        return new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private List<ProcessHandle> sleepers() {
        String[] arguments = {String.valueOf(marker)};
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(command -> command.endsWith("/sleep")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> java.util.Arrays.equals(a, arguments)).orElse(false))
                .toList();
    }
}
