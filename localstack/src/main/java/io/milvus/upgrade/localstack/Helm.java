package io.milvus.upgrade.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real helm, at the version {@code .ci/versions.env} pins, built once by {@code .ci/install-helm.sh}
 * (cached under ~/.cache/milvus-upgrade/helm), run as users run it.
 */
public final class Helm {

    public static final Path CHART = Repository.root().resolve("charts/milvus-upgrade");

    private static volatile Path binary;

    private Helm() {
    }

    /** helm's path, installing it first if needed (the first time: a few minutes of go install). */
    public static synchronized Path binary() {
        if (binary == null) {
            Kubectl.Result installed = exec(List.of("bash", Repository.root().resolve(".ci/install-helm.sh").toString()), null, 900);
            if (installed.exitCode() != 0) throw new IllegalStateException(".ci/install-helm.sh failed: " + installed.stderr());
            binary = Path.of(installed.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        }
        return binary;
    }

    /** {@code helm ARGS} against {@code kubeconfig} (null: none, for template and lint). */
    public static Kubectl.Result run(Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        command.addAll(List.of(args));
        return exec(command, kubeconfig, 180);
    }

    private static Kubectl.Result exec(List<String> command, Path kubeconfig, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (kubeconfig != null) builder.environment().put("KUBECONFIG", kubeconfig.toString());
            // helm keeps its repository cache and release drivers' config under these; never the user's.
            Path home = Path.of(System.getProperty("java.io.tmpdir"), "milvus-upgrade-helm-home");
            builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
            builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
            builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
            Process process = builder.start();
            process.getOutputStream().close();
            var err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Kubectl.Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
