package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl, as users run it, against a kubeconfig: the one built with the control plane, of its release. */
public final class Kubectl {

    private Kubectl() {
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * Runs a kubectl that streams ({@code get -w}), passing each line of its output to
     * {@code line}, until {@code line} returns true or the timeout; then stops it.
     *
     * @return whether {@code line} returned true in time
     */
    public static boolean stream(Path kubeconfig, java.time.Duration timeout, java.util.function.Predicate<String> line, String... args) {
        List<String> command = new ArrayList<>(List.of(ControlPlaneBinaries.kubectl().toString(), "--kubeconfig=" + kubeconfig));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
        }
        var done = new java.util.concurrent.CompletableFuture<Boolean>();
        Thread.ofVirtual().start(() -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = reader.readLine(); l != null; l = reader.readLine()) {
                    if (line.test(l)) {
                        done.complete(true);
                        return;
                    }
                }
            } catch (IOException e) {
                // the process was stopped
            }
            done.complete(false);
        });
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            process.destroy();
        }
    }

    /** @param stdin text for {@code -f -}, or null */
    public static Result run(Path kubeconfig, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ControlPlaneBinaries.kubectl().toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            if (stdin != null) {
                process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            // stderr drains on its own thread so that neither pipe can fill up and stall kubectl.
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            var out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish in 60s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
