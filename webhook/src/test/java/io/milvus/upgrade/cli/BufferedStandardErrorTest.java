package io.milvus.upgrade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BufferedStandardErrorTest {

    private final ByteArrayOutputStream target = new ByteArrayOutputStream();

    @Test
    void aLineIsHeldBackThenWrittenOutWithinTheInterval() throws InterruptedException {
        BufferedStandardError err = BufferedStandardError.over(target, StandardCharsets.UTF_8);
        long start = System.nanoTime();

        err.stream().println("event=admission uid=\"1\"");
        err.stream().flush(); // as the logger does after every line

        assertThat(written()).as("no write per line").isEmpty();
        long deadline = start + BufferedStandardError.INTERVAL.multipliedBy(10).toNanos();
        while (written().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(written()).isEqualTo("event=admission uid=\"1\"" + System.lineSeparator());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BufferedStandardError.INTERVAL.multipliedBy(10));
    }

    @Test
    void flushWritesEverythingAtOnce() {
        BufferedStandardError err = BufferedStandardError.over(target, StandardCharsets.UTF_8);
        err.stream().println("event=stopped");

        err.flush();

        assertThat(written()).isEqualTo("event=stopped" + System.lineSeparator());
    }

    private String written() {
        synchronized (target) {
            return target.toString(StandardCharsets.UTF_8);
        }
    }
}
