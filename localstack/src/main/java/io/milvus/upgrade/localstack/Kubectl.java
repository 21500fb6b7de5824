package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl, as users run it, against a kubeconfig. */
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

    /** @param stdin text for {@code -f -}, or null */
    public static Result run(Path kubeconfig, String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
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
