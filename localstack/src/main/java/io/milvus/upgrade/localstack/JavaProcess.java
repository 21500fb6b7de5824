package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Our jars run as users run them: a separate JVM, the same JDK as the one running this. */
public final class JavaProcess {

    /** Every JVM started here and not yet known to have exited: the control plane waits for them at exit. */
    private static final java.util.Set<Process> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private JavaProcess() {
    }

    public static Process start(Path log, List<String> args) {
        return start(log, args, java.util.Map.of());
    }

    public static Process start(Path log, List<String> args, java.util.Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1"); // short-lived test processes: start fast rather than peak
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            STARTED.add(process);
            process.onExit().thenRun(() -> STARTED.remove(process));
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until every JVM started here has exited, at most {@code timeout}: at exit, the
     * apiserver should outlive its clients, or they spend their shutdown retrying it.
     */
    static void awaitAllExited(java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Process process : STARTED) {
            try {
                process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within 30 s. */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
